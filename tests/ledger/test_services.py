import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from clients.choices import ClientStatus
from groups.choices import GroupStatus
from ledger import services
from ledger.choices import AccountStatus, ProductKind, TransactionKind
from ledger.models import Account, Transaction
from mifos.actions import TransitionError
from tests.clients.factories import ActiveClientFactory, ClientFactory
from tests.groups.factories import ActiveGroupFactory
from tests.ledger.conftest import DAY
from tests.ledger.factories import AccountFactory, LoanProductFactory, SavingsProductFactory

pytestmark = pytest.mark.django_db

LATER = DAY + datetime.timedelta(days=5)


def d(text):
    return Decimal(text)


def refused(message_part, call, *args, **kwargs):
    with pytest.raises(TransitionError) as error:
        call(*args, **kwargs)
    assert message_part in error.value.message, error.value.message
    return error.value


def assert_balances_agree():
    call_command("check_balances")


# --- Opening ------------------------------------------------------------------------------------------


def test_an_account_is_opened_with_a_number_in_the_institutions_format(member, manager):
    account = services.open_account(member, product=SavingsProductFactory(), on=DAY, by=manager)

    assert account.number == f"{member.office.code}-SAV-0000001"
    assert account.status == AccountStatus.ACTIVE
    assert account.kind == ProductKind.SAVINGS
    assert account.balance == 0
    second = services.open_account(member, product=LoanProductFactory(), on=DAY, by=manager)
    assert second.number == f"{member.office.code}-LN-0000002"


def test_a_group_gets_an_account_too(manager):
    group = ActiveGroupFactory()
    account = services.open_account(group, product=LoanProductFactory(), on=DAY, by=manager)

    assert account.group == group and account.client is None
    assert account.office == group.office


def test_it_refuses_an_account_for_a_client_who_is_not_active(branch, manager):
    pending = ClientFactory(office=branch)
    refused("only; ", services.open_account, pending, product=SavingsProductFactory(), on=DAY, by=manager)
    assert not Account.objects.exists()


def test_it_refuses_a_product_no_longer_offered(member, manager):
    product = SavingsProductFactory(is_active=False)
    refused("is no longer offered", services.open_account, member, product=product, on=DAY, by=manager)


def test_it_refuses_an_opening_before_the_clients_activation(member, manager):
    refused(
        "cannot be before the activation date",
        services.open_account,
        member,
        product=SavingsProductFactory(),
        on=member.activated_on - datetime.timedelta(days=1),
        by=manager,
    )


def test_an_account_belongs_to_a_client_or_a_group_never_both(member):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        AccountFactory(client=member, group=ActiveGroupFactory())


# --- Postings and their refusals -------------------------------------------------------------------


def test_a_deposit_and_a_withdrawal_move_the_balance(savings, teller):
    services.deposit(savings, amount=d("100.00"), on=DAY, by=teller, receipt=" R-1 ")
    withdrawal = services.withdraw(savings, amount=d("30.50"), on=LATER, by=teller)

    savings.refresh_from_db()
    assert savings.balance == d("69.50")
    assert savings.last_transaction_on == LATER
    assert withdrawal.running_balance == d("69.50")
    assert withdrawal.client_id == savings.client_id
    assert withdrawal.created_by_name
    assert Transaction.objects.get(kind=TransactionKind.DEPOSIT).receipt == "R-1"
    assert_balances_agree()


def test_a_disbursement_and_a_repayment_move_what_is_outstanding(loan, teller):
    services.disburse(loan, amount=d("500.00"), on=DAY, by=teller)
    services.repay(loan, amount=d("120.00"), on=LATER, by=teller)

    loan.refresh_from_db()
    assert loan.balance == d("380.00")
    assert_balances_agree()


def test_it_refuses_a_float():
    with pytest.raises(TypeError):
        services.check_amount(10.0)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "The amount must be more than zero."),
        ("-5", "The amount must be more than zero."),
        ("1.005", "more than two decimal places"),
        ("10000000000000000", "cannot be more than 9,999,999,999,999.99"),
    ],
)
def test_it_refuses_an_amount_that_is_not_a_positive_sum_of_money(savings, teller, amount, message):
    error = refused(message, services.deposit, savings, amount=d(amount), on=DAY, by=teller)
    assert error.field == "amount"
    assert not Transaction.objects.exists()


def test_it_refuses_a_withdrawal_below_zero(funded, teller):
    error = refused(
        "The withdrawal of 100.01 USD is more than the balance of 100.00 USD.",
        services.withdraw,
        funded,
        amount=d("100.01"),
        on=DAY,
        by=teller,
    )
    assert error.field == "amount"
    services.withdraw(funded, amount=d("100.00"), on=DAY, by=teller)
    funded.refresh_from_db()
    assert funded.balance == 0


def test_it_refuses_a_repayment_above_what_is_outstanding(loan, teller):
    services.disburse(loan, amount=d("50.00"), on=DAY, by=teller)
    refused(
        "The repayment of 50.01 USD is more than the 50.00 USD outstanding.",
        services.repay,
        loan,
        amount=d("50.01"),
        on=DAY,
        by=teller,
    )


def test_it_refuses_a_date_in_the_future(savings, teller):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    refused("cannot be in the future", services.deposit, savings, amount=d("1"), on=tomorrow, by=teller)


def test_it_refuses_a_date_before_the_account_opened(savings, teller):
    refused(
        "cannot be before the account's opening date",
        services.deposit,
        savings,
        amount=d("1"),
        on=savings.opened_on - datetime.timedelta(days=1),
        by=teller,
    )


def test_it_refuses_a_date_before_the_last_transaction(funded, teller):
    refused(
        "cannot be before the account's last transaction",
        services.deposit,
        funded,
        amount=d("1"),
        on=DAY - datetime.timedelta(days=1),
        by=teller,
    )


def test_it_refuses_the_wrong_kind_of_posting(savings, loan, teller):
    refused(
        "A savings account takes deposits and withdrawals, not a disbursement.",
        services.disburse,
        savings,
        amount=d("1"),
        on=DAY,
        by=teller,
    )
    refused(
        "A loan takes disbursements and repayments, not a deposit.",
        services.deposit,
        loan,
        amount=d("1"),
        on=DAY,
        by=teller,
    )


@pytest.mark.parametrize("status", [AccountStatus.PENDING, AccountStatus.CLOSED, AccountStatus.WRITTEN_OFF])
def test_it_refuses_a_posting_on_an_account_that_is_not_active(member, teller, status):
    account = AccountFactory(client=member, status=status)
    refused(
        f"Account {account.number} is {account.get_status_display().lower()}; only an active account",
        services.deposit,
        account,
        amount=d("1"),
        on=DAY,
        by=teller,
    )


@pytest.mark.parametrize("status", [ClientStatus.CLOSED, ClientStatus.TRANSFER_IN_PROGRESS])
def test_it_refuses_a_posting_for_a_client_who_is_not_active(savings, teller, status):
    savings.client.status = status
    savings.client.save()
    refused(
        "only an active client's accounts take transactions",
        services.deposit,
        savings,
        amount=d("1"),
        on=DAY,
        by=teller,
    )


def test_it_refuses_a_posting_for_a_group_that_is_not_active(teller):
    account = AccountFactory(client=None, group=ActiveGroupFactory(status=GroupStatus.CLOSED))
    refused("only an active group's accounts", services.deposit, account, amount=d("1"), on=DAY, by=teller)


def test_a_pending_account_takes_postings_once_activated(member, manager, teller):
    account = services.open_account(member, product=SavingsProductFactory(), on=DAY, by=manager, pending=True)
    assert account.status == AccountStatus.PENDING
    services.activate_account(account, on=DAY, by=manager)
    services.deposit(account, amount=d("5"), on=DAY, by=teller)
    refused("Only a pending account can be activated", services.activate_account, account, on=DAY, by=manager)


# --- Reversals ------------------------------------------------------------------------------------------


def test_a_reversal_cancels_a_withdrawal_with_a_new_transaction(funded, teller, manager):
    withdrawal = services.withdraw(funded, amount=d("40.00"), on=DAY, by=teller)
    reversal = services.reverse(withdrawal, on=LATER, by=manager, reason="Wrong account")

    funded.refresh_from_db()
    assert funded.balance == d("100.00")
    assert reversal.kind == TransactionKind.REVERSAL
    assert reversal.amount == d("40.00")
    assert reversal.reverses == withdrawal
    assert reversal.running_balance == d("100.00")
    assert reversal.reason == "Wrong account"
    withdrawal.refresh_from_db()
    assert withdrawal.amount == d("40.00")  # the original stands as it was
    assert Transaction.objects.count() == 3
    assert_balances_agree()


def test_a_reversal_of_a_disbursement_and_of_a_repayment_keep_balances_right(loan, teller, manager):
    services.disburse(loan, amount=d("300"), on=DAY, by=teller)
    repayment = services.repay(loan, amount=d("100"), on=DAY, by=teller)
    services.reverse(repayment, on=DAY, by=manager, reason="Bounced")
    loan.refresh_from_db()
    assert loan.balance == d("300")
    assert_balances_agree()


def test_it_refuses_to_reverse_twice(funded, manager):
    deposit = funded.transactions.get()
    services.reverse(deposit, on=DAY, by=manager, reason="Typo")
    refused("already reversed", services.reverse, deposit, on=DAY, by=manager, reason="Again")


def test_it_refuses_to_reverse_a_reversal(funded, manager):
    reversal = services.reverse(funded.transactions.get(), on=DAY, by=manager, reason="Typo")
    refused("A reversal cannot be reversed", services.reverse, reversal, on=DAY, by=manager, reason="x")


def test_it_refuses_a_reversal_without_a_reason(funded, manager):
    error = refused(
        "Give the reason", services.reverse, funded.transactions.get(), on=DAY, by=manager, reason=" "
    )
    assert error.field == "reason"


def test_it_refuses_a_reversal_that_would_take_savings_below_zero(funded, teller, manager):
    services.withdraw(funded, amount=d("80"), on=DAY, by=teller)
    deposit = funded.transactions.get(kind=TransactionKind.DEPOSIT)
    refused(
        "would take the balance of 20.00 USD below zero",
        services.reverse,
        deposit,
        on=DAY,
        by=manager,
        reason="Typo",
    )


def test_it_refuses_a_reversal_dated_before_the_transaction(funded, manager):
    refused(
        "cannot be before the date of the transaction it reverses",
        services.reverse,
        funded.transactions.get(),
        on=DAY - datetime.timedelta(days=1),
        by=manager,
        reason="Typo",
    )


# --- Ending accounts ----------------------------------------------------------------------------------


def test_a_savings_account_closes_at_zero_only(funded, teller, manager):
    refused(
        "The balance is 100.00 USD; withdraw it before closing",
        services.close_savings,
        funded,
        on=DAY,
        by=manager,
    )
    services.withdraw(funded, amount=d("100"), on=DAY, by=teller)
    services.close_savings(funded, on=LATER, by=manager)
    funded.refresh_from_db()
    assert funded.status == AccountStatus.CLOSED and funded.closed_on == LATER
    refused("is closed already", services.close_savings, funded, on=LATER, by=manager)


def test_a_loan_is_not_closed_as_savings(loan, manager):
    refused("Only a savings account is closed", services.close_savings, loan, on=DAY, by=manager)


def test_a_loan_is_marked_repaid_when_nothing_is_outstanding(loan, teller, manager):
    services.disburse(loan, amount=d("100"), on=DAY, by=teller)
    refused("100.00 USD is still outstanding", services.mark_repaid, loan, on=DAY, by=manager)
    services.repay(loan, amount=d("100"), on=DAY, by=teller)
    services.mark_repaid(loan, on=DAY, by=manager)
    loan.refresh_from_db()
    assert loan.status == AccountStatus.REPAID


def test_a_loan_is_written_off_with_a_reason(loan, teller, manager):
    refused("Nothing is outstanding", services.write_off, loan, on=DAY, by=manager, reason="Gone")
    services.disburse(loan, amount=d("100"), on=DAY, by=teller)
    refused("Give the reason", services.write_off, loan, on=DAY, by=manager, reason="")
    services.write_off(loan, on=LATER, by=manager, reason="Client left the country")
    loan.refresh_from_db()
    assert loan.status == AccountStatus.WRITTEN_OFF
    assert loan.close_reason == "Client left the country"
    refused("is written off", services.repay, loan, amount=d("1"), on=LATER, by=teller)


# --- check_balances ---------------------------------------------------------------------------------


def test_check_balances_reports_a_stored_balance_that_disagrees(funded, capsys):
    Account.objects.filter(pk=funded.pk).update(balance=d("99.00"))

    with pytest.raises(CommandError):
        call_command("check_balances")
    assert funded.number in capsys.readouterr().out


def test_check_balances_agrees_with_an_untouched_account(member):
    AccountFactory(client=ActiveClientFactory(office=member.office))
    assert_balances_agree()
