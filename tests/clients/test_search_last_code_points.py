"""A search ending in the last character Unicode has, or in one just before the surrogates, finds the
names that start with it first, in the list, its export and ``export_clients``: never a server error."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from clients import search
from clients.models import Client
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db

LAST = "\U0010ffff"  # no character comes after it
BEFORE_SURROGATES = "\ud7ff"  # the next code point, U+D800, is half a UTF-16 pair: UTF-8 cannot hold it


@pytest.fixture
def office(office_tree):
    office = office_tree["n1"]
    for last in (LAST, BEFORE_SURROGATES):
        ClientFactory(office=office, first_name=f"Zzz{last}", last_name="Kamau")
        ClientFactory(office=office, first_name="Amos", last_name=f"Zzz{last}")
    ClientFactory(office=office, first_name="Zzzz", last_name="Other")
    return office


def found(text):
    rows = search.search(Client.objects.all(), search.parse(text)).order_by(
        search.RANK, search.SORT_NAME, "id"
    )
    return [client.display_name for client in rows]


@pytest.mark.parametrize("last", [LAST, BEFORE_SURROGATES], ids=["U+10FFFF", "U+D7FF"])
def test_names_that_start_with_the_search_come_first(office, last):
    assert found(f"zzz{last}") == [f"Zzz{last} Kamau", f"Amos Zzz{last}"]


@pytest.mark.parametrize("text", [f"zzz{LAST}", LAST * 3, f"zzz{BEFORE_SURROGATES}"])
def test_the_list_and_its_export_answer_a_search_ending_in_the_last_characters(client, office, text):
    client.force_login(BranchStaffUserFactory(office=office))

    listed = client.get(reverse("clients:client_list"), {"q": text})
    exported = client.get(reverse("clients:client_export", args=["csv"]), {"q": text})

    assert listed.status_code == 200 and exported.status_code == 200
    shown = [row.display_name for row in listed.context["page"]]
    rows = list(
        csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode().removeprefix("\ufeff")))
    )
    assert len(rows) == len(shown)


def test_export_clients_answers_a_search_ending_in_the_last_character(office):
    out = io.StringIO()

    call_command("export_clients", "--search", f"zzz{LAST}", stdout=out, stderr=io.StringIO())

    rows = list(csv.DictReader(io.StringIO(out.getvalue().removeprefix("\ufeff"))))
    assert sorted(row["First name"] for row in rows) == ["Amos", f"Zzz{LAST}"]
