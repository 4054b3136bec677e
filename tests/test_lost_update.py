"""No lost update: a save based on an older version of a record than its latest is refused, with
what changed meanwhile, and the clerk's own input kept for saving again."""

import datetime

import pytest
from django.urls import reverse

from clients import registration
from groups import services as group_services
from tests.clients.factories import (
    ActiveClientFactory,
    FamilyMemberFactory,
    IdentificationFactory,
    NoteFactory,
)
from tests.groups.factories import GroupFactory
from tests.offices.factories import BranchManagerUserFactory, HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db


def form_data(form):
    """What a browser would send back for ``form`` as it was rendered."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif value is not None:
            data[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return data


def client_edit(client):
    return reverse("clients:client_edit", args=[client.pk])


# (url of the edit page, the other clerk's change through the service, our field and value, their field label)
def client_case(office, other):
    client = ActiveClientFactory(office=office, city="Kisumu", locality="")

    def theirs():
        client.city = "Nakuru"
        registration.update_client(client, by=other)

    return client_edit(client), theirs, ("locality", "Milimani"), "city", lambda: client


def identification_case(office, other):
    identification = IdentificationFactory(client=ActiveClientFactory(office=office), issued_by="Registry")

    def theirs():
        identification.issued_by = "Embassy"
        registration.save_identification(identification, by=other)

    url = reverse("clients:identification_edit", args=[identification.client_id, identification.pk])
    return url, theirs, ("description", "Renewed"), "issuing country or authority", lambda: identification


def family_case(office, other):
    member = FamilyMemberFactory(client=ActiveClientFactory(office=office), first_name="Joseph")

    def theirs():
        member.first_name = "Joe"
        registration.save_family_member(member, by=other)

    url = reverse("clients:family_member_edit", args=[member.client_id, member.pk])
    return url, theirs, ("last_name", "Otieno"), "first name", lambda: member


def note_case(office, other):
    note = NoteFactory(client=ActiveClientFactory(office=office), text="Met at the market.", created_by=other)

    def theirs():
        note.text = "Met at the market on Tuesday."
        registration.save_note(note, by=other)

    url = reverse("clients:note_edit", args=[note.client_id, note.pk])
    return url, theirs, ("text", "Met at home."), "text", lambda: note


def group_case(office, other):
    group = GroupFactory(office=office, name="Umoja")

    def theirs():
        group.name = "Umoja Women"
        group_services.update(group, by=other)

    return (
        reverse("groups:group_edit", args=[group.pk]),
        theirs,
        ("external_id", "G-77"),
        "name",
        lambda: group,
    )


@pytest.mark.parametrize("case", [client_case, identification_case, family_case, note_case, group_case])
def test_a_save_over_a_newer_version_is_refused_with_what_changed(client, office_tree, case):
    me = BranchManagerUserFactory(office=office_tree["n1"])
    other = BranchManagerUserFactory(office=office_tree["n1"])
    url, theirs, (field, value), their_label, record = case(office_tree["n1"], other)
    client.force_login(me)
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.context["form"])

    theirs()
    refused = client.post(url, {**data, field: value})

    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Someone else saved this record while you were editing it" in text
    assert their_label in text.lower()
    saved = type(record())._default_manager.get(pk=record().pk)
    assert getattr(saved, field) != value  # nothing of ours was written over theirs

    again = client.post(url, form_data(refused.context["form"]))

    assert again.status_code == 302
    assert getattr(type(record())._default_manager.get(pk=record().pk), field) == value


def admin_form_data(form):
    data = form_data(form)
    for prefix in ("identifications", "family_members", "notes", "memberships"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


@pytest.mark.parametrize("case", [client_case, group_case])
def test_the_admin_change_form_refuses_a_save_over_a_newer_version(client, office_tree, case):
    other = BranchManagerUserFactory(office=office_tree["n1"])
    _url, theirs, (field, value), _their_label, record = case(office_tree["n1"], other)
    obj = record()
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))
    page = client.get(url)
    data = admin_form_data(page.context["adminform"].form)
    assert data.get("version")

    theirs()
    refused = client.post(url, {**data, field: value})

    assert refused.status_code == 200
    assert "Someone else saved this record while you were editing it" in refused.content.decode()
    assert getattr(type(obj)._default_manager.get(pk=obj.pk), field) != value
