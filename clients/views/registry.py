"""The client registry's pages: create, edit, the client page and its tabs, and the records on them.

Views stay thin: forms validate, ``clients.registration`` saves, and a ValidationError it raises
(for example a number another client registered a moment ago) goes back to the form.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DeleteView, ListView, TemplateView, UpdateView

from mifos.views import ObjectRecordsMixin, show_refusal
from offices.models import User

from .. import registration
from ..choices import LegalForm
from ..forms import (
    FamilyMemberForm,
    IdentificationForm,
    NoteFilterForm,
    NoteForm,
    client_form_class,
    client_part_delete_form,
)
from .base import ClientTabMixin

__all__ = ["ClientTabMixin"]  # other apps' client tabs import it from here


def save_or_show_errors(form, save):
    """Run a registration service; its ValidationError goes back to the form like any other.

    An error about a field the form does not show (a number another client took a moment ago,
    asked under another name on the registration form) goes on top of the form.
    """
    try:
        return save()
    except ValidationError as error:
        show_refusal(form, error)
        return None


# --- Creating and editing a client ------------------------------------------------------------------


class ClientAddView(PermissionRequiredMixin, TemplateView):
    """First step of registration: a person or a business."""

    permission_required = "clients.add_client"
    template_name = "clients/client_add.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(legal_forms=LegalForm.choices, **kwargs)


class ClientCreateView(PermissionRequiredMixin, CreateView):
    permission_required = "clients.add_client"
    template_name = "clients/client_form.html"

    def get_form_class(self):
        if self.kwargs["legal_form"] not in LegalForm.values:
            raise Http404
        return client_form_class(self.kwargs["legal_form"], new=True)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        client = save_or_show_errors(
            form,
            lambda: registration.register_client(
                form.instance, by=self.request.user, identifications=form.identifications
            ),
        )
        if client is None:
            return self.form_invalid(form)
        messages.success(self.request, _("%(client)s is registered.") % {"client": client})
        return redirect(client)


class ClientUpdateView(ClientTabMixin, UpdateView):
    permission_required = ("clients.view_client", "clients.change_client")
    template_name = "clients/client_form.html"

    def get_object(self, queryset=None):
        return self.client

    def has_permission(self):
        # A client on its way in is the sending office's until accepted: readable here, not changeable.
        return super().has_permission() and self.client.may_be_changed_by(self.request.user)

    def get_form_class(self):
        return client_form_class(self.client.legal_form, new=False)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        if save_or_show_errors(form, lambda: registration.update_client(form.instance, by=self.request.user)):
            messages.success(self.request, _("The changes are saved."))
            return redirect(self.client)
        return self.form_invalid(form)


# --- The client page and its tabs --------------------------------------------------------------------


class ClientDetailView(ClientTabMixin, TemplateView):
    template_name = "clients/client_detail.html"
    active_tab = "overview"
    # Not created_by nor updated_by: the page's stamps come from the history (audit.history.stamps).
    # The photo is the documents app's, in the header. The lookups are joined too: the query is
    # prepared (settings' DATABASES), so PostgreSQL plans its seven joins once per connection, and
    # a prefetch of each lookup cost more Python than the rest of reading the client.
    client_queryset_related = (
        "office", "staff", "transfer_to_office", "photo",
        "occupation", "education_level", "legal_structure", "business_line",
    )  # fmt: skip

    def get_context_data(self, **kwargs):
        return super().get_context_data(currency=settings.CURRENCY, **kwargs)


class ClientIdentificationsView(ClientTabMixin, ObjectRecordsMixin, TemplateView):
    permission_required = ("clients.view_client", "clients.view_identification")
    template_name = "clients/client_identifications.html"
    active_tab = "identifications"
    base_template = "clients/client_base.html"
    records_title = _("Identifications")
    empty_message = _("No identification recorded yet.")
    add_label = _("Add an identification")
    add_url_name = "clients:identification_add"
    edit_url_name = "clients:identification_edit"
    delete_url_name = "clients:identification_delete"
    permissions = {
        "add": "clients.add_identification",
        "change": "clients.change_identification",
        "delete": "clients.delete_identification",
    }

    def get_records(self):
        return self.client.identifications.select_related("document_type")


class ClientFamilyView(ClientTabMixin, ObjectRecordsMixin, TemplateView):
    permission_required = ("clients.view_client", "clients.view_familymember")
    template_name = "clients/client_family.html"
    active_tab = "family"
    base_template = "clients/client_base.html"
    records_title = _("Family")
    empty_message = _("No family member recorded yet.")
    add_label = _("Add a family member")
    add_url_name = "clients:family_member_add"
    edit_url_name = "clients:family_member_edit"
    delete_url_name = "clients:family_member_delete"
    permissions = {
        "add": "clients.add_familymember",
        "change": "clients.change_familymember",
        "delete": "clients.delete_familymember",
    }

    def get_records(self):
        return self.client.family_members.select_related("relationship", "occupation")


class ClientNotesView(ClientTabMixin, ListView):
    permission_required = ("clients.view_client", "clients.view_note")
    template_name = "clients/client_notes.html"
    active_tab = "notes"
    paginate_by = 20
    context_object_name = "notes"

    @cached_property
    def filter_form(self):
        authors = User.objects.filter(pk__in=self.client.notes.values("created_by")).order_by(
            "first_name", "last_name", "username"
        )
        return NoteFilterForm(self.request.GET or None, authors=authors)

    def get_queryset(self):
        notes = self.client.notes.select_related("created_by", "updated_by")
        if self.filter_form.is_valid():
            filters = self.filter_form.cleaned_data
            if filters["written_from"]:
                notes = notes.filter(created_at__date__gte=filters["written_from"])
            if filters["written_until"]:
                notes = notes.filter(created_at__date__lte=filters["written_until"])
            if filters["author"]:
                notes = notes.filter(created_by=filters["author"])
        return notes

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_form=self.filter_form, filter_query=query.urlencode(), **kwargs
        )


# --- Identifications, family members and notes --------------------------------------------------------


class ClientPartMixin(ClientTabMixin):
    """One record of a client (an identification, a family member, a note), looked up through the client.

    The record's own mixin names ``related_name`` (the client's records), ``tab_url`` (where to go back)
    and the ``save`` and ``delete`` services.
    """

    def has_permission(self):
        # A client on its way in is the sending office's until accepted: readable here, not changeable.
        return super().has_permission() and self.client.may_be_changed_by(self.request.user)

    def get_object(self, queryset=None):
        return get_object_or_404(getattr(self.client, self.related_name).all(), pk=self.kwargs["pk"])

    def get_success_url(self):
        return reverse(self.tab_url, args=[self.client.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=self.get_success_url(), **kwargs)


class ClientPartFormMixin(ClientPartMixin):
    template_name = "clients/client_part_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "client": self.client, "user": self.request.user}

    def form_valid(self, form):
        if save_or_show_errors(form, lambda: self.save(form.instance)) is None:
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"record": form.instance})
        return redirect(self.get_success_url())


class ClientPartDeleteMixin(ClientPartMixin):
    """The confirmation of a removal. With ``versioned``, it carries the version of the record shown,
    and the service refuses it if the record changed since; a refusal goes back onto the page."""

    template_name = "clients/client_part_confirm_delete.html"
    versioned = False

    def get_form_class(self):
        return client_part_delete_form(type(self.object)) if self.versioned else super().get_form_class()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return {**kwargs, "instance": self.object} if self.versioned else kwargs

    def form_valid(self, form):
        if save_or_show_errors(form, lambda: self.delete(self.object) or True) is None:
            return self.form_invalid(form)
        messages.success(self.request, _("%(record)s is removed.") % {"record": self.object})
        return redirect(self.get_success_url())


class IdentificationMixin:
    related_name = "identifications"
    tab_url = "clients:client_identifications"
    active_tab = "identifications"
    success_message = _("%(record)s is saved.")
    add_title = _("Add an identification")

    def save(self, identification):
        return registration.save_identification(identification, by=self.request.user)

    def delete(self, identification):
        registration.delete_part(identification, by=self.request.user)


class IdentificationCreateView(IdentificationMixin, ClientPartFormMixin, CreateView):
    permission_required = ("clients.view_client", "clients.add_identification")
    form_class = IdentificationForm


class IdentificationUpdateView(IdentificationMixin, ClientPartFormMixin, UpdateView):
    permission_required = ("clients.view_client", "clients.change_identification")
    form_class = IdentificationForm


class IdentificationDeleteView(IdentificationMixin, ClientPartDeleteMixin, DeleteView):
    permission_required = ("clients.view_client", "clients.delete_identification")
    versioned = True


class FamilyMemberMixin:
    related_name = "family_members"
    tab_url = "clients:client_family"
    active_tab = "family"
    success_message = _("%(record)s is saved.")
    add_title = _("Add a family member")

    def save(self, member):
        return registration.save_family_member(member, by=self.request.user)

    def delete(self, member):
        registration.delete_part(member, by=self.request.user)


class FamilyMemberCreateView(FamilyMemberMixin, ClientPartFormMixin, CreateView):
    permission_required = ("clients.view_client", "clients.add_familymember")
    form_class = FamilyMemberForm


class FamilyMemberUpdateView(FamilyMemberMixin, ClientPartFormMixin, UpdateView):
    permission_required = ("clients.view_client", "clients.change_familymember")
    form_class = FamilyMemberForm


class FamilyMemberDeleteView(FamilyMemberMixin, ClientPartDeleteMixin, DeleteView):
    permission_required = ("clients.view_client", "clients.delete_familymember")
    versioned = True


class NoteMixin:
    related_name = "notes"
    tab_url = "clients:client_notes"
    active_tab = "notes"
    success_message = _("The note is saved.")
    add_title = _("Write a note")

    def get_object(self, queryset=None):
        note = super().get_object(queryset)
        if not note.may_be_changed_by(self.request.user):
            raise PermissionDenied
        return note

    def save(self, note):
        return registration.save_note(note, by=self.request.user)

    def delete(self, note):
        registration.delete_note(note, by=self.request.user)


class NoteCreateView(NoteMixin, ClientPartFormMixin, CreateView):
    permission_required = ("clients.view_client", "clients.add_note")
    form_class = NoteForm


class NoteUpdateView(NoteMixin, ClientPartFormMixin, UpdateView):
    permission_required = ("clients.view_client", "clients.change_note")
    form_class = NoteForm


class NoteDeleteView(NoteMixin, ClientPartDeleteMixin, DeleteView):
    # The author may remove their own note; anyone else needs clients.delete_note (checked on the note).
    permission_required = ("clients.view_client", "clients.view_note")
    versioned = True
