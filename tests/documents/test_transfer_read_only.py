"""A client on its way to another office stays the sending office's until the transfer is accepted:
the receiving office reads its documents and photo (to decide on the transfer), and changes none."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import Event
from clients import lifecycle
from documents import services
from documents.models import ClientPhoto, Document, DocumentCategory
from mifos.today import today
from tests.clients.factories import ActiveClientFactory, IdentificationFactory
from tests.offices.factories import BranchManagerUserFactory

from .files import jpeg_bytes, pdf_bytes, upload
from .test_services import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def sending_manager(office_tree):
    return BranchManagerUserFactory(office=office_tree["n1"])


@pytest.fixture
def receiving_manager(office_tree):
    return BranchManagerUserFactory(office=office_tree["s1"])


@pytest.fixture
def category():
    return DocumentCategory.objects.get(name="Proof of address")


@pytest.fixture
def incoming(office_tree, sending_manager, category):
    """A client of North One, with a document and a photo, proposed for transfer to South One."""
    client = ActiveClientFactory(office=office_tree["n1"])
    services.upload(client, upload(pdf_bytes(), "bill.pdf"), category=category, by=sending_manager)
    services.set_photo(client, upload(jpeg_bytes(), "me.jpg"), by=sending_manager)
    lifecycle.propose_transfer(client, to_office=office_tree["s1"], on=today(), by=sending_manager)
    return client


def test_the_receiving_office_cannot_add_or_delete_documents_or_change_the_photo(
    client, incoming, receiving_manager, category, documents_storage
):
    document = incoming.documents.get()
    photo = ClientPhoto.objects.get(client=incoming)
    files_before = stored_files(documents_storage)
    client.force_login(receiving_manager)
    pages = [
        ("documents:document_add", [incoming.pk], {"file": upload(pdf_bytes()), "category": category.pk}),
        ("documents:document_delete", [incoming.pk, document.pk], {}),
        ("documents:clientphoto_remove", [incoming.pk], {}),
    ]
    for name, args, data in pages:
        assert client.post(reverse(name, args=args), data).status_code == 403, name
    for name, args, _data in pages[:2]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    photo_page = reverse("documents:clientphoto_edit", args=[incoming.pk])
    assert client.post(photo_page, {"file": upload(jpeg_bytes(color=(0, 0, 0)))}).status_code == 403

    assert list(incoming.documents.all()) == [document]
    assert ClientPhoto.objects.get(client=incoming).sha256 == photo.sha256
    assert stored_files(documents_storage) == files_before


def test_the_services_refuse_the_receiving_office(incoming, receiving_manager, category, documents_storage):
    document = incoming.documents.get()
    files_before = stored_files(documents_storage)

    for attempt in (
        lambda: services.upload(incoming, upload(pdf_bytes()), category=category, by=receiving_manager),
        lambda: services.delete(document, by=receiving_manager),
        lambda: services.set_photo(incoming, upload(jpeg_bytes()), by=receiving_manager),
        lambda: services.remove_photo(incoming, by=receiving_manager),
    ):
        with pytest.raises(PermissionDenied, match="a transfer must be accepted first"):
            attempt()

    assert Document.objects.filter(pk=document.pk).exists()
    assert ClientPhoto.objects.filter(client=incoming).exists()
    assert stored_files(documents_storage) == files_before


def test_the_receiving_office_reads_without_links_to_change(client, incoming, receiving_manager):
    document = incoming.documents.get()
    IdentificationFactory(client=incoming)
    client.force_login(receiving_manager)

    overview = client.get(incoming.get_absolute_url()).content.decode()
    tab = client.get(reverse("documents:client_documents", args=[incoming.pk])).content.decode()
    identifications = client.get(reverse("clients:client_identifications", args=[incoming.pk]))
    photo_page = client.get(reverse("documents:clientphoto_edit", args=[incoming.pk])).content.decode()

    assert 'class="client-photo"' in overview and "Change the photo" not in overview
    assert "bill.pdf" in tab
    assert reverse("documents:document_delete", args=[incoming.pk, document.pk]) not in tab
    assert "Upload a document" not in tab
    assert "Attach a document" not in identifications.content.decode()
    assert "Replace the photo" not in photo_page and "Remove the photo" not in photo_page
    assert client.get(reverse("documents:document_download", args=[document.pk])).status_code == 200


def test_the_sending_office_still_changes_them_while_the_transfer_waits(
    client, incoming, sending_manager, category
):
    document = incoming.documents.get()
    client.force_login(sending_manager)
    assert "Change the photo" in client.get(incoming.get_absolute_url()).content.decode()

    client.post(reverse("documents:document_delete", args=[incoming.pk, document.pk]))
    client.post(
        reverse("documents:document_add", args=[incoming.pk]),
        {"file": upload(pdf_bytes(), "new.pdf"), "category": category.pk},
    )

    assert list(incoming.documents.values_list("original_name", flat=True)) == ["new.pdf"]


def test_reading_before_deciding_is_recorded_with_the_reader(client, incoming, receiving_manager):
    """The receiving office may take the whole record and the files to judge the transfer; each such
    read names who took it, in the log of the office the client belongs to."""
    document = incoming.documents.get()
    client.force_login(receiving_manager)

    record = client.post(reverse("clients:client_record", args=[incoming.pk]))
    download = client.get(reverse("documents:document_download", args=[document.pk]))

    assert record.status_code == 200 and download.status_code == 200
    taken = Event.objects.filter(actor_id=receiving_manager.pk).order_by("id")
    assert list(taken.values_list("event", "office_id")) == [
        ("clients.client.record_exported", incoming.office_id),
        ("documents.document.downloaded", incoming.office_id),
    ]
