"""A document's preview and admin's document page show the client's data: each records the view of the
client once head office asks (``AuditRules.record_client_views``), as the client's pages do."""

import pytest
from django.urls import reverse

from audit.models import AuditRules, Event
from documents import services
from documents.models import DocumentCategory
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchStaffUserFactory, HeadOfficeAdminUserFactory

from .files import png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(office_tree):
    return ClientFactory(office=office_tree["n1"], first_name="Amina", last_name="Diallo")


@pytest.fixture
def scan(holder):
    category = DocumentCategory.objects.get(name="Proof of address")
    officer = BranchStaffUserFactory(office=holder.office)
    return services.upload(
        holder, upload(png_bytes(size=(600, 400)), "id-card.png"), category=category, by=officer
    )


def pages_recorded(holder):
    views = Event.objects.filter(event="clients.client.viewed", object_id=str(holder.pk)).order_by("id")
    return [event.details["page"] for event in views]


def test_a_documents_preview_records_the_view_of_its_client(client, holder, scan):
    AuditRules.objects.create(record_client_views=True)
    client.force_login(BranchStaffUserFactory(office=holder.office))

    response = client.get(reverse("documents:document_thumbnail", args=[scan.pk]))

    assert response.status_code == 200
    assert pages_recorded(holder) == ["document_thumbnail"]


def test_admins_document_page_records_the_view_of_its_client(client, holder, scan):
    AuditRules.objects.create(record_client_views=True)
    client.force_login(HeadOfficeAdminUserFactory())

    client.get(reverse("admin:documents_document_changelist"))  # names only: not a view
    response = client.get(reverse("admin:documents_document_change", args=[scan.pk]))

    assert response.status_code == 200
    assert pages_recorded(holder) == ["admin_document_change"]


def test_nothing_is_recorded_unless_head_office_asks(client, holder, scan):
    client.force_login(HeadOfficeAdminUserFactory())

    client.get(reverse("documents:document_thumbnail", args=[scan.pk]))
    client.get(reverse("admin:documents_document_change", args=[scan.pk]))

    assert pages_recorded(holder) == []
