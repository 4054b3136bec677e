"""Find (and with --delete remove) files in the documents storage that no document or photo names.

An upload stores its file before its row commits; if the process dies in between, or a caller's outer
transaction rolls back, the file stays without a row. Files younger than --older-than-hours are left
alone, so an upload in progress is never touched.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import ClientPhoto, Document
from documents.storage import documents_storage


def stored_names(storage, folder=""):
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


def referenced_names():
    names = set()
    for model in (Document, ClientPhoto):
        for stored, thumbnail in model.objects.values_list("stored_name", "thumbnail_name").iterator():
            names.update((stored, thumbnail))
    names.discard("")
    return names


class Command(BaseCommand):
    help = "List the files of the documents storage that no document or photo names; --delete removes them."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove them (by default only list them).")
        parser.add_argument("--older-than-hours", type=int, default=24, metavar="N")

    def handle(self, *args, **options):
        storage = documents_storage()
        cutoff = timezone.now() - datetime.timedelta(hours=options["older_than_hours"])
        known = referenced_names()
        orphans = [
            name
            for name in stored_names(storage)
            if name not in known and storage.get_modified_time(name) < cutoff
        ]
        for name in orphans:
            self.stdout.write(name)
            if options["delete"]:
                storage.delete(name)
        message = (
            _("Removed %(count)d files.") if options["delete"] else _("Files without a document: %(count)d.")
        )
        self.stdout.write(message % {"count": len(orphans)})
