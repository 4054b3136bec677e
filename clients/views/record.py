"""The button that produces a client's own record (``clients.record``) for the client who asks."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views import View

from .. import record
from ..models import Client


class ClientRecordView(PermissionRequiredMixin, View):
    """POST only: producing the file is recorded in the activity log. Outside the user's scope: 404."""

    permission_required = "clients.export_client_record"
    http_method_names = ["post"]

    def post(self, request, client_pk):
        client = get_object_or_404(
            Client.objects.visible_to(request.user).select_related(
                "office", "staff", "occupation", "education_level", "legal_structure", "business_line"
            ),
            pk=client_pk,
        )
        output = record.build(client, by=request)
        return FileResponse(
            output, as_attachment=True, filename=record.file_name(client), content_type="application/zip"
        )
