"""Demo products, accounts and transactions. Idempotent: running it twice changes nothing.

The hand-written demo clients get their accounts through ``ledger.services`` as the system user,
so the demo obeys the same rules as a teller. With ``seed_demo --clients N`` the generated active
clients get about two and a half accounts each and a history of about twenty-five transactions
(some twenty per client of every status), written in bulk through mifos.bulk (COPY on PostgreSQL),
skipping ``save()`` on purpose: what the services would compute (numbers, running balances, the
stored balance) is computed here the same way.
"""

import datetime
import random
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.choices import ClientStatus
from clients.lifecycle import user_name
from clients.models import Client
from groups.choices import GroupStatus
from groups.models import Group
from mifos.bulk import BulkWriter, Table
from offices.models import Office, get_system_user

from . import services
from .choices import AccountStatus, ProductKind, TransactionKind
from .models import Account, LedgerRules, Product, Transaction
from .numbering import format_account_number, reserve_sequence

PRODUCTS = [
    (ProductKind.SAVINGS, "Voluntary savings", "VS"),
    (ProductKind.SAVINGS, "Compulsory savings", "CS"),
    (ProductKind.LOAN, "Working capital loan", "WC"),
    (ProductKind.LOAN, "Group loan", "GL"),
]
GENERATED_PREFIX = "GEN-"
CENT = Decimal("0.01")


def seed(stdout=None, clients=None, **options):
    products = seed_products()
    seed_demo_accounts(products, stdout=stdout)
    if clients:
        generate_accounts(products, stdout=stdout)


def seed_products():
    products = {}
    for kind, name, code in PRODUCTS:
        products[code], _created = Product.objects.get_or_create(
            short_code=code, defaults={"kind": kind, "name": name}
        )
    return products


# --- The hand-written demo ----------------------------------------------------------------------------


def seed_demo_accounts(products, *, stdout=None):
    """A savings account and a loan, with some history, for each active demo client and group."""
    by = get_system_user()
    today = timezone.localdate()
    owners = [
        *Client.objects.filter(external_id__startswith="demo-", status=ClientStatus.ACTIVE).order_by("pk"),
        *Group.objects.filter(status=GroupStatus.ACTIVE, kind="group").order_by("pk")[:1],
    ]
    opened = 0
    for index, owner in enumerate(owners):
        if owner.accounts.exists():
            continue  # already seeded; what people did since is theirs to keep
        start = max(owner.activated_on or today, today - datetime.timedelta(days=120))
        try:
            if isinstance(owner, Client):
                savings = services.open_account(owner, product=products["VS"], on=start, by=by)
                history = [
                    ("deposit", "150.00"),
                    ("deposit", "75.50"),
                    ("withdrawal", "40.00"),
                    ("deposit", "60.00"),
                ]
                _post_history(savings, history, start, today, by, index)
            loan = services.open_account(
                owner, product=products["GL" if isinstance(owner, Group) else "WC"], on=start, by=by
            )
            _post_history(
                loan,
                [("disbursement", "1000.00"), ("repayment", "110.00"), ("repayment", "110.00")],
                start,
                today,
                by,
                index,
            )
            opened += 1
        except services.TransitionError as error:
            if stdout is not None:
                stdout.write(
                    _("Demo accounts of %(owner)s skipped: %(error)s") % {"owner": owner, "error": error}
                )
    if stdout is not None:
        stdout.write(_("Demo accounts: opened for %(count)d clients and groups.") % {"count": opened})


def _post_history(account, history, start, today, by, index):
    span = max((today - start).days, 0)
    for step, (kind, amount) in enumerate(history):
        on = start + datetime.timedelta(days=span * step // max(len(history), 1))
        services.post(account, kind, amount=Decimal(amount), on=on, by=by, receipt=f"DEMO-{index:02d}-{step}")


# --- Bulk accounts for generated clients --------------------------------------------------------------


def generate_accounts(products, *, stdout=None, seed_value=20260202):
    """Accounts and histories for the generated active clients that have none yet; returns how many."""
    by = get_system_user()
    without_accounts = (
        Client.objects.filter(external_id__startswith=GENERATED_PREFIX, status=ClientStatus.ACTIVE)
        .filter(~Exists(Account.objects.filter(client=OuterRef("pk"))))
        .order_by("office_id", "pk")
    )
    owners = list(without_accounts.values_list("pk", "office_id", "activated_on"))
    if not owners:
        if stdout is not None:
            stdout.write(_("Generated accounts: every generated active client has some."))
        return 0
    rng = random.Random(seed_value + owners[0][0])
    today = timezone.localdate()
    plans = [
        _plan(rng, client_id, office_id, activated_on, today) for client_id, office_id, activated_on in owners
    ]
    account_count = sum(len(plan) for plan in plans)
    transaction_count = sum(len(history) for plan in plans for _product, _opened, history in plan)
    # Everything that needs the database comes first: during the load the connection copies.
    writer = BulkWriter()
    rules = LedgerRules.load()
    offices = Office.objects.in_bulk({office_id for _pk, office_id, _on in owners})
    per_office = {}
    for (_pk, office_id, _on), plan in zip(owners, plans, strict=True):
        per_office[office_id] = per_office.get(office_id, 0) + len(plan)
    next_value = {
        office_id: reserve_sequence(offices[office_id], count) for office_id, count in per_office.items()
    }
    account_ids = iter(writer.reserve_ids(Account, account_count))
    transaction_ids = iter(writer.reserve_ids(Transaction, transaction_count))
    accounts, transactions = Table(Account, with_id=True), Table(Transaction, with_id=True)
    by_name, now = user_name(by), timezone.now()
    with writer.loading(
        (Account, Transaction), rows_added=transaction_count, rows_there=Transaction.objects.count()
    ):
        account_rows, transaction_rows = [], []
        for (client_id, office_id, _on), plan in zip(owners, plans, strict=True):
            for code, opened_on, history in plan:
                account_id = next(account_ids)
                product = products[code]
                balance, last = Decimal(0), None
                for kind, amount, on, reverses in history:
                    transaction_id = next(transaction_ids)
                    balance += _change(kind, amount, reverses)
                    last = on
                    transaction_rows.append(
                        transactions.row(
                            {
                                "id": transaction_id,
                                "account_id": account_id,
                                "client_id": client_id,
                                "kind": kind,
                                "amount": amount,
                                "date": on,
                                "receipt": "",
                                "reverses_id": transaction_id - reverses if reverses else None,
                                "reason": "Entered twice" if reverses else "",
                                "running_balance": balance,
                                "created_at": now,
                                "created_by_id": by.pk,
                                "created_by_name": by_name,
                            }
                        )
                    )
                status = AccountStatus.ACTIVE
                if product.kind == ProductKind.LOAN and balance == 0 and history:
                    status = AccountStatus.REPAID
                account_rows.append(
                    accounts.row(
                        {
                            "id": account_id,
                            "number": format_account_number(
                                rules, offices[office_id], product, next_value[office_id]
                            ),
                            "kind": product.kind,
                            "product_id": product.pk,
                            "client_id": client_id,
                            "status": status,
                            "opened_on": opened_on,
                            "closed_on": last if status == AccountStatus.REPAID else None,
                            "balance": balance,
                            "last_transaction_on": last,
                            "created_at": now,
                            "created_by_id": by.pk,
                            "created_by_name": by_name,
                        }
                    )
                )
                next_value[office_id] += 1
            if len(transaction_rows) >= 20_000:
                writer.write(accounts, account_rows)
                writer.write(transactions, transaction_rows)
                account_rows, transaction_rows = [], []
        writer.write(accounts, account_rows)
        writer.write(transactions, transaction_rows)
    if stdout is not None:
        stdout.write(
            _(
                "Generated accounts: %(accounts)d accounts with %(transactions)d transactions "
                "for %(clients)d clients."
            )
            % {"accounts": account_count, "transactions": transaction_count, "clients": len(owners)}
        )
    return account_count


def _change(kind, amount, reverses):
    if kind in (TransactionKind.DEPOSIT, TransactionKind.DISBURSEMENT):
        return amount
    if kind == TransactionKind.REVERSAL:
        return -amount  # the demo reverses deposits only
    return -amount


def _plan(rng, client_id, office_id, activated_on, today):
    """[(product code, opened on, [(kind, amount, date, reverses)...])] of one client.

    ``reverses`` is 0, or how many transactions back the one it cancels is (always the one before).
    """
    start = activated_on or today - datetime.timedelta(days=365)
    accounts = [("VS", _savings_history), ("WC", _loan_history)]
    if rng.random() < 0.5:
        accounts.append(("CS", _savings_history))
    plan = []
    for code, history in accounts:
        opened_on = min(start + datetime.timedelta(days=rng.randrange(0, 30)), today)
        plan.append((code, opened_on, history(rng, opened_on, today)))
    return plan


def _dates(rng, opened_on, today, count):
    span = max((today - opened_on).days, 0)
    return sorted(opened_on + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count))


def _money(rng, low, high):
    return Decimal(rng.randrange(low * 100, high * 100)) * CENT


def _savings_history(rng, opened_on, today):
    """Mostly deposits, a withdrawal now and then that never takes the balance below zero."""
    history, balance = [], Decimal(0)
    for on in _dates(rng, opened_on, today, rng.randint(6, 14)):
        if balance > 20 and rng.random() < 0.3:
            amount = min(_money(rng, 5, 100), balance)
            history.append((TransactionKind.WITHDRAWAL, amount, on, 0))
            balance -= amount
        else:
            amount = _money(rng, 5, 200)
            history.append((TransactionKind.DEPOSIT, amount, on, 0))
            balance += amount
            if rng.random() < 0.02:  # a deposit entered twice, and reversed
                history.append((TransactionKind.DEPOSIT, amount, on, 0))
                history.append((TransactionKind.REVERSAL, amount, on, 1))
    return history


def _loan_history(rng, opened_on, today):
    """A disbursement and equal repayments; about a third of the loans are repaid in full."""
    dates = _dates(rng, opened_on, today, rng.randint(6, 14))
    principal = Decimal(rng.randrange(2, 40) * 50)
    history = [(TransactionKind.DISBURSEMENT, principal, dates[0], 0)]
    repayments = dates[1:]
    full = rng.random() < 0.35
    instalment = (principal / (len(repayments) if full else len(repayments) + 4)).quantize(CENT)
    outstanding = principal
    for index, on in enumerate(repayments):
        amount = outstanding if full and index == len(repayments) - 1 else min(instalment, outstanding)
        if amount <= 0:
            break
        history.append((TransactionKind.REPAYMENT, amount, on, 0))
        outstanding -= amount
    return history
