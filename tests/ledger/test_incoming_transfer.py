"""A client on its way in from another office: the receiving office reads its accounts and
transactions, as it reads the client, to decide; only the sending office acts on them until the
transfer is accepted."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from clients import lifecycle
from ledger import services
from ledger.models import Account, Transaction
from mifos.actions import TransitionError
from tests.groups.factories import ActiveGroupFactory
from tests.ledger.conftest import DAY
from tests.ledger.factories import AccountFactory
from tests.offices.factories import BranchManagerUserFactory, HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db

PROPOSED = DAY + datetime.timedelta(days=5)


@pytest.fixture
def receiving(office_tree):
    """A manager of the office the client is proposed to."""
    return BranchManagerUserFactory(office=office_tree["n2"])


@pytest.fixture
def incoming(funded, loan, office_tree):
    """The branch's client, with a funded savings account and a loan, proposed to North Two."""
    lifecycle.propose_transfer(
        funded.client, to_office=office_tree["n2"], on=PROPOSED, by=HeadOfficeAdminUserFactory()
    )
    return funded.client


def test_the_receiving_office_opens_the_account_pages_its_tabs_link_to(client, incoming, funded, receiving):
    client.force_login(receiving)

    tab = client.get(reverse("ledger:client_accounts", args=[incoming.pk])).content.decode()

    assert funded.get_absolute_url() in tab
    assert client.get(funded.get_absolute_url()).status_code == 200
    statement = client.get(reverse("ledger:account_statement", args=[funded.pk, "csv"]))
    assert statement.status_code == 200 and b"100.00" in statement.content


def test_the_receiving_office_sees_no_action_on_the_account_page(client, incoming, funded, loan, receiving):
    client.force_login(receiving)

    for account in (funded, loan):
        page = client.get(account.get_absolute_url()).content.decode()
        assert reverse("ledger:account_post", args=[account.pk]) not in page
        assert "Close the account" not in page and "Write off" not in page and "Reverse" not in page


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("ledger:account_post", {"kind": "deposit", "amount": "10", "on": PROPOSED.isoformat()}),
        ("ledger:account_activate", {"on": PROPOSED.isoformat()}),
        ("ledger:account_close", {"on": PROPOSED.isoformat()}),
        ("ledger:account_write_off", {"on": PROPOSED.isoformat(), "reason": "Gone"}),
    ],
)
def test_the_receiving_office_may_not_act_on_the_account(client, incoming, funded, receiving, url_name, data):
    client.force_login(receiving)

    assert client.post(reverse(url_name, args=[funded.pk]), data).status_code == 403
    assert funded.transactions.count() == 1


def test_the_receiving_office_may_not_reverse_a_transaction(client, incoming, funded, receiving):
    client.force_login(receiving)
    url = reverse("ledger:transaction_reverse", args=[funded.transactions.get().pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"on": PROPOSED.isoformat(), "reason": "Twice"}).status_code == 403


def test_the_receiving_office_finds_the_account_and_its_transactions_in_admin(incoming, funded, receiving):
    assert list(Account.objects.visible_to(receiving).filter(client=incoming)) == list(
        incoming.accounts.all()
    )
    assert Transaction.objects.visible_to(receiving).filter(account=funded).count() == 1


def test_another_office_still_finds_nothing(client, incoming, funded, office_tree):
    outsider = BranchManagerUserFactory(office=office_tree["s1"])
    client.force_login(outsider)

    assert client.get(funded.get_absolute_url()).status_code == 404
    assert not Account.objects.visible_to(outsider).exists()
    assert not Transaction.objects.visible_to(outsider).exists()


def test_once_the_transfer_is_withdrawn_the_other_office_reads_nothing_again(
    client, incoming, funded, receiving, manager
):
    lifecycle.withdraw_transfer(incoming, on=PROPOSED, by=manager)
    client.force_login(receiving)

    assert client.get(funded.get_absolute_url()).status_code == 404


def test_a_groups_accounts_stay_with_the_groups_office(client, branch, receiving, manager):
    account = AccountFactory(client=None, group=ActiveGroupFactory(office=branch), balance=Decimal("0"))
    client.force_login(receiving)
    assert client.get(account.get_absolute_url()).status_code == 404
    client.force_login(manager)
    assert client.get(account.get_absolute_url()).status_code == 200


def test_no_account_of_a_client_on_its_way_out_is_ended_until_the_transfer_is_settled(
    savings, loan, office_tree
):
    """Ending an account would change what the receiving office saw when it accepts; the sending office
    withdraws the proposal first, as for any transaction."""
    sender = BranchManagerUserFactory(office=office_tree["n1"])
    lifecycle.propose_transfer(savings.client, to_office=office_tree["n2"], on=PROPOSED, by=sender)
    on = PROPOSED + datetime.timedelta(days=1)

    attempts = [
        lambda: services.close_savings(savings, on=on, by=sender),
        lambda: services.write_off(loan, on=on, by=sender, reason="Moved away"),
    ]
    refusals = []
    for attempt in attempts:
        with pytest.raises(TransitionError) as refused:
            attempt()
        refusals.append(str(refused.value))

    assert all("only an active client's accounts" in refusal for refusal in refusals)
    assert set(Account.objects.values_list("status", flat=True)) == {"active"}
