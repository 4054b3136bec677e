"""An empty note is refused with one message, next to the note, however it is written."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients import registration
from clients.models import Note
from tests.clients.factories import ClientFactory, NoteFactory
from tests.clients.pages import form_on
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(office_tree):
    return ClientFactory(office=office_tree["n1"])


@pytest.fixture
def officer(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_saving_an_empty_note_says_so_once(client, record, officer, text):
    client.force_login(officer)

    response = client.post(reverse("clients:note_add", args=[record.pk]), {"text": text})

    assert response.status_code == 200
    assert response.context["form"].errors == {"text": ["Write the note."]}
    page = response.content.decode()
    assert page.count("Write the note.") == 1 and "This field is required." not in page
    assert not record.notes.exists()


def test_emptying_a_note_says_so_once_and_keeps_its_text(client, record, officer):
    note = NoteFactory(client=record, created_by=officer, text="Visited the shop.")
    client.force_login(officer)

    edit = reverse("clients:note_edit", args=[record.pk, note.pk])
    response = client.post(edit, {**form_on(client.get(edit)), "text": " "})

    assert response.context["form"].errors == {"text": ["Write the note."]}
    note.refresh_from_db()
    assert note.text == "Visited the shop."


def test_the_service_refuses_an_empty_note_whoever_calls_it(record, officer):
    with pytest.raises(ValidationError) as refusal:
        registration.save_note(Note(client=record, text=" \t "), by=officer)

    assert refusal.value.message_dict == {"text": ["Write the note."]}
    assert not record.notes.exists()


def test_a_note_is_saved_without_the_spaces_around_it(record, officer):
    note = registration.save_note(Note(client=record, text="  Called the client.\n"), by=officer)

    assert note.text == "Called the client."
