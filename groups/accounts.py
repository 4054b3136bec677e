"""What a group's accounts say about closing it (joint-liability loans, group savings).

The ledger is imported when asked, not when this module is, so that groups does not depend on
ledger at import time (ledger depends on groups), as clients/accounts.py does for clients.
"""

from django.utils.translation import gettext as _


def open_accounts(group):
    """The group's open loan and savings accounts, each read as its product and number."""
    from ledger.models import Account

    return list(Account.objects.filter(group=group).open().select_related("product").order_by("pk"))


def latest_record(group):
    """The latest date of the group's accounts (an opening, a transaction, a closure) with what
    happened then, as a bound for ``check_dates``: a group does not close before its accounts' own
    records. (None, "") when the group has no account."""
    from ledger.models import Account

    latest = None
    for account in Account.objects.filter(group=group).select_related("product"):
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
