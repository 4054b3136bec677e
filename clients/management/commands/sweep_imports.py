"""``manage.py sweep_imports``: remove the client files of imports that wrote nothing.

An uploaded file holds clients' personal data. A successful import deletes it, and Cancel does; a
checked file never confirmed, a refused one (kept so that its errors file can be downloaded) or a
failed one stays until this command removes it with its run, after --older-than-days. Files under
imports/ that no run names (an upload whose run was never saved) go too.
"""

import datetime

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from clients import tasks
from clients.models import ImportRun

FOLDER = "imports"


def stored_names(storage, folder):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from stored_names(storage, f"{folder}/{sub}")


class Command(BaseCommand):
    help = (
        "List the imports that wrote nothing (checked but never confirmed, refused or failed) and are "
        "older than --older-than-days, with the uploaded files they keep; --delete removes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove them (by default only list them).")
        parser.add_argument("--older-than-days", type=int, default=7, metavar="N")

    def handle(self, *args, **options):
        cutoff = timezone.now() - datetime.timedelta(days=options["older_than_days"])
        runs = ImportRun.objects.filter(status__in=tasks.WROTE_NOTHING, created_at__lt=cutoff).order_by("pk")
        removed = 0
        for run in runs.iterator():
            self.stdout.write(
                f"{run.pk}\t{run.created_at:%Y-%m-%d}\t{run.get_status_display()}\t{run.file_name}"
            )
            removed += tasks.forget(run) if options["delete"] else 1
        named = set(ImportRun.objects.exclude(file="").values_list("file", flat=True))
        orphans = [
            name
            for name in stored_names(default_storage, FOLDER)
            if name not in named and default_storage.get_modified_time(name) < cutoff
        ]
        for name in orphans:
            self.stdout.write(name)
            if options["delete"]:
                default_storage.delete(name)
        if options["delete"]:
            message = _("Imports removed: %(runs)d; files without an import removed: %(files)d.")
        else:
            message = _("Imports that wrote nothing: %(runs)d; files without an import: %(files)d.")
        self.stdout.write(message % {"runs": removed, "files": len(orphans)})
