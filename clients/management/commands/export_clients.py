"""``manage.py export_clients``: the client list's export for IT, with the list's own filters."""

import argparse
import contextlib
import errno
import os
import sys
import tempfile

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit import record
from clients import exports
from clients.filters import SORT_ORDERS
from offices.models import Office, User, get_system_user
from offices.scoping import covers

from ._progress import Progress

# Command-line option -> the client list's query-string name (ClientFilterSet).
FILTER_OPTIONS = {
    "search": "q",
    "office": "office",
    "officer": "officer",
    "group": "group",
    "status": "status",
    "legal_form": "legal_form",
    "gender": "gender",
    "submitted_after": "submitted_after",
    "submitted_before": "submitted_before",
    "activated_after": "activated_after",
    "activated_before": "activated_before",
    "sort": "sort",
}


class Command(BaseCommand):
    help = (
        "Export clients to CSV or Excel with the client list's filters, as a user sees them "
        "(default: the system user, who sees every office)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", "-o", help="File to write (default: standard output, CSV only).")
        parser.add_argument("--user", help="Export what this user sees (username).")
        parser.add_argument("--search", help="The list's search box: name, number, external id, id, phone.")
        parser.add_argument("--office", help="Office code or id: its clients and those of offices below it.")
        parser.add_argument("--officer", help="Credit officer id.")
        parser.add_argument("--group", help="Group or center id.")
        parser.add_argument("--status", help="pending, active, rejected, withdrawn, closed, transferred...")
        parser.add_argument("--legal-form", help="individual or corporate.")
        parser.add_argument("--gender", help="female, male or other.")
        for name in ("submitted", "activated"):
            parser.add_argument(f"--{name}-after", help="YYYY-MM-DD")
            parser.add_argument(f"--{name}-before", help="YYYY-MM-DD")
        parser.add_argument(
            "--sort",
            type=sort_order,
            help="name, number or submitted; name-desc, number-desc or submitted-desc for the reverse "
            "order (the list's own -number is written --sort=-number).",
        )

    def handle(self, *args, **options):
        user = self.user(options["user"])
        if options["output"]:
            check_writable(options["output"])
        data = QueryDict(mutable=True)
        for option, name in FILTER_OPTIONS.items():
            if options.get(option):
                data[name] = options[option]
        if data.get("office"):
            data["office"] = str(office_option(data["office"], user).pk)
        try:
            queryset, filterset = exports.client_queryset(data, user)
        except exports.InvalidFilters as error:
            raise CommandError(filter_errors(error.errors, options)) from None
        progress = Progress(queryset.count() if sys.stderr.isatty() else None, label=_("Exporting"))
        rows = exports.ClientRows(queryset, on_batch=progress.update)
        if options["format"] == "xlsx" and not options["output"]:
            raise CommandError(_("An Excel export needs --output FILE."))

        def recorded(count):
            record(
                user,
                "clients.client.exported",
                filter=exports.filter_description(filterset),
                rows=count,
                format=options["format"],
                command=True,
            )

        try:
            if not options["output"]:
                # Rows leave as they are written: recorded first, as a download is (a pipe may close).
                recorded(queryset.count())
                exports.write_csv(rows, self.stdout._out)
            else:
                with replaced_when_complete(options["output"]) as path:
                    if options["format"] == "xlsx":
                        exports.write_xlsx(rows, path)
                    else:
                        with open(path, "w", encoding="utf-8", newline="") as stream:
                            exports.write_csv(rows, stream)
        except OSError as error:  # the disk filled up, the file was taken away...
            raise CommandError(cannot_write(options["output"], error)) from None
        progress.finish(rows.count)
        if options["output"]:  # a file is there only now, whole
            recorded(rows.count)
        self.stderr.write(
            ngettext("%(count)d client exported.", "%(count)d clients exported.", rows.count)
            % {"count": rows.count}
        )

    def user(self, username):
        if not username:
            return get_system_user()
        try:
            return User.objects.select_related("office").get(username=username)
        except User.DoesNotExist:
            raise CommandError(_("No user named %(name)s.") % {"name": username}) from None


def office_option(value, user):
    """The office of --office: its code, in any case (codes are unique regardless of case), or its id;
    one of the offices ``user`` works for."""
    office = Office.objects.filter(code__iexact=value).first()
    if office is None and value.isdigit():
        office = Office.objects.filter(pk=value).first()
    if office is None:
        raise CommandError(_("No office has the code %(code)s.") % {"code": value})
    if not covers(user, office):
        raise CommandError(
            _("The office %(code)s is not one of the offices of %(user)s.")
            % {"code": office.code, "user": user.get_username()}
        )
    return office


def filter_errors(errors, options):
    """The list's filter errors, each named by the command's options given for it (--submitted-after
    for the list's "submitted"), not by the list's query-string keys."""
    lines = []
    for field, messages in errors.items():
        names = [
            "--" + option.replace("_", "-")
            for option, name in FILTER_OPTIONS.items()
            if options.get(option) and name in (field, f"{field}_after", f"{field}_before")
        ]
        lines.append(f"{', '.join(names) or field}: {' '.join(messages)}")
    return "; ".join(lines)


def sort_order(text):
    """The client list's sort order for --sort: "number-desc" is the list's "-number", which argparse
    would take for an option of its own after a space."""
    order = "-" + text.removesuffix("-desc") if text.endswith("-desc") else text
    if order not in SORT_ORDERS:
        sorts = [sort.removeprefix("-") + "-desc" if sort.startswith("-") else sort for sort in SORT_ORDERS]
        raise argparse.ArgumentTypeError(
            _("%(sort)s is not a sort order; write one of %(sorts)s.")
            % {"sort": text, "sorts": ", ".join(sorts)}
        )
    return order


def cannot_write(path, error):
    return _("The file %(path)s cannot be written: %(reason)s.") % {
        "path": path or "-",
        "reason": error.strerror or error,
    }


@contextlib.contextmanager
def replaced_when_complete(path):
    """A file beside ``path`` to write the export to, which takes the place of ``path`` only once
    complete: a full disk or an interruption leaves neither a cut file nor an older one overwritten."""
    folder, name = os.path.split(os.path.abspath(path))
    handle, partial = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".part")
    os.close(handle)
    try:
        # As open() would have made it, not mkstemp's owner-only mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(partial, 0o666 & ~umask)
        yield partial
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise


def check_writable(path):
    """Refuse, before the export's work, a file that cannot be written: no such folder, no right."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise CommandError(cannot_write(path, IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))))
    if not os.path.isdir(folder):
        raise CommandError(
            _("The file %(path)s cannot be written: there is no folder %(folder)s.")
            % {"path": path, "folder": folder}
        )
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise CommandError(cannot_write(path, PermissionError(errno.EACCES, os.strerror(errno.EACCES))))
