"""``manage.py import_clients FILE --office CODE``: the client importer for IT, with a progress bar."""

import os

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import record
from clients import columns as file_columns
from clients.choices import ImportStatus
from clients.imports import ClientImporter, FileError
from clients.models import ImportRun
from clients.tasks import at_work, store_result
from offices.models import Office, User, get_system_user

from ._progress import Progress


class Command(BaseCommand):
    help = (
        "Import a CSV or Excel file of clients through the registration rules: every row is checked, "
        "and nothing is written when one is refused. Rows of clients already registered (same external "
        "id, or the same client with its unique identification or registration number) are skipped; a "
        "number that belongs to another client is an error. A possible duplicate (the name and date of "
        "birth, business name or phone of another client, or of an earlier line) is an error naming it, "
        "unless its column 'Not a duplicate' says Yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv or .xlsx file in the layout of the import template.")
        parser.add_argument("--office", required=True, help="Code of the office for rows that name none.")
        parser.add_argument(
            "--user", help="Import as this user (username), in their offices; default: system."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and write nothing.")

    def handle(self, *args, **options):
        user = self.user(options["user"])
        # Codes are unique regardless of case: "br01" is BR01.
        office = Office.objects.filter(code__iexact=options["office"]).first()
        if office is None:
            raise CommandError(_("No office has the code %(code)s.") % {"code": options["office"]})
        path = options["file"]
        if not os.path.exists(path):
            raise CommandError(_("No file at %(path)s.") % {"path": path})
        try:
            importer = ClientImporter(by=user, office=office)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        # The file is opened before its import is recorded: a run is never left "checking" forever.
        try:
            stream = open(path, "rb")  # noqa: SIM115 (closed below, once the run is recorded)
        except OSError as error:
            raise CommandError(
                _("The file %(path)s cannot be read: %(reason)s.") % {"path": path, "reason": error.strerror}
            ) from None
        with stream:
            result, run = self.import_recorded(
                importer, stream, path, user=user, office=office, options=options
            )
        for error in result.errors:
            self.stderr.write(
                _("line %(line)d, %(column)s (%(value)s): %(message)s")
                % {
                    "line": error.line,
                    "column": error.column or "-",
                    "value": error.value,
                    "message": error.message,
                }
            )
        summary = run.outcome
        if not result.ok:
            if not options["user"] and refused_for_activation(result):
                summary = " ".join((summary, activation_hint()))
            raise CommandError(summary)
        self.stdout.write(summary)

    def import_recorded(self, importer, stream, path, *, user, office, options):
        """Record the import, run it and keep how it ended, whatever happens: a failed run is marked."""
        run = ImportRun.objects.create(
            file_name=os.path.basename(path),
            user=user,
            user_name=user.get_username(),
            office=office,
            status=ImportStatus.CHECKING if options["dry_run"] else ImportStatus.RUNNING,
        )
        progress = Progress(label=_("Checking") if options["dry_run"] else _("Importing"))
        importer.run, importer.on_progress = run, progress.update
        try:
            # The clients, the run's result and the record of the import are committed together, and
            # the run is found stopped if this process dies (clients.tasks.notice_stopped).
            with at_work(run) as still_ours:
                if not still_ours:
                    run.refresh_from_db()
                    raise StoppedMeanwhile(run.outcome)
                if options["dry_run"]:
                    result = importer.check(stream, run.file_name)
                else:
                    result = importer.import_file(stream, run.file_name)
                save_result(run, result, dry_run=options["dry_run"])
                if result.written:
                    record(
                        user, "clients.client.imported", file=run.file_name, run=run.pk, rows=result.created
                    )
        except FileError as error:
            run.status, run.outcome, run.finished_at = ImportStatus.REFUSED, str(error), timezone.now()
            run.save()
            raise CommandError(str(error)) from None
        except StoppedMeanwhile as stopped:
            raise CommandError(str(stopped)) from None
        except Exception:
            ImportRun.objects.filter(pk=run.pk).update(
                status=ImportStatus.FAILED,
                finished_at=timezone.now(),
                outcome=_("The import stopped on an unexpected error; nothing was written."),
            )
            raise
        progress.finish(result.rows)
        return result, run

    def user(self, username):
        if not username:
            return get_system_user()
        try:
            return User.objects.select_related("office").get(username=username)
        except User.DoesNotExist:
            raise CommandError(_("No user named %(name)s.") % {"name": username}) from None


class StoppedMeanwhile(Exception):
    """A page found the run stopped before its work took the run's lock, which it takes at once: only
    a process paused for longer than ``clients.tasks.STARTING`` in between could see this."""


def save_result(run, result, *, dry_run):
    """Keep a run's counts, errors and outcome (shared with the web job through clients.tasks)."""
    store_result(run, result, checked_only=dry_run, command=True)


def refused_for_activation(result):
    """Whether a row was refused in its Status or Activated on column, whatever language the file's
    headers are in: the default (system) user may activate no one, so every Active row is."""
    columns = [error.column for error in result.errors]
    keys, _unknown = file_columns.header_keys(columns)
    return any(key in ("status", "activated_on") for key in keys)


def activation_hint():
    return _(
        "Without --user the file is imported as the system user, who may not activate clients: to "
        "import clients as Active, run the command again with --user and the user name of someone who "
        "may activate them."
    )
