"""What the client's accounts say about lifecycle actions.

The one place the lifecycle asks whether a client still holds open loan or savings accounts.
The ledger is imported when asked, not when this module is, so that clients does not depend on
ledger at import time (ledger depends on clients).
"""


def open_accounts(client):
    """The client's open loan and savings accounts, each read as its product and number."""
    from ledger.models import Account

    return list(Account.objects.filter(client=client).open().select_related("product").order_by("pk"))
