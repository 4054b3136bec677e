"""Which role may do what, through the pages: the same table as offices/roles.py says."""

import pytest
from django.urls import reverse
from django.utils import timezone

from clients import lifecycle
from ledger import services
from ledger.models import Account
from tests.clients.factories import ActiveClientFactory
from tests.ledger.factories import AccountFactory, LoanFactory
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (BranchStaffUserFactory, {"view", "post"}),
        (BranchManagerUserFactory, {"view", "post", "open", "close", "reverse", "write_off"}),
    ],
)
def test_each_role_holds_its_ledger_permissions(branch, role, allowed):
    user = role(office=branch)
    permissions = {
        "view": "ledger.view_account",
        "post": "ledger.add_transaction",
        "open": "ledger.add_account",
        "close": "ledger.close_account",
        "reverse": "ledger.reverse_transaction",
        "write_off": "ledger.write_off_account",
    }
    assert {name for name, perm in permissions.items() if user.has_perm(perm)} == allowed
    assert not user.has_perm("ledger.change_product")


def test_head_office_keeps_products():
    assert HeadOfficeAdminUserFactory().has_perms(["ledger.add_product", "ledger.change_product"])


def test_a_teller_cannot_write_off_or_reverse(client, funded, teller):
    loan = LoanFactory(client=funded.client)
    client.force_login(teller)
    assert client.get(reverse("ledger:account_write_off", args=[loan.pk])).status_code == 403
    url = reverse("ledger:transaction_reverse", args=[funded.transactions.get().pk])
    assert client.post(url, {"reason": "x", "on": TODAY.isoformat()}).status_code == 403
    assert funded.transactions.count() == 1


def test_a_transferred_clients_account_pages_move_with_it(client, office_tree):
    member = ActiveClientFactory(office=office_tree["n1"])
    account = AccountFactory(client=member)
    old, new = (
        BranchStaffUserFactory(office=office_tree["n1"]),
        BranchStaffUserFactory(office=office_tree["s1"]),
    )
    lifecycle.transfer(member, to_office=office_tree["s1"], on=TODAY, by=HeadOfficeAdminUserFactory())

    client.force_login(new)
    assert client.get(account.get_absolute_url()).status_code == 200
    assert client.get(reverse("ledger:client_accounts", args=[member.pk])).status_code == 200
    client.force_login(old)
    assert client.get(account.get_absolute_url()).status_code == 404
    assert client.get(reverse("ledger:client_transactions", args=[member.pk])).status_code == 404


def test_a_group_account_has_its_page_in_the_groups_office(client, branch, manager, office_tree):
    from tests.groups.factories import ActiveGroupFactory

    group = ActiveGroupFactory(office=branch)
    account = AccountFactory(client=None, group=group)
    client.force_login(manager)
    response = client.get(account.get_absolute_url())
    assert response.status_code == 200 and group.name in response.content.decode()
    client.force_login(BranchManagerUserFactory(office=office_tree["s1"]))
    assert client.get(account.get_absolute_url()).status_code == 404


def test_actions_are_recorded_in_the_activity_log(funded, manager):
    from audit.models import Event

    services.reverse(funded.transactions.get(), on=TODAY, by=manager, reason="Typo")
    services.close_savings(Account.objects.get(pk=funded.pk), on=TODAY, by=manager)

    events = list(
        Event.objects.filter(event__startswith="ledger.").order_by("sequence").values_list("event", flat=True)
    )
    assert events == [
        "ledger.transaction.posted",
        "ledger.transaction.reversed",
        "ledger.account.closed",
    ]
    assert Event.objects.get(event="ledger.account.closed").office_id == funded.client.office_id
