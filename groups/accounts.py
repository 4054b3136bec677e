"""What a group's accounts say about closing it (joint-liability loans, group savings).

The ledger is imported when asked, not when this module is, so that groups does not depend on
ledger at import time (ledger depends on groups), as clients/accounts.py does for clients.
"""


def open_accounts(group):
    """The group's open loan and savings accounts, each read as its product and number."""
    from ledger.models import Account

    return list(Account.objects.filter(group=group).open().select_related("product").order_by("pk"))


def latest_record(group):
    """(date, what happened then) of the latest record of the group's accounts: a group does not
    close before it (``AccountQuerySet.latest_record``)."""
    from ledger.models import Account

    return Account.objects.filter(group=group).latest_record()
