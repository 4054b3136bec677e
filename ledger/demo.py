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
from decimal import ROUND_DOWN, Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.choices import ClientStatus
from clients.models import Client
from groups.choices import GroupStatus
from groups.models import Group
from mifos.actions import user_name
from mifos.bulk import BulkWriter, Table
from offices.models import Office, get_system_user

from . import services
from .choices import AccountStatus, ProductHolders, ProductKind, TransactionKind
from .models import Account, LedgerRules, Product, Transaction
from .numbering import format_account_number, reserve_sequence

# Kind, name, short code, who may hold it, and the largest deposit or disbursement: far above the
# demo's amounts, far below a mistyped one.
PRODUCTS = [
    (ProductKind.SAVINGS, "Voluntary savings", "VS", ProductHolders.BOTH, Decimal("50000")),
    (ProductKind.SAVINGS, "Compulsory savings", "CS", ProductHolders.BOTH, Decimal("50000")),
    (ProductKind.LOAN, "Working capital loan", "WC", ProductHolders.BOTH, Decimal("100000")),
    (ProductKind.LOAN, "Group loan", "GL", ProductHolders.GROUPS, Decimal("100000")),
]
GENERATED_PREFIX = "GEN-"
TRANSACTION_COLUMNS = [
    "id",
    "account_id",
    "client_id",
    "kind",
    "amount",
    "date",
    "receipt",
    "reverses_id",
    "reason",
    "running_balance",
    "created_at",
    "created_by_id",
    "created_by_name",
    "token",
]
CENT = Decimal("0.01")
ADDING = frozenset({TransactionKind.DEPOSIT, TransactionKind.DISBURSEMENT})


def seed(stdout=None, clients=None, **options):
    products = seed_products()
    seed_demo_accounts(products, stdout=stdout)
    if clients:
        generate_accounts(products, stdout=stdout)


def seed_products():
    products = {}
    for kind, name, code, offered_to, max_amount in PRODUCTS:
        products[code], _created = Product.objects.get_or_create(
            short_code=code,
            defaults={"kind": kind, "name": name, "offered_to": offered_to, "max_amount": max_amount},
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
    today = timezone.localdate()

    def plan_of(client_id, activated_on):
        # One generator per client, so the plan can be made again rather than kept: a million
        # clients' histories would not fit in memory.
        return _plan(random.Random(seed_value * 1_000_003 + client_id), activated_on, today)

    # First pass: only how many accounts and transactions, for their ids and numbers.
    per_office, transaction_count = {}, 0
    for client_id, office_id, _on in owners:
        shape = _shape(random.Random(seed_value * 1_000_003 + client_id))
        per_office[office_id] = per_office.get(office_id, 0) + len(shape)
        transaction_count += sum(count for _code, count, _doubled in shape)
    account_count = sum(per_office.values())
    # Everything that needs the database comes first: during the load the connection copies.
    writer = BulkWriter()
    rules = LedgerRules.load()
    offices = Office.objects.in_bulk(per_office)
    next_value = {
        office_id: reserve_sequence(offices[office_id], count) for office_id, count in per_office.items()
    }
    account_id = _reserve_range(writer, Account, account_count) - 1
    transaction_id = _reserve_range(writer, Transaction, transaction_count) - 1
    accounts, transactions = Table(Account, with_id=True), Table(Transaction, with_id=True)
    assert [field.attname for field in transactions.fields] == TRANSACTION_COLUMNS
    by_name, now = user_name(by), timezone.now()
    with writer.loading(
        (Account, Transaction), rows_added=transaction_count, rows_there=Transaction.objects.count()
    ):
        account_rows, transaction_rows = [], []
        for client_id, office_id, activated_on in owners:
            for code, opened_on, history in plan_of(client_id, activated_on):
                account_id += 1
                product = products[code]
                balance, last = Decimal(0), None
                for kind, amount, on, reverses in history:
                    transaction_id += 1
                    # A deposit or disbursement adds; the rest (the demo reverses deposits only) takes away.
                    balance = balance + amount if kind in ADDING else balance - amount
                    last = on
                    # In the order of the table's columns (checked by transaction_row below).
                    transaction_rows.append(
                        [
                            transaction_id,
                            account_id,
                            client_id,
                            kind,
                            amount,
                            on,
                            "",
                            transaction_id - reverses if reverses else None,
                            "Entered twice" if reverses else "",
                            balance,
                            now,
                            by.pk,
                            by_name,
                            "",
                        ]
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


def _reserve_range(writer, model, count):
    """The first of ``count`` consecutive new ids of ``model``.

    Asked for a million at a time, since they come as a list; they follow one another unless
    someone else draws an id of the table meanwhile (``reserve_ids`` takes no lock), which stops
    the load rather than let its rows take ids that are not its own.
    """
    if not writer.copies:
        return writer.reserve_ids(model, count)[0] if count else 1
    first = expected = None
    while count > 0:
        ids = writer.reserve_ids(model, min(count, 1_000_000))
        if ids[-1] - ids[0] + 1 != len(ids) or (expected is not None and ids[0] != expected):
            raise RuntimeError(f"{model.__name__} ids were drawn by someone else during the load.")
        first = ids[0] if first is None else first
        expected = ids[-1] + 1
        count -= len(ids)
    return first


def _shape(rng):
    """[(product code, how many transactions, the index of a deposit entered twice or None)] of one
    client: the first draws of its generator, so the load can count rows without making them."""
    codes = ["VS", "WC", "CS"] if rng.random() < 0.5 else ["VS", "WC"]
    shape = []
    for code in codes:
        count = rng.randint(6, 14)
        doubled = rng.randrange(count) if code != "WC" and rng.random() < 0.1 else None
        shape.append((code, count + (2 if doubled is not None else 0), doubled))
    return shape


def _plan(rng, activated_on, today):
    """[(product code, opened on, [(kind, amount, date, reverses)...])] of one client.

    ``reverses`` is 0, or how many transactions back the one it cancels is (always the one before).
    """
    start = activated_on or today - datetime.timedelta(days=365)
    plan = []
    for code, count, doubled in _shape(rng):
        opened_on = min(start + datetime.timedelta(days=rng.randrange(0, 30)), today)
        if code == "WC":
            history = _loan_history(rng, opened_on, today, count)
        else:
            history = _savings_history(
                rng, opened_on, today, count - (2 if doubled is not None else 0), doubled
            )
        plan.append((code, opened_on, history))
    return plan


# random() rather than randint(): a third of the time of the load went into randint's checks.


def _dates(rng, opened_on, today, count):
    first, days = opened_on.toordinal(), max((today - opened_on).days, 0) + 1
    draw, day = rng.random, datetime.date.fromordinal
    return sorted([day(first + int(draw() * days)) for _ in range(count)])


def _money(rng, low, high):
    return Decimal(low * 100 + int(rng.random() * (high - low) * 100)) * CENT


def _savings_history(rng, opened_on, today, count, doubled):
    """Mostly deposits, a withdrawal now and then that never takes the balance below zero; perhaps
    a deposit entered twice and reversed."""
    history, balance = [], Decimal(0)
    for index, on in enumerate(_dates(rng, opened_on, today, count)):
        if index != doubled and balance > 20 and rng.random() < 0.3:
            amount = min(_money(rng, 5, 100), balance)
            history.append((TransactionKind.WITHDRAWAL, amount, on, 0))
            balance -= amount
        else:
            amount = _money(rng, 5, 200)
            history.append((TransactionKind.DEPOSIT, amount, on, 0))
            balance += amount
            if index == doubled:
                history.append((TransactionKind.DEPOSIT, amount, on, 0))
                history.append((TransactionKind.REVERSAL, amount, on, 1))
    return history


def _loan_history(rng, opened_on, today, count):
    """A disbursement and ``count - 1`` repayments; about a third of the loans are repaid in full."""
    dates = _dates(rng, opened_on, today, count)
    principal = Decimal(rng.randrange(2, 40) * 50)
    history = [(TransactionKind.DISBURSEMENT, principal, dates[0], 0)]
    repayments = dates[1:]
    full = rng.random() < 0.35
    # Rounded down, so no instalment takes more than is outstanding; in full, the last pays the rest.
    instalment = (principal / (len(repayments) if full else len(repayments) + 4)).quantize(CENT, ROUND_DOWN)
    outstanding = principal
    for index, on in enumerate(repayments):
        amount = outstanding if full and index == len(repayments) - 1 else instalment
        history.append((TransactionKind.REPAYMENT, amount, on, 0))
        outstanding -= amount
    return history
