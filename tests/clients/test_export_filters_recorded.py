"""The record of an export says which clients it took: stored as codes and ISO dates (what the hash
chain covers), shown in the activity log in its reader's words, never as a Python repr or a code."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats

from audit.models import Event
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchStaffUserFactory, HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db


def export(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("clients:client_export", args=["csv"]), query)
    assert response.status_code == 200
    list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    return Event.objects.get(event="clients.client.exported")


@pytest.fixture
def officer(office_tree):
    ClientFactory(office=office_tree["n1"], mobile_phone="", submitted_on=datetime.date(2024, 3, 1))
    return BranchStaffUserFactory(office=office_tree["n1"], language="en")


def test_dates_and_choices_are_recorded_as_codes_and_iso_dates(client, officer):
    event = export(
        client,
        officer,
        submitted_after="2024-01-01",
        submitted_before="2024-12-31",
        check="no_phone",
        sort="-number",
        gender="female",
    )

    assert event.details["filter"] == {
        "submitted": {"date_from": "2024-01-01", "date_until": "2024-12-31"},
        "check": "no_phone",
        "sort": "-number",
        "gender": "female",
    }


def test_one_end_of_a_date_range_is_recorded_alone(client, officer):
    event = export(client, officer, activated_before="2025-06-30")

    assert event.details["filter"] == {"activated": {"date_until": "2025-06-30"}}


def test_each_reader_reads_the_filters_in_their_own_language(client, officer, office_tree):
    export(client, officer, check="no_phone", status="transferred", sort="-number")
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"], language="fr"))

    page = client.get(reverse("audit:event_list"), {"event": "clients.client.exported"}).content.decode()

    row = page.split("<tbody>")[1]
    assert "Pas de téléphone" in row
    assert "Transférés vers une autre agence" in row
    assert "no_phone" not in row and "-number" not in row


def test_the_activity_log_shows_the_export_in_words(client, officer, office_tree):
    export(client, officer, submitted_after="2024-01-01", submitted_before="2024-12-31", check="no_phone")
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"], language="en"))

    page = client.get(reverse("audit:event_list"), {"event": "clients.client.exported"}).content.decode()

    row = page.split("<tbody>")[1]
    assert "slice(" not in row and "datetime" not in row and "no_phone" not in row
    assert formats.date_format(datetime.date(2024, 12, 31), "DATE_FORMAT") in row
    assert "No phone" in row


def test_export_clients_records_its_filters_in_words(officer):
    call_command(
        "export_clients",
        "--submitted-after",
        "2024-01-01",
        "--legal-form",
        "individual",
        stdout=io.StringIO(),
    )

    event = Event.objects.get(event="clients.client.exported")
    assert event.details["filter"] == {"legal_form": "individual", "submitted": {"date_from": "2024-01-01"}}
