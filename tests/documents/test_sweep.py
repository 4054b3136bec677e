import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command

from documents import services
from documents.models import DocumentCategory
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchStaffUserFactory

from .files import jpeg_bytes, upload
from .test_services import stored_files

pytestmark = pytest.mark.django_db


def test_sweeping_removes_old_files_no_document_names_and_keeps_the_rest(documents_storage, capsys):
    officer = BranchStaffUserFactory()
    with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)):
        orphan = documents_storage.save("ab/cd/left-behind.pdf", ContentFile(b"%PDF-1.4 ... %%EOF"))
        document = services.upload(
            ClientFactory(office=officer.office),
            upload(jpeg_bytes(), "id.jpg"),
            category=DocumentCategory.objects.get(name="Identification"),
            by=officer,
        )
    recent = documents_storage.save("ef/01/in-progress.pdf", ContentFile(b"%PDF-1.4 ... %%EOF"))

    call_command("sweep_documents")
    assert capsys.readouterr().out.splitlines() == [orphan, "Files without a document: 1."]
    assert orphan in stored_files(documents_storage)

    call_command("sweep_documents", delete=True)
    assert stored_files(documents_storage) == sorted([document.stored_name, document.thumbnail_name, recent])
