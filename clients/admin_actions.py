"""Lifecycle actions in Django admin: the same permission check and functions as the pages."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import lifecycle


class ClientLifecycleAdminMixin:
    """Bulk lifecycle actions for the client list in admin; each refusal is reported by client."""

    actions = ["activate_today"]

    def has_activate_permission(self, request):
        return request.user.has_perm("clients.activate_client")

    @admin.action(description=_("Activate the selected pending clients today"), permissions=["activate"])
    def activate_today(self, request, queryset):
        today = timezone.localdate()
        activated = 0
        for client in queryset.select_related("office").order_by("pk"):
            try:
                lifecycle.check_permission(request.user, "activate", client)
                lifecycle.activate(client, on=today, by=request.user)
            except (PermissionDenied, lifecycle.TransitionError) as refusal:
                self.message_user(request, f"{client}: {refusal}", messages.WARNING)
            else:
                activated += 1
        if activated:
            self.message_user(
                request,
                ngettext("%(count)d client activated.", "%(count)d clients activated.", activated)
                % {"count": activated},
                messages.SUCCESS,
            )
