import pytest

from clients import demo
from clients.models import Client, ClientActionReason, ClientEvent, IdentificationType, RelationshipType
from offices import demo as office_demo

pytestmark = pytest.mark.django_db


def counts():
    return [
        model.objects.count()
        for model in (Client, ClientEvent, IdentificationType, RelationshipType, ClientActionReason)
    ]


def test_the_demo_loads_lookups_and_registered_clients_once():
    office_demo.seed()
    demo.seed()
    first = counts()
    demo.seed()

    assert counts() == first
    assert Client.objects.filter(external_id__startswith="demo-").count() == len(demo.PEOPLE) + len(
        demo.BUSINESSES
    )
    assert IdentificationType.objects.get(name="National ID").is_required


def test_the_demo_clients_obey_every_rule_and_carry_numbers():
    office_demo.seed()
    demo.seed()

    for client in Client.objects.all():
        client.full_clean()
        assert client.account_no.startswith(client.office.code + "-")
    wanjiru = Client.objects.get(external_id="demo-01")
    assert wanjiru.identifications.get().number_normalized == "10000001A"
    assert wanjiru.family_members.count() == 2
