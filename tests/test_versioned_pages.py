"""Every edit page of a history-keeping record is versioned the safe way by default (mifos.versioning):
a post that carries no version is refused rather than saved unchecked, and a page refused for someone
else's newer save, saved again, writes the clerk's own change without undoing theirs. Here for the
pages that had neither until it became the default: a group's or center's details, and a note.

Pages are read as a browser reads them: what is posted is what the HTML form holds."""

import pytest
from django.urls import reverse

from clients.models import Note
from groups.models import Group
from tests.clients.factories import ActiveClientFactory, NoteFactory
from tests.clients.pages import browser_of, form_on
from tests.groups.factories import CenterFactory, GroupFactory
from tests.offices.factories import BranchManagerUserFactory, BranchStaffUserFactory

pytestmark = pytest.mark.django_db

REFUSED = "Someone else saved this record while you were editing it"
NO_VERSION = "This page did not say which version of the record it was opened on"


@pytest.fixture
def officer(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


@pytest.fixture
def manager(office_tree):
    return BranchManagerUserFactory(office=office_tree["n1"])


def group_edit(group):
    return reverse("groups:group_edit", args=[group.pk])


def note_edit(note):
    return reverse("clients:note_edit", args=[note.client_id, note.pk])


# --- Groups and centers -------------------------------------------------------------------------------


@pytest.mark.parametrize("factory", [GroupFactory, CenterFactory], ids=["group", "center"])
def test_a_group_page_saved_over_a_newer_version_is_refused_and_undoes_nothing(
    office_tree, officer, manager, factory
):
    group = factory(office=office_tree["n1"], name="Umoja", external_id="")
    officers, managers = browser_of(officer), browser_of(manager)
    officers_page = form_on(officers.get(group_edit(group)))
    managers_page = form_on(managers.get(group_edit(group)))
    assert officers.post(group_edit(group), {**officers_page, "external_id": "G-77"}).status_code == 302

    refused = managers.post(group_edit(group), {**managers_page, "name": "Umoja Women"})

    assert refused.status_code == 200
    assert REFUSED in refused.content.decode()
    group.refresh_from_db()
    assert (group.name, group.external_id) == ("Umoja", "G-77")

    again = managers.post(group_edit(group), form_on(refused))

    assert again.status_code == 302
    group.refresh_from_db()
    # The manager's second save writes their name; the officer's external id they never touched stays.
    assert (group.name, group.external_id) == ("Umoja Women", "G-77")


def test_a_group_edit_without_its_version_is_refused(office_tree, manager):
    group = GroupFactory(office=office_tree["n1"], name="Umoja")
    browser = browser_of(manager)
    page = form_on(browser.get(group_edit(group)))
    assert page["version"]
    del page["version"]

    refused = browser.post(group_edit(group), {**page, "name": "Umoja Women"})

    assert refused.status_code == 200
    assert NO_VERSION in refused.content.decode()
    assert Group.objects.get(pk=group.pk).name == "Umoja"
    # The refused page now carries the version: saving it again is the clerk's deliberate choice.
    assert browser.post(group_edit(group), form_on(refused)).status_code == 302
    assert Group.objects.get(pk=group.pk).name == "Umoja Women"


# --- Notes --------------------------------------------------------------------------------------------


def test_a_note_changed_by_its_author_and_a_manager_at_once_keeps_the_first_save(
    office_tree, officer, manager
):
    note = NoteFactory(client=ActiveClientFactory(office=office_tree["n1"]), created_by=officer, text="Met.")
    authors, managers = browser_of(officer), browser_of(manager)
    authors_page = form_on(authors.get(note_edit(note)))
    managers_page = form_on(managers.get(note_edit(note)))
    assert authors.post(note_edit(note), {**authors_page, "text": "Met at the market."}).status_code == 302

    refused = managers.post(note_edit(note), {**managers_page, "text": "Met at home."})

    assert refused.status_code == 200
    text = refused.content.decode()
    assert REFUSED in text and "Met. → Met at the market." in text
    assert Note.objects.get(pk=note.pk).text == "Met at the market."
    # The manager's own text is on the refused page, for them to save over the author's deliberately.
    assert form_on(refused)["text"].strip() == "Met at home."
    assert managers.post(note_edit(note), form_on(refused)).status_code == 302
    assert Note.objects.get(pk=note.pk).text == "Met at home."


def test_a_note_edit_without_its_version_is_refused(office_tree, officer):
    note = NoteFactory(client=ActiveClientFactory(office=office_tree["n1"]), created_by=officer, text="Met.")
    browser = browser_of(officer)

    refused = browser.post(note_edit(note), {"text": "Met at home."})

    assert refused.status_code == 200
    assert NO_VERSION in refused.content.decode()
    assert Note.objects.get(pk=note.pk).text == "Met."


def test_writing_a_new_note_needs_no_version(office_tree, officer):
    client = ActiveClientFactory(office=office_tree["n1"])
    browser = browser_of(officer)
    url = reverse("clients:note_add", args=[client.pk])

    assert browser.post(url, {**form_on(browser.get(url)), "text": "First visit."}).status_code == 302
    assert client.notes.get().text == "First visit."
