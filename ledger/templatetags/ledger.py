"""The client page's overview reads the client's totals through this tag, so the clients app needs
no view of the ledger's."""

from django import template

from ledger.models import Account

register = template.Library()


@register.simple_tag
def client_totals(client):
    """Savings balance, loan outstanding and open accounts of ``client``: one aggregate query."""
    return Account.objects.client_totals(client)
