import pytest
from django.core.management import call_command
from django.db.models import Count

from clients.choices import ClientAction, ClientStatus, LegalForm
from clients.demo_clients import generated_clients
from clients.models import ClientEvent, Identification, OfficerAssignment
from clients.normalize import fold
from tests.clients.factories import ClientFactory

pytestmark = pytest.mark.django_db


def seed(count):
    call_command("seed_demo", clients=count, quiet_logins=True)


@pytest.fixture
def fifty():
    seed(50)
    return list(generated_clients().select_related("office", "staff__office"))


def test_it_generates_the_clients_asked_for_and_tops_up_on_later_runs(fifty):
    seed(50)
    assert generated_clients().count() == 50

    seed(80)
    assert generated_clients().count() == 80
    assert generated_clients().values("account_no").distinct().count() == 80


def test_a_client_registered_afterwards_gets_an_id_of_its_own(fifty):
    later = ClientFactory(office=fifty[0].office)

    assert later.pk > max(client.pk for client in fifty)


def test_they_spread_over_the_branches_with_numbers_of_their_office(fifty):
    per_office = generated_clients().values("office").annotate(count=Count("id"))

    assert len(per_office) == 3 and all(row["count"] >= 16 for row in per_office)
    assert all(client.account_no.startswith(client.office.code) for client in fifty)


def test_they_look_like_real_clients_and_pass_the_models_validation(fifty):
    for client in fifty:
        client.full_clean()
        assert client.search_name == fold(client.display_name)
        assert client.staff.is_credit_officer and client.staff.office == client.office
    assert any(not name.isascii() for name in (client.display_name for client in fifty))
    assert {client.status for client in fifty} >= {ClientStatus.ACTIVE, ClientStatus.PENDING}


def test_individuals_have_an_identification_and_most_have_a_household(fifty):
    individuals = [client for client in fifty if client.legal_form == LegalForm.INDIVIDUAL]
    holders = set(Identification.objects.filter(client__in=individuals).values_list("client", flat=True))

    assert holders == {client.pk for client in individuals}
    for identification in Identification.objects.filter(client__in=individuals)[:10]:
        identification.full_clean()
    assert sum(client.family_members.exists() for client in individuals) > len(individuals) / 2


def test_each_timeline_leads_to_the_clients_status(fifty):
    for client in fifty:
        actions = set(ClientEvent.objects.filter(client=client).values_list("action", flat=True))
        assert {ClientAction.SUBMITTED, ClientAction.OFFICER_ASSIGNED} <= actions
        assert (ClientAction.ACTIVATED in actions) == (client.activated_on is not None)
        assert (client.status == ClientStatus.ACTIVE) <= (ClientAction.ACTIVATED in actions)
    assert OfficerAssignment.objects.filter(client__in=fifty, end_date=None).count() == 50
