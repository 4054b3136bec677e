import pytest
from django.core.management import call_command

from audit import demo
from audit.models import Event
from clients.models import Client
from tests.clients.factories import ClientFactory, IdentificationFactory

pytestmark = pytest.mark.django_db


def test_the_demo_changes_a_few_clients_as_the_system_once(office_tree):
    ClientFactory.create_batch(3, office=office_tree["n1"])

    demo.seed()
    demo.seed()

    assert Client.history.filter(history_change_reason=demo.DEMO_REASON).count() == 3
    assert Event.objects.filter(event="clients.client.changed").count() == 3


def test_bulk_clients_get_history_rows_and_chained_events_once(office_tree):
    template = ClientFactory.build(office=office_tree["n1"])
    fields = {
        each.attname: getattr(template, each.attname)
        for each in Client._meta.concrete_fields
        if each.name != "id"
    }
    # As the bulk generator does: rows straight into the table, without history.
    Client.objects.bulk_create(
        [Client(**{**fields, "account_no": f"B-{n}", "external_id": f"GEN-{n:08d}"}) for n in range(6)]
    )
    IdentificationFactory(client=Client.objects.get(account_no="B-1"))

    demo.seed(clients=6)
    rows = Client.history.filter(history_change_reason=demo.DEMO_REASON).count()
    events = Event.objects.count()
    demo.seed(clients=6)

    assert rows >= 6 + 2  # a "created" row for each, a "changed" row for every third
    assert Client.history.filter(history_change_reason=demo.DEMO_REASON).count() == rows
    assert Event.objects.count() == events
    call_command("verify_audit")
