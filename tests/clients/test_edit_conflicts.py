"""Two people editing one client at once, each in their own browser: the second save, made from the
page as it was before the first, is refused with what changed, and nothing of the first is undone.

The pages are read as a browser reads them: what is posted is what the HTML form holds, hidden
fields included, so a template that forgets one is caught here."""

import pytest
from django.urls import reverse

from tests.clients.factories import (
    ActiveClientFactory,
    CorporateClientFactory,
    FamilyMemberFactory,
    IdentificationFactory,
)
from tests.clients.pages import browser_of, form_on
from tests.offices.factories import BranchManagerUserFactory, BranchStaffUserFactory

pytestmark = pytest.mark.django_db

REFUSED = "Someone else saved this record while you were editing it"


@pytest.fixture
def officer(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


@pytest.fixture
def manager(office_tree):
    return BranchManagerUserFactory(office=office_tree["n1"])


def edit_url(record):
    return reverse("clients:client_edit", args=[record.pk])


@pytest.mark.parametrize(
    ("factory", "their_field"),
    [(ActiveClientFactory, "city"), (CorporateClientFactory, "city")],
    ids=["person", "business"],
)
def test_the_second_save_from_an_older_page_is_refused_and_overwrites_nothing(
    office_tree, officer, manager, factory, their_field
):
    record = factory(office=office_tree["n1"], city="Kisumu", email="")
    officers_browser, managers_browser = browser_of(officer), browser_of(manager)
    officers_page = form_on(officers_browser.get(edit_url(record)))
    managers_page = form_on(managers_browser.get(edit_url(record)))

    saved = officers_browser.post(edit_url(record), {**officers_page, "city": "Nakuru"})
    assert saved.status_code == 302
    refused = managers_browser.post(edit_url(record), {**managers_page, "email": "new@example.org"})

    assert refused.status_code == 200
    text = refused.content.decode()
    assert REFUSED in text
    assert "Kisumu → Nakuru" in text  # what changed meanwhile, named
    record.refresh_from_db()
    assert (record.city, record.email) == ("Nakuru", "")
    assert [row.city for row in record.history.all()] == ["Nakuru", "Kisumu"]


def test_the_refused_page_saves_on_a_deliberate_second_try_without_undoing_the_first(
    office_tree, officer, manager
):
    record = ActiveClientFactory(office=office_tree["n1"], city="Kisumu", email="")
    officers_browser, managers_browser = browser_of(officer), browser_of(manager)
    managers_page = form_on(managers_browser.get(edit_url(record)))
    officers_page = form_on(officers_browser.get(edit_url(record)))
    officers_browser.post(edit_url(record), {**officers_page, "city": "Nakuru"})
    refused = managers_browser.post(edit_url(record), {**managers_page, "email": "new@example.org"})

    # The refused page now shows the officer's city and carries the version the manager has seen.
    again = managers_browser.post(edit_url(record), form_on(refused))

    assert again.status_code == 302
    record.refresh_from_db()
    assert (record.city, record.email) == ("Nakuru", "new@example.org")


def test_an_edit_posted_without_the_version_it_was_opened_on_is_refused(office_tree, manager):
    """A page that lost its hidden version field (as this one once did) must not save unchecked."""
    record = ActiveClientFactory(office=office_tree["n1"], city="Kisumu")
    browser = browser_of(manager)
    page = form_on(browser.get(edit_url(record)))
    del page["version"]

    refused = browser.post(edit_url(record), {**page, "city": "Nakuru"})

    assert refused.status_code == 200
    assert "did not say which version" in refused.content.decode()
    record.refresh_from_db()
    assert record.city == "Kisumu"


@pytest.mark.parametrize("part", ["identification", "family_member"])
def test_removing_a_record_someone_changed_meanwhile_is_refused(office_tree, officer, manager, part):
    holder = ActiveClientFactory(office=office_tree["n1"])
    if part == "identification":
        record = IdentificationFactory(client=holder, description="")
        IdentificationFactory(client=holder, document_type=record.document_type, is_active=False)
        change = {"description": "Renewed"}
    else:
        record = FamilyMemberFactory(client=holder, first_name="Joseph")
        change = {"first_name": "Joe"}
    delete_url = reverse(f"clients:{part}_delete", args=[holder.pk, record.pk])
    edit = reverse(f"clients:{part}_edit", args=[holder.pk, record.pk])
    managers_browser, officers_browser = browser_of(manager), browser_of(officer)
    confirm_page = form_on(managers_browser.get(delete_url))
    assert confirm_page.get("version")
    officers_browser.post(edit, {**form_on(officers_browser.get(edit)), **change})

    refused = managers_browser.post(delete_url, confirm_page, follow=True)

    assert REFUSED in refused.content.decode()
    assert type(record).objects.filter(pk=record.pk).exists()


def test_every_form_page_of_a_client_sends_its_hidden_fields(office_tree, manager):
    holder = ActiveClientFactory(office=office_tree["n1"])
    identification = IdentificationFactory(client=holder)
    member = FamilyMemberFactory(client=holder)
    browser = browser_of(manager)
    urls = [
        edit_url(holder),
        edit_url(CorporateClientFactory(office=office_tree["n1"])),
        reverse("clients:identification_edit", args=[holder.pk, identification.pk]),
        reverse("clients:family_member_edit", args=[holder.pk, member.pk]),
    ]
    for url in urls:
        response = browser.get(url)
        hidden = [field.name for field in response.context["form"].hidden_fields()]
        assert hidden, url
        assert set(hidden) <= set(form_on(response)), url
