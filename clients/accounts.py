"""What the client's accounts say about lifecycle actions.

The one place the lifecycle asks whether a client still holds open loan or savings accounts.
The ledger arrives with a later issue; until then no client has accounts, and that issue
replaces the body of ``open_accounts`` (its tests stub this function).
"""


def open_accounts(client):
    """Descriptions of the client's open loan and savings accounts (for example "Loan 000123")."""
    return []
