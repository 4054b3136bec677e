"""A client who came by transfer is the new office's from the day it arrived: the new office opens
accounts, posts, reverses and ends accounts from that day on, never in the old office's time."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import formats

from clients import lifecycle
from ledger import services
from mifos.actions import TransitionError
from tests.ledger.conftest import DAY
from tests.ledger.factories import SavingsProductFactory
from tests.offices.factories import BranchManagerUserFactory, HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db

ARRIVAL = DAY + datetime.timedelta(days=30)
BEFORE = ARRIVAL - datetime.timedelta(days=1)


def too_early():
    return (
        f"The date cannot be before the client's arrival in North Two by transfer "
        f"({formats.date_format(ARRIVAL, 'SHORT_DATE_FORMAT')})."
    )


@pytest.fixture
def newcomer(office_tree):
    """A manager of North Two, where the branch's client arrived on ARRIVAL."""
    return BranchManagerUserFactory(office=office_tree["n2"])


@pytest.fixture
def moved(funded, loan, teller, office_tree):
    """The branch's client, with 100.00 deposited and 50.00 lent on DAY, transferred to North Two on
    ARRIVAL: its savings account."""
    services.disburse(loan, amount=Decimal("50.00"), on=DAY, by=teller)
    lifecycle.transfer(
        funded.client, to_office=office_tree["n2"], on=ARRIVAL, by=HeadOfficeAdminUserFactory()
    )
    funded.refresh_from_db()
    return funded


def refused(action, *args, **kwargs):
    with pytest.raises(TransitionError) as refusal:
        action(*args, **kwargs)
    return refusal.value


def test_an_account_is_not_opened_before_the_client_arrived(moved, newcomer):
    refusal = refused(
        services.open_account, moved.client, product=SavingsProductFactory(), on=BEFORE, by=newcomer
    )

    assert (refusal.message, refusal.field) == (too_early(), "on")
    assert moved.client.accounts.count() == 2  # the savings account and the loan


def test_an_account_is_opened_from_the_day_the_client_arrived(moved, newcomer):
    account = services.open_account(moved.client, product=SavingsProductFactory(), on=ARRIVAL, by=newcomer)

    assert account.number.startswith("N2-")


def test_a_posting_is_not_dated_before_the_client_arrived(moved, newcomer):
    refusal = refused(services.deposit, moved, amount=Decimal("10.00"), on=BEFORE, by=newcomer)

    assert (refusal.message, refusal.field) == (too_early(), "on")
    assert moved.transactions.count() == 1
    services.deposit(moved, amount=Decimal("10.00"), on=ARRIVAL, by=newcomer)


def test_a_reversal_is_not_dated_before_the_client_arrived(moved, newcomer):
    refusal = refused(
        services.reverse, moved.transactions.get(), on=BEFORE, by=newcomer, reason="Counted twice"
    )

    assert refusal.message == too_early()


def test_a_loan_is_not_written_off_before_the_client_arrived(moved, loan, newcomer):
    assert refused(services.write_off, loan, on=BEFORE, by=newcomer, reason="Gone").message == too_early()


def test_the_opening_page_says_when_the_client_arrived_next_to_the_date(client, moved, newcomer):
    client.force_login(newcomer)

    response = client.post(
        reverse("ledger:account_open", args=[moved.client.pk]),
        {"product": SavingsProductFactory().pk, "on": BEFORE.isoformat()},
    )

    assert response.status_code == 200
    assert response.context["open_form"].errors["on"] == [too_early()]


def test_a_client_moved_back_is_bound_by_its_latest_arrival(moved, office_tree, newcomer, manager):
    back = ARRIVAL + datetime.timedelta(days=10)
    lifecycle.transfer(moved.client, to_office=office_tree["n1"], on=back, by=HeadOfficeAdminUserFactory())

    refusal = refused(
        services.deposit, moved, amount=Decimal("1.00"), on=back - datetime.timedelta(days=1), by=manager
    )

    assert refusal.message.startswith("The date cannot be before the client's arrival in North One")
