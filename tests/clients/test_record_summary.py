"""A client's own record reads as the pages do: every part in the summary, the photo's file beside the
documents', the history in words, and each file named as its download is."""

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from documents.models import ClientPhoto
from tests.clients.factories import ActiveClientFactory, IdentificationFactory, NoteFactory
from tests.documents.factories import DocumentFactory
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def documents_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def held(office_tree):
    client = ActiveClientFactory(office=office_tree["n1"], first_name="Amina", last_name="Okafor")
    IdentificationFactory(client=client, number="A1234567")
    NoteFactory(client=client, text="Prefers visits on Tuesdays.")
    return client


def download(django_client, client):
    django_client.force_login(BranchManagerUserFactory(office=client.office))
    response = django_client.post(reverse("clients:client_record", args=[client.pk]))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_summary_shows_each_part_under_its_heading(client, held):
    summary = download(client, held).read("summary.html").decode()

    identifications = summary.split("<h2>Identifications</h2>", 1)[1].split("<h2>", 1)[0]
    assert "A1234567" in identifications and "None." not in identifications
    notes = summary.split("<h2>Notes</h2>", 1)[1].split("<h2>", 1)[0]
    assert "Prefers visits on Tuesdays." in notes


def test_the_photo_file_is_in_the_record(client, held):
    storages["documents"].save("ph/00/photo.jpg", ContentFile(b"the photo's bytes"))
    ClientPhoto.objects.create(
        client=held,
        original_name="me.jpg",
        stored_name="ph/00/photo.jpg",
        content_type="image/jpeg",
        size=17,
        sha256="1" * 64,
    )

    archive = download(client, held)

    assert archive.read("photo/me.jpg") == b"the photo's bytes"
    files = json.loads(archive.read("record.json"))["files"]
    assert {"photo": True, "path": "photo/me.jpg", "sha256": "1" * 64} in files


def test_a_file_is_named_for_what_it_is_as_a_download_would_be(client, held):
    document = DocumentFactory(client=held, original_name="scan.jpg", content_type="image/png")
    storages["documents"].save(document.stored_name, ContentFile(b"\x89PNG"))

    archive = download(client, held)

    assert archive.read(f"documents/{document.pk}-scan.jpg.png") == b"\x89PNG"


def test_the_history_names_offices_and_statuses_as_the_history_tab_does(client, held):
    archive = download(client, held)

    history = json.loads(archive.read("record.json"))["history"]
    created = next(entry for entry in history if entry["what"] == "Client created")
    values = {change["field"]: change["value"] for change in created["changes"]}
    assert values["Office"] == "North One"
    assert values["Status"] == "Active" and values["Gender"] == "Female"
    assert "T" in created["when"] and "." not in created["when"]  # to the second, not microseconds
    summary = archive.read("summary.html").decode()
    assert "Office</th><td>North One" in summary
