"""What the client's accounts say about lifecycle actions.

The one place the lifecycle asks whether a client still holds open loan or savings accounts, and
what the latest date of their accounts is (a client does not leave before it).
The ledger is imported when asked, not when this module is, so that clients does not depend on
ledger at import time (ledger depends on clients).
"""


def open_accounts(client):
    """The client's open loan and savings accounts, each read as its product and number."""
    from ledger.models import Account

    return list(Account.objects.filter(client=client).open().select_related("product").order_by("pk"))


def latest_record(client):
    """(date, what happened then) of the latest record of the client's accounts: a client does not
    leave before it (``AccountQuerySet.latest_record``)."""
    from ledger.models import Account

    return Account.objects.filter(client=client).latest_record()
