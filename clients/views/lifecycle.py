"""Pages of the client lifecycle: one page per action, the timeline tab, and officer reassignment.

The views stay thin: ``clients.lifecycle.check_permission`` decides who may act, the form reads
the input, the lifecycle function acts, and its TransitionError goes back to the form
(``mifos.views.ObjectActionView``).
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, ListView

from mifos.views import ObjectActionView, show_refusal

from .. import lifecycle
from ..lifecycle_forms import FORMS, OfficerReassignForm
from ..models import Client
from .base import ClientTabMixin


class ClientActionView(ClientTabMixin, ObjectActionView):
    """One lifecycle action on a client: GET shows its form, POST takes the action."""

    service = lifecycle
    action = None  # a name from lifecycle.ACTIONS
    base_template = "clients/client_base.html"
    client_queryset_related = ("office", "staff", "transfer_to_office")

    def has_permission(self):
        # Outside the user's scope the client answers 404 (self.client) before permissions are told.
        return super().has_permission() and lifecycle.may(self.request.user, self.action, self.client)

    def get_form_class(self):
        return FORMS[self.action]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "client": self.client, "user": self.request.user}

    def get_object_title(self):
        return self.client.display_name

    def get_lead(self):
        if self.client.transfer_to_office:
            return _("Transfer proposed to %(office)s.") % {"office": self.client.transfer_to_office}
        return ""

    def perform(self, form):
        user = self.request.user
        to_office = form.cleaned_data.get("to_office")
        lifecycle.check_permission(user, self.action, self.client, to_office=to_office)
        getattr(lifecycle, self.action)(self.client, by=user, **form.cleaned_data)
        return _("%(action)s: done. %(client)s is %(status)s.") % {
            "action": self.definition.label,
            "client": self.client,
            "status": self.client.get_status_display(),
        }

    def get_success_url(self):
        # A transfer the receiving office rejected leaves its scope: back to the list, not to a 404.
        if Client.objects.visible_to(self.request.user).filter(pk=self.client.pk).exists():
            return self.client.get_absolute_url()
        return reverse("clients:client_list")


class ClientTimelineView(ClientTabMixin, ListView):
    """The client's timeline: every lifecycle event, newest first, and the credit officers over time."""

    template_name = "clients/client_timeline.html"
    active_tab = "timeline"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        return self.client.events.select_related("office", "to_office", "staff", "reason")

    def get_context_data(self, **kwargs):
        assignments = self.client.officer_assignments.select_related("staff__office")
        return super().get_context_data(assignments=assignments, **kwargs)


class OfficerReassignView(PermissionRequiredMixin, FormView):
    """A manager hands every pending or active client of one credit officer to another."""

    permission_required = "clients.assign_officer_client"
    template_name = "clients/officer_reassign.html"
    form_class = OfficerReassignForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            count = lifecycle.reassign_officer_clients(
                data["from_staff"], data["to_staff"], on=data["on"], by=self.request.user
            )
        except lifecycle.TransitionError as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "%(count)d client moved from %(from)s to %(to)s.",
                "%(count)d clients moved from %(from)s to %(to)s.",
                count,
            )
            % {"count": count, "from": data["from_staff"], "to": data["to_staff"]},
        )
        return redirect(f"{reverse('clients:client_list')}?officer={data['to_staff'].pk}")
