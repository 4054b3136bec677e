"""Where document files live: the ``documents`` entry of ``settings.STORAGES``, through Django's storage API.

The local file system by default, an S3-compatible object store by configuration (see mifos/settings.py);
nothing here assumes a local path. Names are random (uuid4, in two levels of sharded folders) and carry
an extension chosen from the file's checked type, so nothing a user typed ever reaches a path.
"""

import os
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.db import transaction
from django.utils.functional import cached_property

from .choices import EXTENSIONS


class PrivateFileSystemStorage(FileSystemStorage):
    """The local default: MEDIA_ROOT/documents, read when first used (so test settings apply), with no
    URL: files are only served by the authorised views."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, os.path.join(settings.MEDIA_ROOT, "documents"))

    def url(self, name):
        raise ValueError("Documents have no public URL; link to documents:document_download.")


def documents_storage():
    # Looked up on each use: tests swap STORAGES, and the storages handler caches per setting.
    return storages["documents"]


def new_name(suffix):
    key = uuid.uuid4().hex
    return f"{key[:2]}/{key[2:4]}/{key}{suffix}"


def store(checked):
    """Save a CheckedFile and its thumbnail; return (stored name, thumbnail name or "")."""
    storage = documents_storage()
    checked.content.seek(0)
    name = storage.save(new_name(EXTENSIONS[checked.file_type]), checked.content)
    thumbnail = ""
    if checked.thumbnail:
        try:
            thumbnail = storage.save(new_name(".thumb.jpg"), ContentFile(checked.thumbnail))
        except Exception:
            storage.delete(name)
            raise
    return name, thumbnail


def delete_now(*names):
    storage = documents_storage()
    for name in names:
        if name:
            storage.delete(name)


def delete_after_commit(*names):
    """Remove files once the surrounding transaction commits; a rolled-back delete keeps them."""
    names = [name for name in names if name]
    # robust: a store that is briefly down leaves an orphan file (logged), never a failed request.
    transaction.on_commit(lambda: delete_now(*names), robust=True)


def open_file(name):
    return documents_storage().open(name, "rb")
