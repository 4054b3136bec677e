"""Every change of a client, identification, family member or note is in the history with its user."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from clients.models import Client, Identification, Note
from mifos.versioning import current_version
from offices.models import SYSTEM_USERNAME
from tests.clients.factories import ClientFactory, IdentificationTypeFactory, NoteFactory
from tests.clients.pages import form_on
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db


def test_a_change_on_the_pages_is_recorded_with_the_user(client, office_tree):
    user = BranchStaffUserFactory(office=office_tree["n1"])
    record = ClientFactory(office=office_tree["n1"], first_name="Wanjiru", last_name="Kamau")
    client.force_login(user)

    client.post(
        reverse("clients:client_edit", args=[record.pk]),
        {
            "first_name": "Wanjiru",
            "last_name": "Otieno",
            "gender": "female",
            "date_of_birth": "1985-05-17",
            "version": current_version(record),
        },
    )
    client.post(
        reverse("clients:identification_add", args=[record.pk]),
        {"document_type": IdentificationTypeFactory().pk, "number": "A-1", "is_active": "on"},
    )

    latest = record.history.first()
    assert (latest.history_user, latest.last_name, latest.history_type) == (user, "Otieno", "~")
    assert "last_name" in latest.diff_against(latest.prev_record).changed_fields
    assert Identification.history.get().history_user == user


def test_a_note_edit_keeps_the_earlier_text(client, office_tree):
    author = BranchStaffUserFactory(office=office_tree["n1"])
    note = NoteFactory(client=ClientFactory(office=office_tree["n1"]), created_by=author, text="First words")
    client.force_login(author)

    edit = reverse("clients:note_edit", args=[note.client_id, note.pk])
    client.post(edit, {**form_on(client.get(edit)), "text": "Second words"})

    assert [entry.text for entry in Note.history.filter(id=note.pk).order_by("history_date")] == [
        "First words",
        "Second words",
    ]
    assert Note.history.filter(id=note.pk).first().history_user == author


def test_seed_demo_records_the_system_user():
    call_command("seed_demo", quiet_logins=True)

    clients = Client.history.filter(external_id__startswith="demo-")
    assert clients.exists()
    # Four-eyes approval: the demo manager activates the group members the system user registered.
    assert set(clients.values_list("history_user__username", flat=True)) <= {SYSTEM_USERNAME, "manager"}
    assert set(Identification.history.values_list("history_user__username", flat=True)) == {SYSTEM_USERNAME}
