from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit.reads import record_client_view
from mifos.admin import InstitutionWideAdminMixin, ScopedHistoryMixin
from mifos.lookups import LookupAdmin
from mifos.pagination import EstimatedCountPaginator
from offices.admin import OfficeTreeFilter, ScopedAdminMixin, ScopedRelatedFilter
from offices.models import Office, Staff

from . import registration, search
from .admin_actions import ClientLifecycleAdminMixin
from .forms import RegistrationNumberFormMixin
from .models import (
    BusinessLine,
    Client,
    ClientActionReason,
    ClientRules,
    EducationLevel,
    FamilyMember,
    Identification,
    IdentificationType,
    ImportRun,
    LegalStructure,
    Note,
    Occupation,
    RelationshipType,
)

# --- Lookup lists and rules ------------------------------------------------------------------------


admin.site.register([RelationshipType, Occupation, EducationLevel, LegalStructure, BusinessLine], LookupAdmin)


@admin.register(IdentificationType)
class IdentificationTypeAdmin(LookupAdmin):
    list_display = ["name", "format_example", "is_unique", "is_required", "position", "is_active"]
    list_filter = ["is_active", "is_unique", "is_required"]


@admin.register(ClientActionReason)
class ClientActionReasonAdmin(LookupAdmin):
    list_display = ["name", "kind", "position", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(ClientRules)
class ClientRulesAdmin(InstitutionWideAdminMixin, admin.ModelAdmin):
    """The institution's single row of rules: the list goes straight to it; head office changes it."""

    def changelist_view(self, request, extra_context=None):
        return redirect("admin:clients_clientrules_change", ClientRules.load().pk)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Clients -----------------------------------------------------------------------------------------


class IdentificationFormSet(BaseInlineFormSet):
    """The registration checks on the admin's identification lines: unique numbers, one active
    document of a type, required types (at registration, and kept afterwards)."""

    user = None  # the admin at work, set per request by IdentificationInline.get_formset

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept, deleted = [], []
        # The lines saved now count as this page leaves them, not as they are saved.
        replaced = [form.instance.pk for form in self.forms if form.instance.pk]
        for form in self.forms:
            if not form.cleaned_data:
                continue
            if form.cleaned_data.get("DELETE"):
                deleted.append(form.instance)
                continue
            kept.append(form.instance)
            try:
                registration.check_identification_unique(
                    form.instance, by=self.user, listed=kept[:-1], replaced=replaced
                )
            except ValidationError as error:
                form.add_error(None, error)
        if self.instance._state.adding:
            registration.check_required_identifications(self.instance, kept)
        else:
            removed = [*deleted, *(identification for identification in kept if identification.pk)]
            registration.check_required_kept(self.instance, removed=removed, kept=kept)


class IdentificationInline(admin.TabularInline):
    model = Identification
    formset = IdentificationFormSet
    fields = ["document_type", "number", "issued_by", "issue_date", "expiry_date", "is_active", "description"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset


class FamilyMemberInline(admin.TabularInline):
    model = FamilyMember
    fields = [
        "first_name",
        "last_name",
        "relationship",
        "gender",
        "date_of_birth",
        "is_dependent",
        "occupation",
        "phone",
    ]
    extra = 0


class ClientAdminForm(RegistrationNumberFormMixin, forms.ModelForm):
    """The client form of admin, with the registration's check of a business's registration number
    (``user``, the admin at work, is set per request by ClientAdmin.get_form)."""


class StaffOfChosenOfficeFilter(ScopedRelatedFilter):
    """Credit officers of the office chosen in the office filter, and none before one is chosen:
    listed all at once, a head office's hundreds of officers outweighed the page."""

    office_parameter = "office__id__exact"

    def field_choices(self, field, request, model_admin):
        office = request.GET.get(self.office_parameter, "")
        if not office.isdigit():
            return []
        staff = Staff.objects.visible_to(request.user).filter(office_id=office)
        return [(member.pk, str(member)) for member in staff]


@admin.register(Client)
class ClientAdmin(ClientLifecycleAdminMixin, ScopedAdminMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
    """Clients in admin obey the same registration rules, numbering and history as the pages."""

    form = ClientAdminForm
    list_display = ["account_no", "display_name", "legal_form", "status", "office", "staff", "submitted_on"]
    list_filter = [
        "status",
        "legal_form",
        ("office", OfficeTreeFilter),
        ("staff", StaffOfChosenOfficeFilter),
    ]
    list_select_related = ["office", "staff"]
    # The box searches as the client list does (get_search_results); this only makes admin show it.
    search_fields = ["display_name"]
    search_help_text = _("Name, client number, external id, identification or phone, as in the client list.")
    # A million clients: sorted as the client list is, along its index; no full count, no dates drill-down.
    ordering = [search.Bytewise("search_name").asc(), "pk"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_per_page = 50  # admin renders each cell through several functions: a hundred rows took 80 ms
    # Notes grow without bound: as inline rows they made a long-served client's page too large to save
    # (Django's field limit). They are kept on the client's Notes page; admin links there.
    inlines = [IdentificationInline, FamilyMemberInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "account_no",
                    "legal_form",
                    "status",
                    "office",
                    "staff",
                    "submitted_on",
                    "external_id",
                ]
            },
        ),
        (
            _("Person"),
            {
                "fields": [
                    "first_name",
                    "middle_name",
                    "last_name",
                    "gender",
                    "date_of_birth",
                    "marital_status",
                    "dependents",
                    "occupation",
                    "education_level",
                    "monthly_income",
                ]
            },
        ),
        (
            _("Business"),
            {
                "fields": [
                    "business_name",
                    "registration_number",
                    "incorporation_date",
                    "legal_structure",
                    "business_line",
                    "contact_person",
                ]
            },
        ),
        (
            _("Contact and address"),
            {
                "fields": [
                    "mobile_phone",
                    "email",
                    "address_line",
                    "locality",
                    "city",
                    "region",
                    "postal_code",
                    "country",
                ]
            },
        ),
        (
            _("Record"),
            {
                "fields": [
                    "activated_on",
                    "closed_on",
                    "created_at",
                    "created_by",
                    "updated_at",
                    "updated_by",
                    "notes_link",
                ]
            },
        ),
    ]
    _always_read_only = [
        "notes_link",
        "account_no",
        "status",
        "activated_on",
        "closed_on",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    ]

    @admin.display(description=_("Notes"))
    def notes_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("clients:client_notes", args=[obj.pk]),
            _("Read and write notes on the client's Notes page"),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._record_view(request, response, object_id, "admin_change")
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._record_view(request, response, object_id, "admin_history")
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        self._record_view(request, response, object_id, "admin_history_version")
        return response

    def _record_view(self, request, response, object_id, page):
        """A client shown in admin is a view of its page like any other (recorded if head office asks).
        simple-history renders its pages without a context to read the client from: read it again."""
        if request.method != "GET" or response.status_code != 200:
            return
        context = getattr(response, "context_data", None) or {}
        client = context.get("original") or self.get_object(request, unquote(object_id))
        if client is not None:
            record_client_view(request, client, page=page)

    def get_search_results(self, request, queryset, search_term):
        """The client list's search (clients.search), whose indexes serve a million clients: Django's
        icontains over four columns read every row, for ten seconds."""
        if not search_term.strip():
            return queryset, False
        terms = search.parse(search_term)
        if terms is None:
            self.message_user(request, search.TOO_SHORT_MESSAGE, messages.WARNING)
            return queryset.none(), False
        return search.search(queryset, terms), False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self._always_read_only
        # Once registered, office, officer and dates change through the lifecycle's actions.
        return [*self._always_read_only, "legal_form", "office", "staff", "submitted_on"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "office":
            kwargs["queryset"] = Office.objects.visible_to(request.user)
        elif db_field.name == "staff":
            kwargs["queryset"] = Staff.objects.available_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            registration.update_client(obj, by=request.user)
        # A new client is registered in save_related, together with its inline identifications and family.

    def save_related(self, request, form, formsets, change):
        if not change:
            parts = {
                formset.model: formset.save(commit=False)
                for formset in formsets
                if formset.model in (Identification, FamilyMember)
            }
            registration.register_client(
                form.instance,
                by=request.user,
                identifications=parts.get(Identification, []),
                family_members=parts.get(FamilyMember, []),
            )
            # Admin does not stop for a possible duplicate, but says so, as the pages do.
            for duplicate in registration.possible_duplicates(form.instance, by=request.user):
                self.message_user(request, duplicate.message, messages.WARNING)
            formsets = [formset for formset in formsets if formset.model not in parts]
        super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        """Inline lines are saved through the same services as the client page's tabs."""
        save, delete = {
            Identification: (registration.save_identification, registration.delete_part),
            FamilyMember: (registration.save_family_member, registration.delete_part),
            Note: (registration.save_note, registration.delete_note),
        }[formset.model]
        instances = formset.save(commit=False)
        if formset.model is Identification:
            # As one set: a document is replaced in one save (see registration.save_identifications).
            registration.save_identifications(
                form.instance, saved=instances, deleted=formset.deleted_objects, by=request.user
            )
            return
        for obj in formset.deleted_objects:
            delete(obj, by=request.user)
        for obj in instances:
            save(obj, by=request.user)
        formset.save_m2m()


# --- Bulk imports --------------------------------------------------------------------------------------


@admin.register(ImportRun)
class ImportRunAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Client imports, read-only. "Add" opens the import page, so head office imports through the
    same importer and rules as everyone (django-import-export's generic admin import is not used)."""

    list_display = ["file_name", "office", "user_name", "status", "created", "skipped", "refused"]
    list_filter = ["status", ("office", OfficeTreeFilter)]
    list_select_related = ["office"]
    search_fields = ["file_name", "user_name"]
    exclude = ["file", "errors"]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("clients:client_import")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
