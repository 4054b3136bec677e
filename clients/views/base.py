from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from clients.models import Client


class ClientMixin(PermissionRequiredMixin):
    """A page about one client: the client comes only from the user's scope, else 404."""

    permission_required = "clients.view_client"
    client_queryset_related = ("office", "staff")

    @cached_property
    def client(self):
        queryset = Client.objects.visible_to(self.request.user).select_related(*self.client_queryset_related)
        return get_object_or_404(queryset, pk=self.kwargs["client_pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["client"] = self.client
        return context
