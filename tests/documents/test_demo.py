import pytest
from django.core.management import call_command

from clients.models import Client
from documents.models import ClientPhoto, Document

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_some_demo_clients_documents_and_photos_once(documents_storage):
    call_command("seed_demo", quiet_logins=True)
    counts = (Document.objects.count(), ClientPhoto.objects.count())
    call_command("seed_demo", quiet_logins=True)

    assert (Document.objects.count(), ClientPhoto.objects.count()) == counts == (6, 3)
    first = Client.objects.get(external_id="demo-01")
    assert first.documents.filter(identification__isnull=False).count() == 1
    assert {document.content_type for document in Document.objects.all()} == {
        "application/pdf",
        "image/jpeg",
        "image/png",
    }
