"""An amount is kept with the currency's two decimals from the moment the ledger accepts it, so the
transaction, its text and the append-only activity log all read it as the statement does."""

from decimal import Decimal

import pytest

from audit.models import Event
from ledger import services
from tests.ledger.conftest import DAY

pytestmark = pytest.mark.django_db


def logged(event):
    return Event.objects.get(event=event)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("1e2", "100.00"), ("1.100", "1.10"), ("100000", "100000.00"), ("2.5", "2.50")],
    ids=["exponent", "trailing-zero", "whole", "one-decimal"],
)
def test_a_deposit_is_logged_with_two_decimals_however_it_was_typed(savings, teller, typed, kept):
    deposit = services.deposit(savings, amount=Decimal(typed), on=DAY, by=teller)

    assert str(deposit.amount) == kept
    assert str(deposit) == f"Deposit {kept} ({DAY.isoformat()})"
    event = logged("ledger.transaction.posted")
    assert event.details["amount"] == kept
    assert event.object_repr == str(deposit)


def test_a_reversal_is_logged_with_two_decimals(savings, teller, manager):
    deposit = services.deposit(savings, amount=Decimal("1E+2"), on=DAY, by=teller)

    reversal = services.reverse(deposit, on=DAY, by=manager, reason="Wrong account")

    event = logged("ledger.transaction.reversed")
    assert event.details["amount"] == "100.00"
    assert event.object_repr == str(reversal) == f"Reversal 100.00 ({DAY.isoformat()})"


def test_the_amount_check_hands_back_the_amount_as_the_ledger_keeps_it():
    assert str(services.check_amount(Decimal("1e2"))) == "100.00"


def test_an_amount_of_thirty_digits_is_refused_as_too_large_not_failed_on(savings, teller):
    with pytest.raises(services.TransitionError) as refused:
        services.deposit(savings, amount=Decimal("1e30"), on=DAY, by=teller)

    assert refused.value.message == "The amount cannot be more than 9,999,999,999,999.99."
