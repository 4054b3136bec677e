"""The activity log, its CSV export and admin name each event and its details as a person reads them."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import formats

from audit import details, record
from audit.models import Event
from clients import lifecycle
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchManagerUserFactory, HeadOfficeAdminUserFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(office_tree):
    return BranchManagerUserFactory(office=office_tree["north"])


def log(django_client, user, **params):
    django_client.force_login(user)
    response = django_client.get(reverse("audit:event_list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_lifecycle_action_reads_as_words_with_its_date_and_statuses(client, manager, office_tree):
    subject = ClientFactory(office=office_tree["n1"])
    officer = StaffFactory(office=office_tree["n1"], first_name="Grace", last_name="Otieno")

    lifecycle.activate(subject, on=datetime.date(2024, 2, 1), by=manager)
    lifecycle.assign_officer(subject, staff=officer, on=datetime.date(2024, 2, 2), by=manager)

    page = log(client, manager, event="clients.client.*")
    assert "Client activated" in page and "clients.client.activated" not in page.split("<tbody>")[1]
    assert f"Effective date: {formats.date_format(datetime.date(2024, 2, 1), 'DATE_FORMAT')}" in page
    assert "Previous status: Pending" in page and "New status: Active" in page
    assert "Credit officer: Grace Otieno" in page
    assert "effective_date" not in page and "to_status" not in page


def test_a_document_event_reads_with_its_file_name_and_size(client, manager, office_tree):
    subject = ClientFactory(office=office_tree["n1"])
    record(manager, "documents.document.uploaded", obj=subject, name="bill.pdf", size=2048, sha256="ab" * 32)

    page = log(client, manager)

    assert "Document uploaded" in page
    assert "File name: bill.pdf" in page and "Size: 2.0\xa0KB" in page


def test_the_part_of_a_client_links_to_it_without_showing_its_ids(client, manager, office_tree):
    subject = ClientFactory(office=office_tree["n1"])
    record(None, "clients.note.created", obj=subject, history_id=77, client=subject.pk)

    page = log(client, manager, event="clients.note.created")

    assert "Note written" in page
    assert "history_id" not in page and "77" not in page.split("<tbody>")[1].split("</tbody>")[0]


def test_the_csv_export_names_the_kind_and_writes_the_details_as_json(client, manager, office_tree):
    subject = ClientFactory(office=office_tree["n1"])
    record(
        None,
        "clients.client.activated",
        obj=subject,
        effective_date="2024-02-01",
        from_status="pending",
        to_status="active",
    )
    client.force_login(manager)

    response = client.get(reverse("audit:event_export"), {"event": "clients.client.activated"})

    header, row = list(csv.reader(io.StringIO(response.content.decode())))
    assert (header[2], header[7], header[8]) == ("Event", "Details", "Event code")
    assert row[2] == "Client activated" and row[8] == "clients.client.activated"
    assert json.loads(row[7]) == {
        "effective_date": "2024-02-01",
        "from_status": "pending",
        "to_status": "active",
    }


def test_admin_lists_each_event_by_its_readable_kind_with_its_details_in_words(client, office_tree):
    signed_in = record(None, "auth.user.signed_in", office=office_tree["n1"])
    exported = record(None, "clients.client.exported", office=office_tree["n1"], rows=3)
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))

    listing = client.get(reverse("admin:audit_event_changelist")).content.decode()
    detail = client.get(reverse("admin:audit_event_change", args=[exported.pk])).content.decode()

    rows = listing.split('id="result_list"')[1].split("</table>")[0]
    assert "Signed in" in rows and "Clients exported" in rows
    assert "auth.user.signed_in" not in rows
    assert "Rows: 3" in detail
    assert Event.objects.filter(pk=signed_in.pk).exists()


def test_an_exports_filters_read_as_a_noun_in_french(client, office_tree):
    """ "Filter" is a button's verb elsewhere ("Filtrer"); the filters an export used are "Filtres"."""
    manager = BranchManagerUserFactory(office=office_tree["north"], language="fr")
    record(
        manager, "clients.client.exported", office=office_tree["n1"].pk, rows=200, filter={"status": "active"}
    )

    page = log(client, manager)

    rows = page.split("<tbody>")[1].replace("\xa0", " ")
    assert "Lignes : 200" in rows and "Filtres : " in rows and "Filtrer" not in rows


def test_a_groups_edit_reads_with_each_change_and_its_value_before(office_tree):
    from groups.choices import MeetingDay
    from tests.groups.factories import GroupFactory

    group = GroupFactory(office=office_tree["n1"])
    day, before = MeetingDay.values[1], MeetingDay.values[0]
    event = record(
        None, "groups.group.changed", obj=group, group_name="Umoja", previous_group_name="Umoja Women",
        meeting_day=day, previous_meeting_day=before,
    )  # fmt: skip

    assert details.readable(event) == [
        ("Name", "Umoja"),
        ("Previous name", "Umoja Women"),
        ("Meeting day", str(MeetingDay(day).label)),
        ("Previous meeting day", str(MeetingDay(before).label)),
    ]
