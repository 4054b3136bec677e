"""Each upload, photo change, deletion and download is one event of the activity log, with the address."""

import pytest
from django.urls import reverse

from audit.models import Event
from documents import services
from documents.models import DocumentCategory
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchManagerUserFactory, OfficeFactory

from .files import jpeg_bytes, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db

ADDRESS = "10.20.30.40"


@pytest.fixture
def manager():
    return BranchManagerUserFactory(office=OfficeFactory(name="Riverside"))


@pytest.fixture
def holder(manager):
    return ClientFactory(office=manager.office, first_name="Amina", last_name="Diallo")


def documents_events():
    return list(Event.objects.filter(event__startswith="documents.").order_by("id"))


def kinds_and_addresses():
    return [(event.event, event.remote_addr) for event in documents_events()]


def test_an_upload_and_its_deletion_are_one_event_each_with_the_address(client, manager, holder):
    client.force_login(manager)
    category = DocumentCategory.objects.get(name="Proof of address")

    client.post(
        reverse("documents:document_add", args=[holder.pk]),
        {"file": upload(pdf_bytes(), "bill.pdf"), "category": category.pk},
        REMOTE_ADDR=ADDRESS,
    )
    document = holder.documents.get()
    client.get(reverse("documents:document_download", args=[document.pk]), REMOTE_ADDR=ADDRESS)
    client.post(reverse("documents:document_delete", args=[holder.pk, document.pk]), REMOTE_ADDR=ADDRESS)

    assert kinds_and_addresses() == [
        ("documents.document.uploaded", ADDRESS),
        ("documents.document.downloaded", ADDRESS),
        ("documents.document.deleted", ADDRESS),
    ]
    uploaded = documents_events()[0]
    assert (uploaded.actor_id, uploaded.details["name"], uploaded.details["size"]) == (
        manager.pk,
        "bill.pdf",
        document.size,
    )


def test_a_photo_set_replaced_and_removed_is_one_event_each_with_the_address(client, manager, holder):
    client.force_login(manager)
    url = reverse("documents:clientphoto_edit", args=[holder.pk])

    client.post(url, {"file": upload(jpeg_bytes(), "me.jpg")}, REMOTE_ADDR=ADDRESS)
    client.post(url, {"file": upload(png_bytes(), "me.png")}, REMOTE_ADDR=ADDRESS)
    client.post(reverse("documents:clientphoto_remove", args=[holder.pk]), REMOTE_ADDR=ADDRESS)

    assert kinds_and_addresses() == [
        ("documents.clientphoto.set", ADDRESS),
        ("documents.clientphoto.set", ADDRESS),
        ("documents.clientphoto.removed", ADDRESS),
    ]
    assert {event.object_id for event in documents_events()} == {str(holder.pk)}


def test_a_service_called_outside_a_request_records_no_address(manager, holder):
    services.set_photo(holder, upload(jpeg_bytes()), by=manager)

    assert kinds_and_addresses() == [("documents.clientphoto.set", None)]


def test_a_change_made_outside_the_services_is_still_recorded(manager, holder):
    """A script or the shell: no service speaks for it, so its history row gives the event."""
    document = services.upload(
        holder,
        upload(pdf_bytes(), "bill.pdf"),
        category=DocumentCategory.objects.get(name="Proof of address"),
        by=manager,
    )
    document.title = "Water bill"
    document.save()
    document.delete()

    assert [event.event for event in documents_events()] == [
        "documents.document.uploaded",
        "documents.document.changed",
        "documents.document.deleted",
    ]
