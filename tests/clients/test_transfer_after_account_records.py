"""A client does not leave its office, by a transfer done now or accepted, on a date before its accounts'
records there: the sending office opened and posted to them, as closing the client already checks."""

import datetime

import pytest
from django.urls import reverse
from django.utils import formats

from clients import lifecycle
from clients.choices import ClientStatus
from clients.models import Client
from mifos.actions import TransitionError
from tests.clients.factories import ActiveClientFactory
from tests.ledger.factories import AccountFactory
from tests.offices.factories import BranchManagerUserFactory, HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db

OPENED = datetime.date(2024, 8, 7)
POSTED = datetime.date(2024, 11, 5)
BACKDATED = datetime.date(2024, 3, 15)  # after the client's activation (2024-02-01), before its account


def short(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@pytest.fixture
def holder(office_tree):
    return ActiveClientFactory(office=office_tree["n1"])


@pytest.fixture
def account(holder):
    return AccountFactory(client=holder, opened_on=OPENED, last_transaction_on=POSTED)


def test_a_transfer_now_is_not_dated_before_the_last_transaction_of_an_account(office_tree, holder, account):
    with pytest.raises(TransitionError) as refused:
        lifecycle.transfer(holder, to_office=office_tree["s1"], on=BACKDATED, by=HeadOfficeAdminUserFactory())

    assert refused.value.message == (
        f"The date cannot be before the last transaction of account {account} ({short(POSTED)})."
    )
    assert refused.value.field == "on"
    assert Client.objects.get(pk=holder.pk).office == office_tree["n1"]


def test_an_accepted_transfer_is_not_dated_before_the_last_transaction_of_an_account(
    office_tree, holder, account
):
    sender = BranchManagerUserFactory(office=office_tree["n1"])
    lifecycle.propose_transfer(holder, to_office=office_tree["s1"], on=BACKDATED, by=sender)

    with pytest.raises(TransitionError, match=f"the last transaction of account {account}"):
        lifecycle.accept_transfer(holder, on=BACKDATED, by=BranchManagerUserFactory(office=office_tree["s1"]))

    assert Client.objects.get(pk=holder.pk).status == ClientStatus.TRANSFER_IN_PROGRESS


def test_a_transfer_on_the_day_of_the_last_transaction_is_done(office_tree, holder, account):
    lifecycle.transfer(holder, to_office=office_tree["s1"], on=POSTED, by=HeadOfficeAdminUserFactory())

    assert Client.objects.get(pk=holder.pk).office == office_tree["s1"]


def test_the_transfer_page_shows_the_refusal_next_to_the_date(client, office_tree, holder, account):
    client.force_login(HeadOfficeAdminUserFactory())

    response = client.post(
        reverse("clients:client_transfer", args=[holder.pk]),
        {"to_office": office_tree["s1"].pk, "on": BACKDATED},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "on": [f"The date cannot be before the last transaction of account {account} ({short(POSTED)})."]
    }
