"""How much an account takes: amounts and balances the ledger stores exactly on both databases, and the
product's largest deposit or disbursement. A refusal leaves nothing written."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from audit.models import Event
from ledger import services
from ledger.models import LARGEST_MONEY, Account, Product, Transaction
from mifos.actions import TransitionError
from tests.ledger.conftest import DAY
from tests.ledger.factories import AccountFactory, LoanFactory, LoanProductFactory, SavingsProductFactory

pytestmark = pytest.mark.django_db

LATER = DAY + datetime.timedelta(days=1)


def d(text):
    return Decimal(text)


def refused(call, *args, **kwargs):
    with pytest.raises(TransitionError) as error:
        call(*args, **kwargs)
    return error.value


def assert_nothing_written(account, balance, transactions):
    """The stored balance and history are as they were, and check_balances agrees with them."""
    stored = Account.objects.get(pk=account.pk)
    assert stored.balance == balance
    assert stored.transactions.count() == transactions
    assert Event.objects.filter(event__startswith="ledger.transaction").count() == transactions
    call_command("check_balances")


def test_a_mistyped_deposit_of_fifteen_nines_is_refused_on_the_amount(funded, teller):
    error = refused(services.deposit, funded, amount=d("999999999999999"), on=DAY, by=teller)

    assert error.field == "amount"
    assert error.message == "The amount cannot be more than 9,999,999,999,999.99."
    assert_nothing_written(funded, d("100.00"), 1)


def test_a_balance_is_kept_to_the_cent_up_to_the_largest_an_account_holds(savings, teller):
    services.deposit(savings, amount=LARGEST_MONEY, on=DAY, by=teller)
    withdrawal = services.withdraw(savings, amount=d("0.01"), on=DAY, by=teller)

    # Read back from the database: SQLite keeps 15 significant digits exactly, no more.
    assert Account.objects.get(pk=savings.pk).balance == d("9999999999999.98")
    assert Transaction.objects.get(pk=withdrawal.pk).running_balance == d("9999999999999.98")
    call_command("check_balances")


def test_a_deposit_that_would_take_the_balance_past_the_largest_is_refused(funded, teller):
    services.deposit(funded, amount=LARGEST_MONEY - d("100.00"), on=DAY, by=teller)

    error = refused(services.deposit, funded, amount=d("0.01"), on=DAY, by=teller)

    assert error.field == "amount"
    assert error.message == (
        "This would take the balance to 10,000,000,000,000.00 USD, "
        "more than an account can hold (9,999,999,999,999.99 USD)."
    )
    assert_nothing_written(funded, LARGEST_MONEY, 2)


def test_a_disbursement_that_would_take_what_is_owed_past_the_largest_is_refused(loan, teller):
    services.disburse(loan, amount=LARGEST_MONEY, on=DAY, by=teller)

    error = refused(services.disburse, loan, amount=d("1.00"), on=DAY, by=teller)

    assert error.field == "amount"
    assert_nothing_written(loan, LARGEST_MONEY, 1)


def test_a_reversal_that_would_take_the_balance_past_the_largest_is_refused(funded, teller, manager):
    withdrawal = services.withdraw(funded, amount=d("50.00"), on=DAY, by=teller)
    services.deposit(funded, amount=LARGEST_MONEY - d("50.00"), on=DAY, by=teller)

    error = refused(services.reverse, withdrawal, on=LATER, by=manager, reason="Keyed on the wrong account")

    assert "more than an account can hold" in error.message
    assert_nothing_written(funded, LARGEST_MONEY, 3)


def test_reversing_a_large_deposit_gives_back_the_balance_to_the_cent(funded, teller, manager):
    services.deposit(funded, amount=d("1277.95"), on=DAY, by=teller)
    large = services.deposit(funded, amount=d("9999999990000.00"), on=DAY, by=teller)
    services.withdraw(funded, amount=d("0.05"), on=DAY, by=teller)

    services.reverse(large, on=LATER, by=manager, reason="Typed too many zeros")

    assert Account.objects.get(pk=funded.pk).balance == d("1377.90")
    call_command("check_balances")


def test_the_posting_page_shows_the_refusal_next_to_the_amount(client, funded, teller):
    client.force_login(teller)
    response = client.post(
        reverse("ledger:account_post", args=[funded.pk]),
        {"kind": "deposit", "amount": "999999999999999", "on": DAY.isoformat(), "receipt": ""},
    )

    assert response.status_code == 200
    assert response.context["posting_form"].errors["amount"] == [
        "The amount cannot be more than 9,999,999,999,999.99."
    ]
    assert_nothing_written(funded, d("100.00"), 1)


# --- The product's largest deposit or disbursement ------------------------------------------------------


def test_a_deposit_above_the_products_largest_is_refused(member, teller):
    account = AccountFactory(client=member, product=SavingsProductFactory(max_amount=d("5000.00")))

    error = refused(services.deposit, account, amount=d("5000.01"), on=DAY, by=teller)

    assert error.field == "amount"
    assert error.message == (
        "The amount is more than 5,000.00 USD, the largest deposit that Voluntary savings takes."
    )
    assert_nothing_written(account, d("0"), 0)
    services.deposit(account, amount=d("5000.00"), on=DAY, by=teller)
    assert Account.objects.get(pk=account.pk).balance == d("5000.00")


def test_a_disbursement_above_the_products_largest_is_refused(member, teller):
    loan = LoanFactory(client=member, product=LoanProductFactory(max_amount=d("2000.00")))

    error = refused(services.disburse, loan, amount=d("20000.00"), on=DAY, by=teller)

    assert error.message == (
        "The amount is more than 2,000.00 USD, the largest disbursement that Group loan takes."
    )
    assert_nothing_written(loan, d("0"), 0)


def test_money_going_out_is_held_to_the_balance_not_to_the_products_largest(member, teller):
    account = AccountFactory(client=member, product=SavingsProductFactory(max_amount=d("5000.00")))
    for _ in range(3):
        services.deposit(account, amount=d("5000.00"), on=DAY, by=teller)

    services.withdraw(account, amount=d("15000.00"), on=DAY, by=teller)

    assert Account.objects.get(pk=account.pk).balance == 0


@pytest.mark.parametrize("max_amount", ["0", "-1", "10000000000000.00"])
def test_a_products_largest_amount_is_more_than_zero_and_fits_an_account(max_amount):
    product = Product(kind="savings", name="Youth savings", short_code="YS", max_amount=d(max_amount))

    with pytest.raises(ValidationError) as error:
        product.full_clean()
    assert "max_amount" in error.value.message_dict
