import pytest
from django.core.management import call_command
from django.db.models import Count

from clients.choices import ClientStatus
from clients.models import Client
from ledger.choices import AccountStatus, ProductKind
from ledger.models import Account, Transaction

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_active_demo_clients_accounts_with_history_once():
    call_command("seed_demo", quiet_logins=True)
    first = (Account.objects.count(), Transaction.objects.count())
    call_command("seed_demo", quiet_logins=True)

    assert (Account.objects.count(), Transaction.objects.count()) == first
    for client in Client.objects.filter(external_id__startswith="demo-", status=ClientStatus.ACTIVE):
        assert {account.kind for account in client.accounts.all()} == {ProductKind.SAVINGS, ProductKind.LOAN}
        assert Transaction.objects.filter(client=client).count() == 7
    assert not Account.objects.exclude(client__status=ClientStatus.ACTIVE).filter(group=None).exists()
    call_command("check_balances")


def test_bulk_accounts_give_generated_active_clients_a_history_that_balances():
    call_command("seed_demo", quiet_logins=True, clients=40)
    accounts = Account.objects.filter(client__external_id__startswith="GEN-")
    active = set(accounts.values_list("client_id", flat=True).distinct())

    assert accounts.exclude(client__status=ClientStatus.ACTIVE).count() == 0
    assert 2 <= accounts.count() / len(active) <= 3
    assert 15 <= Transaction.objects.filter(client_id__in=active).count() / len(active) <= 35
    assert accounts.filter(kind=ProductKind.LOAN, status=AccountStatus.REPAID).exists()
    assert accounts.values("number").annotate(n=Count("pk")).filter(n__gt=1).count() == 0
    call_command("check_balances")

    # Topping up adds nothing for clients who already have accounts.
    before = accounts.count()
    call_command("seed_demo", quiet_logins=True, clients=40)
    assert accounts.count() == before
