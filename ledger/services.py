"""The only way to change accounts: open, post, reverse, close, mark repaid, write off.

Each action checks its rules and raises a ``TransitionError`` whose message a person reads,
then writes inside ``transaction.atomic()`` with the account's row locked, so two tellers
posting at the same moment are served one after the other and both land on the right balance.
Permissions (who may act) are the views' business, as in ``clients.lifecycle``; these rules hold
for every caller.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients import lifecycle
from clients.choices import ClientStatus
from clients.models import Client
from groups.choices import GroupStatus
from groups.models import Group
from mifos.actions import TransitionError, check_dates, user_name

from .choices import (
    DECREASING,
    INCREASING,
    POSTINGS,
    AccountStatus,
    ProductHolders,
    ProductKind,
    TransactionKind,
)
from .models import LARGEST_MONEY, MONEY, Account, Transaction
from .numbering import next_account_number

__all__ = [
    "AlreadyPosted",
    "TransitionError",
    "activate_account",
    "close_savings",
    "closing_refusal",
    "deposit",
    "disburse",
    "mark_repaid",
    "open_account",
    "repaid_refusal",
    "repay",
    "reverse",
    "withdraw",
    "write_off",
    "write_off_refusal",
]

# Whole sentences, so that each language can word them its own way.
WRONG_KIND = {
    ProductKind.SAVINGS: gettext_lazy("A savings account takes deposits and withdrawals, not a %(kind)s."),
    ProductKind.LOAN: gettext_lazy("A loan takes disbursements and repayments, not a %(kind)s."),
}

# Why a product is refused to a holder it is not offered to, by whom it is offered to.
OFFERED_ONLY_TO = {
    ProductHolders.CLIENTS: gettext_lazy("%(product)s is offered to clients only, not to groups."),
    ProductHolders.GROUPS: gettext_lazy("%(product)s is offered to groups only, not to individual clients."),
}


def figure(amount):
    """An amount as people read it, without a currency: "1,250.00"."""
    return formats.number_format(amount, MONEY["decimal_places"], force_grouping=True)


def money(amount, account):
    """An amount as people read it, with the product's currency: "1,250.00 USD"."""
    return f"{figure(amount)} {account.product.currency}"


def _audit(by, event, obj, **details):
    """Record the event in the activity log."""
    from audit import record

    account = obj if isinstance(obj, Account) else obj.account
    record(by, event, obj=obj, office=account.owner.office_id, **details)


# --- Checks ---------------------------------------------------------------------------------------------


CENT = Decimal(1).scaleb(-MONEY["decimal_places"])


def check_amount(amount):
    """The amount as the ledger keeps it, with the currency's two decimals: "1e2" or "100" is 100.00
    from here on, in the transaction, its text and the activity log, which cannot be corrected later."""
    if isinstance(amount, float) or not isinstance(amount, Decimal):
        # A programming error, not a person's: binary fractions would lose cents.
        raise TypeError(f"Amounts are Decimal, not {type(amount).__name__}.")
    if not amount.is_finite() or amount <= 0:
        raise TransitionError(_("The amount must be more than zero."), field="amount")
    if amount > LARGEST_MONEY:
        # Checked before the decimals: quantizing a figure of thirty digits fails.
        message = _("The amount cannot be more than %(largest)s.") % {"largest": figure(LARGEST_MONEY)}
        raise TransitionError(message, field="amount")
    quantized = amount.quantize(CENT)
    if amount != quantized:
        raise TransitionError(_("The amount cannot have more than two decimal places."), field="amount")
    return quantized


def check_product_limit(account, kind, amount):
    """Money coming in is held to the product's largest amount, to catch a mistyped figure; money
    going out is held to the balance already."""
    largest = account.product.max_amount
    if kind in INCREASING and largest is not None and amount > largest:
        raise TransitionError(
            _("The amount is more than %(largest)s, the largest %(kind)s that %(product)s takes.")
            % {
                "largest": money(largest, account),
                "kind": TransactionKind(kind).label.lower(),
                "product": account.product,
            },
            field="amount",
        )


def owner_refusal(owner):
    """Why the account's client or group may not transact now, or None."""
    if isinstance(owner, Client):
        if owner.status == ClientStatus.TRANSFER_ON_HOLD:
            return _(
                "%(client)s is on hold: the other office refused the transfer. Their accounts take "
                "transactions again once the transfer is withdrawn, from the client's page."
            ) % {"client": owner.display_name}
        if owner.status != ClientStatus.ACTIVE:
            return _("%(client)s is %(status)s; only an active client's accounts take transactions.") % {
                "client": owner.display_name,
                "status": owner.get_status_display().lower(),
            }
    elif owner.status != GroupStatus.ACTIVE:
        return _("%(group)s is %(status)s; only an active group's accounts take transactions.") % {
            "group": owner,
            "status": owner.get_status_display().lower(),
        }
    return None


def lock(account):
    """Lock the account's row until the transaction ends and reload its state from it."""
    account.refresh_from_db(
        from_queryset=Account.objects.select_for_update(of=("self",)).select_related(
            "product", "client", "group"
        )
    )


def check_active(account):
    if account.status != AccountStatus.ACTIVE:
        raise TransitionError(
            _("Account %(number)s is %(status)s; only an active account takes transactions.")
            % {"number": account.number, "status": account.get_status_display().lower()}
        )
    refusal = owner_refusal(account.owner)
    if refusal:
        raise TransitionError(refusal)


def since_arrival(owner):
    """The client's arrival in its office by transfer (``clients.lifecycle.since_arrival``); a group
    stays in its office, so it has none."""
    return lifecycle.since_arrival(owner) if isinstance(owner, Client) else (None, "")


def check_posting_date(account, on):
    """Not in the future, not before the account opened, its last transaction, nor its client's arrival
    in the office (``since_arrival``).

    The last transaction keeps the history in date order, so each running balance is the balance on its date.
    """
    check_dates(
        on,
        (account.opened_on, _("the account's opening date")),
        (account.last_transaction_on, _("the account's last transaction")),
        since_arrival(account.owner),
    )


def _write(account, *, kind, amount, on, by, receipt="", reverses=None, reason="", token=""):
    """Move the balance and record the transaction; refused, before anything is written, if the
    balance would pass what an account holds."""
    change = amount if kind not in DECREASING else -amount
    if reverses is not None:
        change = -reverses.change
    if account.balance + change > LARGEST_MONEY:
        raise TransitionError(
            _("This would take the balance to %(balance)s, more than an account can hold (%(largest)s).")
            % {"balance": money(account.balance + change, account), "largest": money(LARGEST_MONEY, account)},
            field="amount",
        )
    account.balance += change
    account.last_transaction_on = on
    account.save(update_fields=["balance", "last_transaction_on"])
    return Transaction.objects.create(
        account=account,
        client_id=account.client_id,
        kind=kind,
        amount=amount,
        date=on,
        receipt=receipt,
        reverses=reverses,
        reason=reason,
        running_balance=account.balance,
        created_by=by,
        created_by_name=user_name(by),
        token=token,
    )


# --- Opening --------------------------------------------------------------------------------------------


@transaction.atomic
def open_account(owner, *, product, on, by, pending=False):
    """Open a savings account or a loan of ``product`` for an active client or group.

    ``pending`` opens it as an application, usable once ``activate_account`` approves it.
    """
    # Locked, so that a client being closed at this moment either sees the new account or refuses it.
    owner = (
        (Client if isinstance(owner, Client) else Group)
        .objects.select_for_update(of=("self",))
        .select_related("office")
        .get(pk=owner.pk)
    )
    if product is None:
        raise TransitionError(_("Choose a product."), field="product")
    if not product.is_active:
        raise TransitionError(_("%(product)s is no longer offered.") % {"product": product}, field="product")
    if not product.may_be_held_by(owner):
        raise TransitionError(OFFERED_ONLY_TO[product.offered_to] % {"product": product}, field="product")
    if isinstance(owner, Client) and owner.status != ClientStatus.ACTIVE:
        raise TransitionError(
            _("Accounts are opened for active clients only; %(client)s is %(status)s.")
            % {"client": owner.display_name, "status": owner.get_status_display().lower()}
        )
    if isinstance(owner, Group) and owner.status != GroupStatus.ACTIVE:
        raise TransitionError(
            _("Accounts are opened for active groups only; %(group)s is %(status)s.")
            % {"group": owner, "status": owner.get_status_display().lower()}
        )
    check_dates(on, (owner.activated_on, _("the activation date")), since_arrival(owner))
    account = Account.objects.create(
        number=next_account_number(owner.office, product),
        kind=product.kind,
        product=product,
        client=owner if isinstance(owner, Client) else None,
        group=owner if isinstance(owner, Group) else None,
        status=AccountStatus.PENDING if pending else AccountStatus.ACTIVE,
        opened_on=on,
        created_by=by,
        created_by_name=user_name(by),
    )
    _audit(by, "ledger.account.opened", account, product=product.name, opened_on=on.isoformat())
    return account


@transaction.atomic
def activate_account(account, *, on, by):
    """Approve a pending account: from ``on`` it takes transactions."""
    lock(account)
    if account.status != AccountStatus.PENDING:
        raise TransitionError(
            _("Only a pending account can be activated; account %(number)s is %(status)s.")
            % {"number": account.number, "status": account.get_status_display().lower()}
        )
    refusal = owner_refusal(account.owner)
    if refusal:
        raise TransitionError(refusal)
    check_dates(on, (account.opened_on, _("the account's opening date")), since_arrival(account.owner))
    account.status = AccountStatus.ACTIVE
    account.opened_on = on
    account.save(update_fields=["status", "opened_on"])
    _audit(by, "ledger.account.activated", account, on=on.isoformat())
    return account


# --- Postings -------------------------------------------------------------------------------------------


class AlreadyPosted(TransitionError):
    """The same posting form sent again (a double click, a re-send on a slow line): ``earlier`` is
    what it posted the first time, and nothing more is posted."""

    def __init__(self, earlier):
        super().__init__(
            _("This form was sent twice: its %(kind)s of %(amount)s of %(date)s is posted once, not again.")
            % describe(earlier)
        )
        self.earlier = earlier


def describe(posted):
    """The words that name a transaction in a message: its kind, amount and date."""
    return {
        "kind": posted.get_kind_display().lower(),
        "amount": money(posted.amount, posted.account),
        "date": formats.date_format(posted.date, "SHORT_DATE_FORMAT"),
    }


def check_receipt(account, receipt):
    """A receipt reference names one payment: the same one again on the account is most likely the
    same payment posted twice. One whose transaction was reversed may be used again, for the
    posting that corrects it."""
    if not receipt:
        return
    earlier = (
        account.transactions.filter(receipt__iexact=receipt, reversed_by__isnull=True)
        .exclude(receipt="")  # the receipt index holds no empty ones
        .order_by("-date", "-id")
        .first()
    )
    if earlier is not None:
        raise TransitionError(
            _(
                "Receipt %(receipt)s is already on this account: the %(kind)s of %(amount)s of %(date)s. "
                "A different payment takes its own receipt reference; if that posting was wrong, reverse "
                "it first."
            )
            % {"receipt": earlier.receipt, **describe(earlier)},
            field="receipt",
        )


def post(account, kind, *, amount, on, by, receipt="", token=""):
    """Post a deposit, withdrawal, disbursement or repayment; the four functions below name the kind.

    ``token`` is the posting form's one-time token: the form sent again raises ``AlreadyPosted``.
    """
    amount = check_amount(amount)
    receipt = receipt.strip()
    with transaction.atomic():
        lock(account)  # a second sending of the form waits here, then finds the first one's token
        if token and (earlier := account.transactions.filter(token=token).first()) is not None:
            raise AlreadyPosted(earlier)
        check_active(account)
        if kind not in POSTINGS[account.kind]:
            raise TransitionError(
                WRONG_KIND[account.kind] % {"kind": TransactionKind(kind).label.lower()}, field="kind"
            )
        check_product_limit(account, kind, amount)
        check_posting_date(account, on)
        check_receipt(account, receipt)
        if kind == TransactionKind.WITHDRAWAL and amount > account.balance:
            raise TransitionError(
                _("The withdrawal of %(amount)s is more than the balance of %(balance)s.")
                % {"amount": money(amount, account), "balance": money(account.balance, account)},
                field="amount",
            )
        if kind == TransactionKind.REPAYMENT and amount > account.balance:
            raise TransitionError(
                _("The repayment of %(amount)s is more than the %(balance)s outstanding.")
                % {"amount": money(amount, account), "balance": money(account.balance, account)},
                field="amount",
            )
        posted = _write(account, kind=kind, amount=amount, on=on, by=by, receipt=receipt, token=token)
        _audit(
            by,
            "ledger.transaction.posted",
            posted,
            kind=kind,
            amount=str(amount),
            date=on.isoformat(),
            account=account.number,
        )
        return posted


def deposit(account, *, amount, on, by, receipt="", token=""):
    return post(account, TransactionKind.DEPOSIT, amount=amount, on=on, by=by, receipt=receipt, token=token)


def withdraw(account, *, amount, on, by, receipt="", token=""):
    return post(
        account, TransactionKind.WITHDRAWAL, amount=amount, on=on, by=by, receipt=receipt, token=token
    )


def disburse(account, *, amount, on, by, receipt="", token=""):
    return post(
        account, TransactionKind.DISBURSEMENT, amount=amount, on=on, by=by, receipt=receipt, token=token
    )


def repay(account, *, amount, on, by, receipt="", token=""):
    return post(account, TransactionKind.REPAYMENT, amount=amount, on=on, by=by, receipt=receipt, token=token)


@transaction.atomic
def reverse(original, *, on, by, reason):
    """Cancel ``original`` with a new transaction of the same amount the other way; nothing is edited."""
    account = original.account
    lock(account)
    original = Transaction.objects.select_related("reverses").get(pk=original.pk)
    if original.kind == TransactionKind.REVERSAL:
        raise TransitionError(_("A reversal cannot be reversed; post the transaction again instead."))
    done = Transaction.objects.filter(reverses=original).first()
    if done is not None:
        raise TransitionError(
            _("This transaction was already reversed on %(date)s.")
            % {"date": formats.date_format(done.date, "SHORT_DATE_FORMAT")}
        )
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Give the reason for the reversal."), field="reason")
    check_active(account)
    check_dates(
        on,
        (original.date, _("the date of the transaction it reverses")),
        (account.last_transaction_on, _("the account's last transaction")),
        since_arrival(account.owner),
    )
    if account.balance - original.change < 0:
        if account.is_savings:
            message = _("Reversing this deposit would take the balance of %(balance)s below zero.")
        else:
            message = _(
                "Reversing this disbursement would leave more repaid than lent (%(balance)s outstanding)."
            )
        raise TransitionError(message % {"balance": money(account.balance, account)})
    reversal = _write(
        account,
        kind=TransactionKind.REVERSAL,
        amount=original.amount,
        on=on,
        by=by,
        reverses=original,
        reason=reason,
    )
    _audit(
        by,
        "ledger.transaction.reversed",
        reversal,
        reverses=original.pk,
        kind=original.kind,
        amount=str(original.amount),
        reason=reason,
        account=account.number,
    )
    return reversal


# --- Ending an account ----------------------------------------------------------------------------------


def _end(account, status, *, on, by, reason=""):
    check_posting_date(account, on)
    account.status = status
    account.closed_on = on
    account.close_reason = reason
    account.save(update_fields=["status", "closed_on", "close_reason"])


def _ending_refusal(account, kind, wrong_kind):
    """The refusals every ending shares: the wrong kind of account, one ended already, and a client
    or group that takes no transactions now (a client on its way to another office: the receiving
    office decides on the accounts it saw)."""
    if account.kind != kind:
        return wrong_kind
    if account.status != AccountStatus.ACTIVE:
        return _("Account %(number)s is %(status)s already.") % {
            "number": account.number,
            "status": account.get_status_display().lower(),
        }
    return owner_refusal(account.owner)


def closing_refusal(account):
    """Why the savings account cannot be closed now, or None; the closing page asks before its form."""
    refusal = _ending_refusal(
        account, ProductKind.SAVINGS, _("Only a savings account is closed; a loan is repaid or written off.")
    )
    if refusal is None and account.balance:
        refusal = _("The balance is %(balance)s; withdraw it before closing the account.") % {
            "balance": money(account.balance, account)
        }
    return refusal


def repaid_refusal(account):
    """Why the loan cannot be marked repaid now, or None; its page asks before its form."""
    refusal = _ending_refusal(account, ProductKind.LOAN, _("Only a loan is marked repaid."))
    if refusal is None and account.balance:
        refusal = _("%(balance)s is still outstanding; the loan is not repaid.") % {
            "balance": money(account.balance, account)
        }
    return refusal


def write_off_refusal(account):
    """Why the loan cannot be written off now, or None; its page asks before its form."""
    refusal = _ending_refusal(account, ProductKind.LOAN, _("Only a loan is written off."))
    if refusal is None and not account.balance:
        refusal = _("Nothing is outstanding; mark the loan repaid instead.")
    return refusal


@transaction.atomic
def close_savings(account, *, on, by):
    """Close a savings account whose balance is zero."""
    lock(account)
    refusal = closing_refusal(account)
    if refusal:
        raise TransitionError(refusal)
    _end(account, AccountStatus.CLOSED, on=on, by=by)
    _audit(by, "ledger.account.closed", account, on=on.isoformat())
    return account


@transaction.atomic
def mark_repaid(account, *, on, by):
    """Mark a loan repaid once nothing is outstanding."""
    lock(account)
    refusal = repaid_refusal(account)
    if refusal:
        raise TransitionError(refusal)
    _end(account, AccountStatus.REPAID, on=on, by=by)
    _audit(by, "ledger.account.repaid", account, on=on.isoformat())
    return account


@transaction.atomic
def write_off(account, *, on, by, reason):
    """Give up on what a loan still owes; the amount stays on the account as the amount written off."""
    lock(account)
    refusal = write_off_refusal(account)
    if refusal:
        raise TransitionError(refusal)
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Give the reason for writing the loan off."), field="reason")
    _end(account, AccountStatus.WRITTEN_OFF, on=on, by=by, reason=reason)
    _audit(
        by,
        "ledger.account.written_off",
        account,
        on=on.isoformat(),
        amount=str(account.balance),
        reason=reason,
    )
    return account
