"""What the client's accounts say about lifecycle actions.

The one place the lifecycle asks whether a client still holds open loan or savings accounts, and
what the latest date of their accounts is (a client does not leave before it).
The ledger is imported when asked, not when this module is, so that clients does not depend on
ledger at import time (ledger depends on clients).
"""

from django.utils.translation import gettext as _


def open_accounts(client):
    """The client's open loan and savings accounts, each read as its product and number."""
    from ledger.models import Account

    return list(Account.objects.filter(client=client).open().select_related("product").order_by("pk"))


def latest_record(client):
    """The latest date of the client's accounts (an opening, a transaction, a closure) with what
    happened then, as a bound for ``check_dates``: an action that ends the client cannot be dated
    before its accounts' own records. (None, "") when the client has no account."""
    from ledger.models import Account

    latest = None
    for account in Account.objects.filter(client=client).select_related("product"):
        # On one day, the later of the account's records is named: its closure follows its last transaction.
        for rank, day in enumerate((account.opened_on, account.last_transaction_on, account.closed_on)):
            if day is not None and (latest is None or (day, rank) > latest[:2]):
                latest = (day, rank, account)
    if latest is None:
        return (None, "")
    day, rank, account = latest
    labels = (
        _("the opening of account %(account)s"),
        _("the last transaction of account %(account)s"),
        _("the closure of account %(account)s"),
    )
    return (day, labels[rank] % {"account": account})
