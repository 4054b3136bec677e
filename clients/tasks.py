"""Background jobs of the client import: check a file (the preview), then import it on confirmation.

They run in the task worker (django-tasks with its database backend: ``manage.py db_worker``),
outside the web request, and keep their outcome on the ImportRun that the progress page shows.
"""

import contextlib
import datetime
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task, task_backends
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


def start_import(run, *, by, language=None):
    """Queue the import of a checked file, confirmed ``by`` its uploader
    (``ImportRun.may_be_confirmed_by``), its messages in ``language``. A second confirmation queues
    nothing."""
    if not run.file:
        raise PermissionDenied(_("This file was checked from the command line: import it from there."))
    if not run.may_be_confirmed_by(by):
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
    run = ImportRun.objects.select_related("user", "office").filter(pk=run_id).first()
    if run is not None:  # else cancelled before its check
        _process(run, write=False, language=language)


@task()
def run_import(run_id, language=None):
    run = ImportRun.objects.select_related("user", "office").get(pk=run_id)
    queued = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.QUEUED)
    if not queued.update(status=ImportStatus.RUNNING):
        return  # confirmed twice: the first job does the work
    run.status = ImportStatus.RUNNING
    _process(run, write=True, language=language)


def _process(run, *, write, language=None):
    # The page's language when the file came from one (a user without a language of their own reads
    # the browser's), else the uploader's, else the institution's.
    with translation.override(language or getattr(run.user, "language", "") or settings.LANGUAGE_CODE):
        try:
            return _process_in_language(run, write=write)
        except Exception:
            # The work's transaction is rolled back: the run is marked outside it.
            ImportRun.objects.filter(pk=run.pk).update(
                status=ImportStatus.FAILED,
                finished_at=timezone.now(),
                outcome=_("The import stopped on an unexpected error; nothing was written."),
            )
            raise


def _process_in_language(run, *, write):
    # The clients, the run's result and the record of the import are committed together.
    with at_work(run) as still_ours:
        if not still_ours:
            return None
        progress = ProgressWriter(run)
        try:
            importer = ClientImporter(by=run.user, office=run.office, run=run, on_progress=progress.update)
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
        finally:
            progress.close()
        store_result(run, result, checked_only=not write)
        if result.written:
            record(
                run.user,
                "clients.client.imported",
                obj=run,
                file=run.file_name,
                run=run.pk,
                rows=result.created,
            )
            # The clients are registered: the uploaded copy of their personal data is not kept.
            forget_file(run)
            run.save(update_fields=["file"])
        return result


# --- A job that is gone ---------------------------------------------------------------------------
#
# A worker killed while it checks or imports a file (kill -9, out of memory, a container stopped after
# its grace period) leaves its run "checking" or "importing" for ever, and nothing written: the work is
# one transaction. The work holds a lock while that transaction is open, which the database drops
# with the connection of a process that died; a page that finds the lock free knows the job is gone.

# The advisory locks' first key on PostgreSQL: "a client import at work" (registration's is 7301).
_JOB_LOCKS = 7302


@contextlib.contextmanager
def at_work(run):
    """The transaction a run's work is done in (a job's or ``manage.py import_clients``'), holding the
    run's lock until it ends. Yields whether the run is still as its work found it: not found stopped
    by a page meanwhile, nor cancelled; the work does nothing when it is not."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_JOB_LOCKS, run.pk])
        # On SQLite the transaction began by taking the database's write lock (BEGIN IMMEDIATE).
        yield ImportRun.objects.filter(pk=run.pk, status=run.status).exists()


@contextlib.contextmanager
def _lock_if_free(run):
    """A transaction that holds ``run``'s lock if no work holds it: yields whether it does. Never waits."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [_JOB_LOCKS, run.pk])
            yield cursor.fetchone()[0]
        return
    if connection.vendor != "sqlite" or getattr(connection, "transaction_mode", None) != "IMMEDIATE":
        yield False  # no lock to ask: never judged gone
        return
    if connection.in_atomic_block:
        yield True  # this transaction holds the write lock already: no work is under way
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (waits,) = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout = 0")
        locked = contextlib.ExitStack()
        try:
            locked.enter_context(transaction.atomic())
            free = True
        except OperationalError:  # "database is locked": a write is under way, the work's or another
            free = False
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(waits)}")
    with locked:
        yield free


# A run's work takes its lock this soon after it begins: until then its lock is free, and says nothing.
STARTING = datetime.timedelta(seconds=30)


def _at_work_since(run):
    """When the work on ``run`` began, as far as can be known: a worker took its job, or the command
    started; None while its job waits for a worker, or when that cannot be known."""
    if not run.file:
        return run.created_at  # manage.py import_clients
    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        # No queue to ask; an import is under way once its job marked it running.
        return run.created_at if run.status == ImportStatus.RUNNING else None
    job = check_import if run.status == ImportStatus.CHECKING else run_import
    taken = (
        DBTaskResult.objects.filter(task_path=job.module_path, args_kwargs__args__0=run.pk)
        .order_by("-enqueued_at")
        .values_list("status", "started_at")
        .first()
    )
    return taken[1] if taken is not None and taken[0] == TaskResultStatus.RUNNING else None


def notice_stopped(run):
    """Mark ``run`` stopped when it is being checked or imported and its work is gone; returns it as it
    now stands. A web import goes back to Checked, to be confirmed again (nothing was written); a
    check, or a run of the command, ends Failed."""
    if run.status not in (ImportStatus.CHECKING, ImportStatus.RUNNING):
        return run
    since = _at_work_since(run)
    if since is None or since > timezone.now() - STARTING:
        return run  # waiting for a worker (worker_seems_stopped() says when for too long), or starting
    with _lock_if_free(run) as free:
        if not free:
            return run
        stopped = ImportRun.objects.filter(pk=run.pk, status=run.status)
        if not run.file:
            stopped.update(
                status=ImportStatus.FAILED,
                finished_at=timezone.now(),
                outcome=_("The command stopped before it finished; nothing was written. Run it again."),
            )
        elif run.status == ImportStatus.RUNNING:
            stopped.update(
                status=ImportStatus.CHECKED,
                outcome=_(
                    "The import stopped before it finished: the background worker was ended (restarted, "
                    "or out of memory). Nothing was written: confirm the import again, and ask IT if it "
                    "stops again."
                ),
            )
        elif stopped.update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            outcome=_(
                "The check stopped before it finished: the background worker was ended (restarted, or "
                "out of memory). Upload the file again, and ask IT if it stops again."
            ),
        ):
            forget_file(run)
            ImportRun.objects.filter(pk=run.pk).update(file="")
    run.refresh_from_db()
    return run


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
