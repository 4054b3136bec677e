"""The client list's "Export CSV / Excel" links: the list's rows, as a file."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from audit import record

from .. import exports

# The list's paging cursors are not filters: an export holds every matching client.
_NOT_FILTERS = ("after", "before")


class ClientExportView(PermissionRequiredMixin, View):
    """CSV (streamed) or XLSX of exactly the clients the list shows for the same query string."""

    permission_required = "clients.view_client"

    def get(self, request, file_format):
        data = request.GET.copy()
        for name in _NOT_FILTERS:
            data.pop(name, None)
        try:
            queryset, filterset = exports.client_queryset(data, request.user)
        except exports.InvalidFilters:  # the list marks them
            messages.error(request, _("Nothing was exported: correct the filters marked below, then export."))
            return redirect(f"{reverse('clients:client_list')}?{data.urlencode()}")
        rows = exports.ClientRows(queryset)
        details = {"filter": exports.filter_description(filterset), "format": file_format}
        if file_format == "csv":
            # Recorded before the first row leaves: a download cut short has sent rows all the same.
            record(request, "clients.client.exported", rows=queryset.count(), **details)
            lines = exports.csv_lines(rows)
            response = StreamingHttpResponse(
                exports.in_language(translation.get_language(), lines), content_type=exports.CSV_CONTENT_TYPE
            )
            response["Content-Disposition"] = f'attachment; filename="{exports.file_name("csv")}"'
            return response
        if file_format == "xlsx":
            stream = exports.xlsx_file(rows)
            record(request, "clients.client.exported", rows=rows.count, **details)
            return FileResponse(
                stream,
                as_attachment=True,
                filename=exports.file_name("xlsx"),
                content_type=exports.XLSX_CONTENT_TYPE,
            )
        raise Http404
