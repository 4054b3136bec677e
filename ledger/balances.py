"""Recomputing balances from transactions, to prove the stored ones right.

Sums are rounded to cents before they are compared: SQLite keeps decimals as binary floating
point, whose sums of many amounts drift in the last places.
"""

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, Round

from .models import MONEY, Account, Transaction, balance_change


def disagreeing_accounts():
    """Accounts whose stored balance is not the sum of their transactions, with ``computed`` set."""
    total = (
        Transaction.objects.filter(account=OuterRef("pk"))
        .order_by()
        .values("account")
        .annotate(total=Sum(balance_change()))
        .values("total")
    )
    money = DecimalField(**MONEY)
    return (
        Account.objects.annotate(
            computed=Round(
                Coalesce(Subquery(total, output_field=money), Value(0, money)), MONEY["decimal_places"]
            )
        )
        .exclude(balance=F("computed"))
        .select_related("product")
        .order_by("pk")
    )


def disagreeing_transactions():
    """Transactions whose running balance is not the sum of their account's history up to them."""
    return (
        Transaction.objects.annotate(
            computed=Round(
                Window(
                    Sum(balance_change()),
                    partition_by=[F("account_id")],
                    order_by=[F("date").asc(), F("id").asc()],
                ),
                MONEY["decimal_places"],
            )
        )
        .exclude(running_balance=F("computed"))
        .select_related("account")
        .order_by("account_id", "date", "id")
    )
