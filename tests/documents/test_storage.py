"""Files live behind Django's storage API: the local file system by default, anything else by settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.urls import reverse

from documents import services
from documents.models import DocumentCategory
from documents.storage import PrivateFileSystemStorage
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchManagerUserFactory

from .files import jpeg_bytes, upload

BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture
def on_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "documents.storage.PrivateFileSystemStorage"},
    }
    return tmp_path / "documents"


@pytest.mark.django_db
def test_the_default_storage_keeps_files_on_disk_under_random_names_and_removes_them(
    client, on_disk, django_capture_on_commit_callbacks
):
    manager = BranchManagerUserFactory()
    holder = ClientFactory(office=manager.office)
    content = jpeg_bytes()
    category = DocumentCategory.objects.get(name="Photo")
    document = services.upload(holder, upload(content, "my house.jpg"), category=category, by=manager)

    files = sorted(path.relative_to(on_disk).as_posix() for path in on_disk.rglob("*") if path.is_file())
    assert files == sorted([document.stored_name, document.thumbnail_name])
    assert all("house" not in name for name in files)
    client.force_login(manager)
    response = client.get(reverse("documents:document_download", args=[document.pk]))
    assert b"".join(response.streaming_content) == (on_disk / document.stored_name).read_bytes()

    with django_capture_on_commit_callbacks(execute=True):
        services.delete(document, by=manager)
    assert not any(path.is_file() for path in on_disk.rglob("*"))


def test_the_default_is_the_private_file_system_storage_with_no_public_url():
    from mifos import settings as project_settings  # as configured, before the tests swap it

    storage = storages.create_storage(project_settings.STORAGES["documents"])

    assert isinstance(storage, PrivateFileSystemStorage)
    with pytest.raises(ValueError):
        storage.url("ab/cd/file.pdf")


def settings_error(**environ):
    result = subprocess.run(
        [sys.executable, "-c", "import mifos.settings"],
        cwd=BASE_DIR,
        env={**os.environ, "DEBUG": "true", **environ},
        capture_output=True,
        text=True,
    )
    return result.returncode, result.stderr.strip().splitlines()[-1:]


def test_an_unknown_documents_storage_stops_start_up_with_its_name():
    assert settings_error(DOCUMENTS_STORAGE="ftp") == (
        1,
        ["Configuration error: DOCUMENTS_STORAGE must be filesystem or s3, not 'ftp'."],
    )
