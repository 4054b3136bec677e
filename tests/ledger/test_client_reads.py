"""Every page that shows a client's account or transaction records the view of the client once head
office asks (``AuditRules.record_client_views``), admin's included; a list of them does not."""

from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditRules, Event
from ledger import services
from tests.groups.factories import ActiveGroupFactory
from tests.ledger.conftest import DAY
from tests.ledger.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def recording(db):
    AuditRules.objects.create(record_client_views=True)


def pages_recorded(subject):
    views = Event.objects.filter(event="clients.client.viewed", object_id=str(subject.pk)).order_by("id")
    return [event.details["page"] for event in views]


@pytest.fixture
def lent(loan, teller):
    services.disburse(loan, amount=Decimal("80.00"), on=DAY, by=teller)
    return loan


def test_the_account_action_pages_record_the_view_of_the_client(client, member, funded, lent, manager):
    client.force_login(manager)
    deposit = funded.transactions.get()

    for url in (
        reverse("ledger:account_write_off", args=[lent.pk]),
        reverse("ledger:transaction_reverse", args=[deposit.pk]),
        reverse("ledger:account_repaid", args=[lent.pk]),  # refused: sent back, nothing shown
    ):
        client.get(url)

    assert pages_recorded(member) == ["account_write_off", "transaction_reverse"]


def test_a_refused_form_sent_back_is_not_another_view(client, member, lent, manager):
    client.force_login(manager)

    client.post(reverse("ledger:account_write_off", args=[lent.pk]), {"reason": "", "on": DAY.isoformat()})

    assert pages_recorded(member) == []


def test_an_account_and_a_transaction_opened_in_admin_record_the_view_of_the_client(
    admin_client, member, funded
):
    deposit = funded.transactions.get()

    admin_client.get(reverse("admin:ledger_account_change", args=[funded.pk]))
    admin_client.get(reverse("admin:ledger_transaction_change", args=[deposit.pk]))
    admin_client.get(reverse("admin:ledger_transaction_changelist"), {"q": funded.number})

    assert pages_recorded(member) == ["admin_account_change", "admin_transaction_change"]


def test_a_groups_account_in_admin_records_no_client(admin_client, branch):
    account = AccountFactory(client=None, group=ActiveGroupFactory(office=branch))

    assert admin_client.get(reverse("admin:ledger_account_change", args=[account.pk])).status_code == 200

    assert not Event.objects.filter(event="clients.client.viewed").exists()
