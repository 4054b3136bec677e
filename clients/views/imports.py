"""The client import pages: upload, preview (checked in the background), confirm, progress, result.

Views stay thin: the form checks the upload, ``clients.tasks`` runs ``clients.imports.ClientImporter``
outside the request, and the page of a run (``ImportRun.objects.visible_to``: other offices 404)
updates itself until the job is done (static/js/progress.js; without script, it reloads).
"""

import csv
import io
import os
import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from openpyxl import Workbook

from audit.reads import record_export
from mifos import csvcells
from offices.models import Office
from offices.scoping import user_office

from .. import exports, imports, tasks
from ..choices import ImportStatus
from ..models import ImportRun

PERMISSION = "clients.add_importrun"
# The preview lists this many errors; the error file holds them all.
ERRORS_SHOWN = 200
MAX_UPLOAD = 200 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (comma, semicolon or tab) or Excel .xlsx, laid out as the template."),
    )
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        help_text=_("Rows that name no office are registered in this one."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.visible_to(user).order_by("path")
        self.fields["office"].initial = user_office(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".txt", ".tsv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("The file is larger than 200 MB: ask IT to import it with a command.")
            )
        return upload


class ImportStartView(PermissionRequiredMixin, FormView):
    permission_required = PERMISSION
    template_name = "clients/import_start.html"
    form_class = ImportForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        run = ImportRun(
            file_name=os.path.basename(upload.name),
            user=self.request.user,
            user_name=self.request.user.get_username(),
            office=form.cleaned_data["office"],
            status=ImportStatus.CHECKING,
        )
        run.file.save(run.file_name, upload, save=False)
        run.save()
        tasks.start_check(run, translation.get_language())
        return redirect("clients:importrun_detail", run.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent"] = ImportRun.objects.visible_to(self.request.user).select_related("office")[:10]
        return context


class RunMixin(PermissionRequiredMixin):
    permission_required = PERMISSION

    def get_run(self):
        return get_object_or_404(
            ImportRun.objects.visible_to(self.request.user).select_related("office"), pk=self.kwargs["pk"]
        )


class ImportRunView(RunMixin, TemplateView):
    """A run's page: progress while its job runs (refreshing itself), then the preview or the result."""

    template_name = "clients/import_run.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = tasks.notice_stopped(self.get_run())  # a worker killed while on it left it "working"
        working = run.status in (ImportStatus.CHECKING, ImportStatus.QUEUED, ImportStatus.RUNNING)
        context.update(
            run=run,
            working=working,
            worker_stopped=working and run.status != ImportStatus.RUNNING and tasks.worker_seems_stopped(),
            worker_late_minutes=int(tasks.WORKER_LATE_AFTER.total_seconds() // 60),
            errors=run.row_errors[:ERRORS_SHOWN],
            more_errors=max(0, len(run.row_errors) - ERRORS_SHOWN),
            warnings=run.warnings,
            may_confirm=run.may_be_confirmed_by(self.request.user),
            may_discard=tasks.may_discard(run, self.request.user),
            # A run of manage.py import_clients keeps no file: it is confirmed from the command line.
            from_command=run.status == ImportStatus.CHECKED and not run.file,
            waits_for_uploader=run.status == ImportStatus.CHECKED
            and run.created > 0
            and bool(run.file)
            and not run.may_be_confirmed_by(self.request.user),
            errors_file=bool(run.row_errors and run.file),
            done=run.status == ImportStatus.DONE,
            refused=run.status == ImportStatus.REFUSED,
            failed=run.status == ImportStatus.FAILED,
        )
        return context


@method_decorator(require_POST, name="dispatch")
class ImportConfirmView(RunMixin, View):
    def post(self, request, pk):
        run = self.get_run()
        if run.status == ImportStatus.CHECKED:
            tasks.start_import(run, by=request.user, language=translation.get_language())
        return redirect("clients:importrun_detail", run.pk)


@method_decorator(require_POST, name="dispatch")
class ImportCancelView(RunMixin, View):
    """Cancel a checked file, or discard a refused one: its run goes, with the uploaded copy of
    clients' personal data."""

    def post(self, request, pk):
        run = self.get_run()
        if not tasks.discard(run, by=request.user):
            return redirect("clients:importrun_detail", run.pk)  # confirmed meanwhile
        messages.success(request, _("The uploaded file was deleted; nothing was imported."))
        return redirect("clients:client_import")


class ImportErrorsView(RunMixin, View):
    """The uploaded file again with an "Errors" column, in its own format, to fix and upload again."""

    def get(self, request, pk):
        run = self.get_run()
        if not run.row_errors or not run.file:
            raise Http404
        base, _extension = os.path.splitext(run.file_name)
        # Every row of the file, in full: a download of client data like an export.
        record_export(
            request, "clients.importrun.errors_downloaded", obj=run, office=run.office_id, rows=run.rows
        )
        with run.file.open("rb") as stream:
            rows = imports.rows_with_errors(stream, run.file_name, run.row_errors)
            if run.file_name.lower().endswith(".xlsx"):
                return _xlsx_response(rows, f"{base}-errors.xlsx")
            buffer = io.StringIO()
            buffer.write(exports.BOM)
            writer = csv.writer(buffer)
            for row in rows:
                writer.writerow(csvcells.safe_row(row))
        response = HttpResponse(buffer.getvalue(), content_type=exports.CSV_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{base}-errors.csv"'
        return response


class ImportTemplateView(PermissionRequiredMixin, View):
    """The empty file to fill in: CSV, or XLSX with the allowed values of the lookup columns."""

    permission_required = PERMISSION

    def get(self, request, file_format):
        if file_format == "csv":
            response = HttpResponse(exports.template_csv(), content_type=exports.CSV_CONTENT_TYPE)
            response["Content-Disposition"] = 'attachment; filename="clients-template.csv"'
            return response
        if file_format != "xlsx":
            raise Http404
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        try:
            exports.template_xlsx(path, exports.allowed_values(imports.template_lists(request.user)))
            stream = open(path, "rb")  # noqa: SIM115 -- the response closes it
        finally:
            os.unlink(path)
        return FileResponse(
            stream,
            as_attachment=True,
            filename="clients-template.xlsx",
            content_type=exports.XLSX_CONTENT_TYPE,
        )


def _xlsx_response(rows, name):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append([exports.xlsx_cell(sheet, cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
