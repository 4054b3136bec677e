"""Removing a note someone changed since the page showed it is refused, as for an identification."""

import pytest
from django.urls import reverse

from clients.models import Note
from tests.clients.factories import ActiveClientFactory, NoteFactory
from tests.clients.pages import browser_of, form_on
from tests.offices.factories import BranchManagerUserFactory, BranchStaffUserFactory

pytestmark = pytest.mark.django_db


def test_a_note_changed_since_its_delete_page_was_opened_is_not_removed(office_tree):
    officer = BranchStaffUserFactory(office=office_tree["n1"])
    manager = BranchManagerUserFactory(office=office_tree["n1"])
    note = NoteFactory(client=ActiveClientFactory(office=office_tree["n1"]), created_by=officer, text="Met.")
    delete = reverse("clients:note_delete", args=[note.client_id, note.pk])
    edit = reverse("clients:note_edit", args=[note.client_id, note.pk])
    managers, officers = browser_of(manager), browser_of(officer)
    confirmation = form_on(managers.get(delete))
    page = form_on(officers.get(edit))
    assert officers.post(edit, {**page, "text": "Met at the market."}).status_code == 302

    refused = managers.post(delete, confirmation)

    assert refused.status_code == 200
    assert "Someone else saved this record" in refused.content.decode()
    assert Note.objects.filter(pk=note.pk).exists()


def test_a_note_shown_as_it_is_is_removed(office_tree):
    officer = BranchStaffUserFactory(office=office_tree["n1"])
    note = NoteFactory(client=ActiveClientFactory(office=office_tree["n1"]), created_by=officer)
    delete = reverse("clients:note_delete", args=[note.client_id, note.pk])
    browser = browser_of(officer)

    assert browser.post(delete, form_on(browser.get(delete))).status_code == 302
    assert not Note.objects.filter(pk=note.pk).exists()
