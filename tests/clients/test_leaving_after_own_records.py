"""A client does not leave (closed, rejected, withdrawn, transferred) on a date before its own records:
its accounts' openings, transactions and closures, and the days it joined or left a group."""

import datetime

import pytest
from django.urls import reverse
from django.utils import formats

from clients import lifecycle
from clients.choices import ClientStatus, ReasonKind
from clients.models import Client
from groups.models import Membership
from ledger.choices import AccountStatus
from mifos.actions import TransitionError
from tests.clients.factories import ActiveClientFactory, ClientActionReasonFactory, ClientFactory
from tests.groups.factories import GroupFactory, MembershipFactory
from tests.ledger.factories import AccountFactory
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db

ACTIVATED = datetime.date(2024, 2, 1)  # ActiveClientFactory's
OPENED = datetime.date(2024, 8, 6)
USED = datetime.date(2024, 11, 20)
EMPTIED = datetime.date(2024, 12, 4)
BACKDATED = datetime.date(2024, 3, 1)


def short(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def reason(kind):
    return ClientActionReasonFactory(kind=kind)


@pytest.fixture
def manager(office_tree):
    return BranchManagerUserFactory(office=office_tree["n1"])


@pytest.fixture
def holder(office_tree):
    """An active client whose savings account was opened, used and closed after its activation."""
    return ActiveClientFactory(office=office_tree["n1"])


def closed_account(client, **dates):
    dates = {"opened_on": OPENED, "last_transaction_on": USED, "closed_on": EMPTIED, **dates}
    return AccountFactory(client=client, status=AccountStatus.CLOSED, **dates)


def test_a_client_cannot_be_closed_before_the_closure_of_its_account(holder, manager):
    account = closed_account(holder)

    with pytest.raises(TransitionError) as refused:
        lifecycle.close(holder, on=BACKDATED, by=manager, reason=reason(ReasonKind.CLOSURE))

    assert refused.value.message == (
        f"The date cannot be before the closure of account {account} ({short(EMPTIED)})."
    )
    assert refused.value.field == "on"
    assert Client.objects.get(pk=holder.pk).status == ClientStatus.ACTIVE


@pytest.mark.parametrize(
    ("status", "dates", "named"),
    [
        (AccountStatus.PENDING, {}, f"the opening of account %s ({short(OPENED)})"),
        (
            AccountStatus.ACTIVE,
            {"last_transaction_on": USED},
            f"the last transaction of account %s ({short(USED)})",
        ),
    ],
)
def test_the_refusal_names_the_latest_record_of_an_account_still_open(holder, manager, status, dates, named):
    account = AccountFactory(client=holder, status=status, opened_on=OPENED, **dates)

    with pytest.raises(TransitionError) as refused:
        lifecycle.close(holder, on=BACKDATED, by=manager, reason=reason(ReasonKind.CLOSURE))

    assert refused.value.message == f"The date cannot be before {named % account}."


def test_a_client_is_closed_on_the_day_its_last_account_closed(holder, manager):
    closed_account(holder)

    lifecycle.close(holder, on=EMPTIED, by=manager, reason=reason(ReasonKind.CLOSURE))

    assert Client.objects.get(pk=holder.pk).closed_on == EMPTIED


def test_a_client_cannot_be_closed_before_it_joined_its_group(holder, manager):
    joined = datetime.date(2024, 9, 1)
    membership = MembershipFactory(
        group=GroupFactory(office=holder.office, name="Umoja"), client=holder, joined_on=joined
    )

    with pytest.raises(TransitionError) as refused:
        lifecycle.close(holder, on=BACKDATED, by=manager, reason=reason(ReasonKind.CLOSURE))

    assert (
        refused.value.message
        == f"The date cannot be before the date the client joined Umoja ({short(joined)})."
    )
    assert Membership.objects.get(pk=membership.pk).left_on is None


def test_a_client_cannot_be_closed_before_it_left_a_group(holder, manager):
    left = datetime.date(2024, 10, 1)
    MembershipFactory(group=GroupFactory(office=holder.office, name="Tumaini"), client=holder, left_on=left)

    with pytest.raises(TransitionError, match="the date the client left Tumaini"):
        lifecycle.close(holder, on=BACKDATED, by=manager, reason=reason(ReasonKind.CLOSURE))


@pytest.mark.parametrize(
    ("action", "kind"), [("reject", ReasonKind.REJECTION), ("withdraw", ReasonKind.WITHDRAWAL)]
)
def test_an_application_is_not_ended_before_the_applicant_joined_a_group(office_tree, manager, action, kind):
    applicant = ClientFactory(office=office_tree["n1"], submitted_on=datetime.date(2024, 1, 15))
    joined = datetime.date(2024, 9, 1)
    membership = MembershipFactory(
        group=GroupFactory(office=applicant.office, name="Tumaini Farmers"),
        client=applicant,
        joined_on=joined,
    )

    with pytest.raises(TransitionError) as refused:
        getattr(lifecycle, action)(applicant, on=datetime.date(2024, 4, 1), by=manager, reason=reason(kind))

    assert refused.value.message == (
        f"The date cannot be before the date the client joined Tumaini Farmers ({short(joined)})."
    )
    assert Client.objects.get(pk=applicant.pk).status == ClientStatus.PENDING
    assert Membership.objects.get(pk=membership.pk).left_on is None


@pytest.mark.parametrize(
    ("action", "kind"), [("reject", ReasonKind.REJECTION), ("withdraw", ReasonKind.WITHDRAWAL)]
)
def test_an_application_is_not_ended_before_its_accounts_records(office_tree, manager, action, kind):
    applicant = ClientFactory(office=office_tree["n1"])
    account = closed_account(applicant)

    with pytest.raises(TransitionError, match=f"the closure of account {account}"):
        getattr(lifecycle, action)(applicant, on=BACKDATED, by=manager, reason=reason(kind))


def test_a_client_is_not_transferred_before_it_joined_a_group(office_tree):
    manager = BranchManagerUserFactory(office=office_tree["north"])
    mover = ActiveClientFactory(office=office_tree["n1"])
    joined = datetime.date(2024, 9, 1)
    MembershipFactory(group=GroupFactory(office=mover.office, name="Umoja"), client=mover, joined_on=joined)

    with pytest.raises(TransitionError, match="the date the client joined Umoja"):
        lifecycle.transfer(mover, to_office=office_tree["n2"], on=BACKDATED, by=manager)

    assert Client.objects.get(pk=mover.pk).office == office_tree["n1"]


def test_the_close_page_shows_the_refusal_next_to_the_date(client, holder, manager):
    account = closed_account(holder)
    client.force_login(manager)

    response = client.post(
        reverse("clients:client_close", args=[holder.pk]),
        {"on": BACKDATED, "reason": reason(ReasonKind.CLOSURE).pk},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "on": [f"The date cannot be before the closure of account {account} ({short(EMPTIED)})."]
    }
