"""A client's own record: one ZIP with everything held about the client, for the client who asks."""

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from audit.models import Event
from clients import registration
from tests.access import assert_access
from tests.clients.factories import (
    ActiveClientFactory,
    IdentificationFactory,
    NoteFactory,
    RelationshipTypeFactory,
)
from tests.documents.factories import DocumentFactory
from tests.groups.factories import GroupFactory, MembershipFactory
from tests.ledger.factories import AccountFactory
from tests.offices.factories import BranchManagerUserFactory, BranchStaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def documents_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def manager(office_tree):
    return BranchManagerUserFactory(office=office_tree["n1"])


@pytest.fixture
def held(office_tree):
    """A client of North One with a piece of everything the institution may hold."""
    client = ActiveClientFactory(office=office_tree["n1"], first_name="Amina", last_name="Okafor")
    IdentificationFactory(client=client, number="A1234567")
    client.family_members.create(first_name="Yusuf", relationship=RelationshipTypeFactory())
    NoteFactory(client=client, text="Prefers visits on Tuesdays.")
    document = DocumentFactory(client=client, original_name="lease.pdf")
    storages["documents"].save(document.stored_name, ContentFile(b"%PDF-1.4 the lease"))
    MembershipFactory(client=client, group=GroupFactory(office=client.office))
    AccountFactory(client=client, number="SAV-0001")
    client.city = "Kisumu"
    registration.update_client(client, by=BranchStaffUserFactory(office=office_tree["n1"]))
    return client


def url(client):
    return reverse("clients:client_record", args=[client.pk])


def download(browser, client):
    response = browser.post(url(client))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_record_holds_everything_about_the_client(client, manager, held):
    client.force_login(manager)

    archive = download(client, held)

    names = archive.namelist()
    assert {"record.json", "summary.html"} <= set(names)
    data = json.loads(archive.read("record.json"))
    fields = {item["field"]: item["value"] for item in data["client"]["fields"]}
    assert fields["first_name"] == "Amina" and fields["city"] == "Kisumu"
    assert fields["office"] == "North One" and fields["status"] == "Active"
    sections = {section["title"]: section["items"] for section in data["sections"]}
    assert [item["name"] for item in sections["Identifications"]][0].endswith("A1234567")
    assert [item["name"] for item in sections["Family"]] == ["Yusuf"]
    assert sections["Notes"][0]["name"].startswith("Prefers visits")
    assert [item["name"] for item in sections["Documents"]] == ["lease.pdf"]
    assert len(sections["Groups"]) == 1
    assert "SAV-0001" in sections["Accounts"][0]["name"]
    assert data["history"], "the history of changes is included"
    document_file = [name for name in names if name.startswith("documents/")]
    assert len(document_file) == 1 and document_file[0].endswith("lease.pdf")
    assert archive.read(document_file[0]) == b"%PDF-1.4 the lease"
    summary = archive.read("summary.html").decode()
    assert "Amina Okafor" in summary and "Prefers visits on Tuesdays." in summary and "<script" not in summary


def test_producing_the_record_is_recorded_in_the_activity_log(client, manager, held):
    client.force_login(manager)

    download(client, held)

    event = Event.objects.get(event="clients.client.record_exported")
    assert event.actor_name == manager.username
    assert event.object_id == str(held.pk)
    assert event.details == {"files": 1}


def test_only_managers_of_the_clients_office_may_produce_it(client, office_tree, held):
    assert_access(
        client,
        url(held),
        method="post",
        permitted=BranchManagerUserFactory(office=office_tree["n1"]),
        without_permission=BranchStaffUserFactory(office=office_tree["n1"]),
        other_office=BranchManagerUserFactory(office=office_tree["s1"]),
    )


def test_a_get_does_not_produce_it(client, manager, held):
    client.force_login(manager)

    assert client.get(url(held)).status_code == 405
    assert not Event.objects.filter(event="clients.client.record_exported").exists()


def test_the_client_page_shows_the_button_to_managers_only(client, office_tree, manager, held):
    page = reverse("clients:client_detail", args=[held.pk])
    client.force_login(manager)
    assert url(held) in client.get(page).content.decode()

    client.force_login(BranchStaffUserFactory(office=office_tree["n1"]))
    assert url(held) not in client.get(page).content.decode()


def test_it_reads_a_fixed_number_of_queries(client, manager, held, django_assert_max_num_queries):
    client.force_login(manager)
    for _ in range(5):
        NoteFactory(client=held)

    with django_assert_max_num_queries(45):
        download(client, held)
