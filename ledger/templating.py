"""The client page's overview reads the client's totals through this function, so the clients app
needs no view of the ledger's (mifos/templating.py)."""

from ledger.models import Account


def client_totals(client):
    """Savings balance, loan outstanding and open accounts of ``client``: one aggregate query."""
    return Account.objects.client_totals(client)
