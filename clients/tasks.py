"""Background jobs of the client import: check a file (the preview), then import it on confirmation.

They run in the task worker (django-tasks with its database backend: ``manage.py db_worker``),
outside the web request, and keep their outcome on the ImportRun that the progress page shows.
"""

import datetime
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from audit import record

from .choices import ImportStatus
from .imports import ClientImporter, FileError
from .models import ImportRun


def start_check(run, language=None):
    """Queue the check of an uploaded file once the run is saved; its messages in ``language``, the
    language of the page it was uploaded from."""
    transaction.on_commit(lambda: check_import.enqueue(run.pk, language))


def may_confirm(run, user):
    """Whether ``user`` may confirm the import of a checked file: its uploader
    (``ImportRun.may_be_confirmed_by``: the job writes in their name), and only while the uploaded
    file is kept: a run of ``manage.py import_clients`` stored none, and imports from there."""
    return run.may_be_confirmed_by(user) and bool(run.file)


def start_import(run, *, by, language=None):
    """Queue the import of a checked file, confirmed ``by`` its uploader (``may_confirm``), its
    messages in ``language``. A second confirmation queues nothing."""
    if not run.file:
        raise PermissionDenied(_("This file was checked from the command line: import it from there."))
    if not may_confirm(run, by):
        raise PermissionDenied(_("Only the person who uploaded the file may confirm its import."))
    queued = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.QUEUED, rows_done=0
    )
    if queued:
        transaction.on_commit(lambda: run_import.enqueue(run.pk, language))


# Finished runs that wrote nothing: their uploaded file may be discarded, with the run.
WROTE_NOTHING = (ImportStatus.CHECKED, ImportStatus.REFUSED, ImportStatus.FAILED)


def may_discard(run, user):
    """Whether ``user`` may cancel a checked file, or discard a refused one once its errors are read:
    its uploader, while the file is kept."""
    return (
        run.status in (ImportStatus.CHECKED, ImportStatus.REFUSED)
        and bool(run.file)
        and run.user_id == user.pk
    )


def discard(run, *, by):
    """Cancel an import that wrote nothing: the run goes, and the uploaded copy of clients' personal
    data with it. False when the run moved on meanwhile (confirmed in another tab)."""
    if not may_discard(run, by):
        raise PermissionDenied(_("Only the person who uploaded the file may cancel its import."))
    return forget(run, statuses=(ImportStatus.CHECKED, ImportStatus.REFUSED))


def forget(run, *, statuses=WROTE_NOTHING):
    """Delete a run that wrote nothing, while it is in one of ``statuses``, and its uploaded file once
    that is committed; whether it was deleted."""
    with transaction.atomic():
        deleted, _counts = ImportRun.objects.filter(pk=run.pk, status__in=statuses).delete()
        if deleted:
            forget_file(run)
    return bool(deleted)


def forget_file(run):
    """Delete the uploaded copy of a run's file once the transaction commits; the caller saves the run."""
    if run.file:
        name, storage = run.file.name, run.file.storage
        run.file = ""
        transaction.on_commit(lambda: storage.delete(name))


# A job that waited this long for a worker found none: the worker is stopped (or swamped).
WORKER_LATE_AFTER = datetime.timedelta(minutes=2)


def worker_seems_stopped():
    """Whether a job has waited longer than ``WORKER_LATE_AFTER`` for the task worker: one query.

    Without a worker (``manage.py db_worker``) an uploaded file waits unchecked and its page would
    say "working on it" forever; the page says this instead, so that IT can be asked. Only the
    database backend keeps a queue to look at."""
    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return False
    waiting = DBTaskResult.objects.ready().filter(enqueued_at__lt=timezone.now() - WORKER_LATE_AFTER)
    return waiting.exists()


@task()
def check_import(run_id, language=None):
    _process(
        ImportRun.objects.select_related("user", "office").get(pk=run_id), write=False, language=language
    )


@task()
def run_import(run_id, language=None):
    run = ImportRun.objects.select_related("user", "office").get(pk=run_id)
    if run.status != ImportStatus.QUEUED:
        return  # confirmed twice: the first job does the work
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING)
    result = _process(run, write=True, language=language)
    if result is not None and result.written:
        record(
            run.user, "clients.client.imported", obj=run, file=run.file_name, run=run.pk, rows=result.created
        )
        # The clients are registered: the uploaded copy of their personal data is not kept.
        forget_file(run)
        run.save(update_fields=["file"])


def _process(run, *, write, language=None):
    # The page's language when the file came from one (a user without a language of their own reads
    # the browser's), else the uploader's, else the institution's.
    with translation.override(language or getattr(run.user, "language", "") or settings.LANGUAGE_CODE):
        return _process_in_language(run, write=write)


def _process_in_language(run, *, write):
    progress = ProgressWriter(run)
    importer = ClientImporter(by=run.user, office=run.office, run=run, on_progress=progress.update)
    try:
        with run.file.open("rb") as stream:
            result = (
                importer.import_file(stream, run.file_name)
                if write
                else importer.check(stream, run.file_name)
            )
    except FileError as error:
        run.status, run.outcome, run.finished_at = ImportStatus.REFUSED, str(error), timezone.now()
        forget_file(run)  # no row can be shown again with its errors: nothing to keep it for
        run.save()
        return None
    except Exception:
        run.status, run.finished_at = ImportStatus.FAILED, timezone.now()
        run.outcome = _("The import stopped on an unexpected error; nothing was written.")
        run.save()
        raise
    finally:
        progress.close()
    store_result(run, result, checked_only=not write)
    return result


def store_result(run, result, *, checked_only, command=False):
    """Keep a run's counts, its errors and an outcome a person reads: one that says to run the
    command again, not to upload the file, for a run of ``manage.py import_clients``."""
    run.rows, run.rows_done = result.rows, result.rows
    run.created, run.skipped, run.refused = result.created, result.skipped, result.refused
    run.errors = [error.as_dict() for error in result.errors]
    run.finished_at = timezone.now()
    skipped = ngettext(
        "%(count)d row skipped: the client is already registered.",
        "%(count)d rows skipped: the clients are already registered.",
        result.skipped,
    ) % {"count": result.skipped}
    if not result.ok:
        run.status = ImportStatus.REFUSED
        if command:
            refused = ngettext(
                "%(count)d row refused: nothing was written. Fix it and run the command again.",
                "%(count)d rows refused: nothing was written. Fix them and run the command again.",
                result.refused,
            )
        else:
            refused = ngettext(
                "%(count)d row refused: nothing was written. Fix it and upload the file again.",
                "%(count)d rows refused: nothing was written. Fix them and upload the file again.",
                result.refused,
            )
        run.outcome = refused % {"count": result.refused}
    elif checked_only:
        run.status = ImportStatus.CHECKED
        run.outcome = ngettext(
            "%(count)d client will be created.", "%(count)d clients will be created.", result.created
        ) % {"count": result.created}
    else:
        run.status = ImportStatus.DONE
        run.outcome = ngettext("%(count)d client created.", "%(count)d clients created.", result.created) % {
            "count": result.created
        }
    if result.skipped:
        run.outcome = f"{run.outcome} {skipped}"
    run.save()


class ProgressWriter:
    """Writes a run's rows done while the import's transaction is still open.

    On PostgreSQL through a second connection of its own, so that the progress page sees it before
    the import commits; SQLite would lock, so there the page shows the result at the end.
    """

    interval = 1.0

    def __init__(self, run):
        self.run = run
        self.side = connections.create_connection("default") if connection.vendor == "postgresql" else None
        self.last = 0.0

    def update(self, done):
        if self.side is None or time.monotonic() - self.last < self.interval:
            return
        self.last = time.monotonic()
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportRun._meta.db_table} SET rows_done = %s WHERE id = %s", [done, self.run.pk]
            )

    def close(self):
        if self.side is not None:
            self.side.close()
