import re

from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from audit.reads import record_client_view
from clients.models import Client
from mifos.admin import InstitutionWideAdminMixin
from mifos.pagination import EstimatedCountPaginator

from .choices import FileType
from .models import Document, DocumentCategory, DocumentRules


class DocumentCategoryForm(forms.ModelForm):
    allowed_types = forms.MultipleChoiceField(
        label=_("allowed types"), choices=FileType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = DocumentCategory
        fields = ["name", "position", "is_active", "allowed_types", "max_size_mb"]


@admin.register(DocumentCategory)
class DocumentCategoryAdmin(InstitutionWideAdminMixin, admin.ModelAdmin):
    form = DocumentCategoryForm
    list_display = ["name", "allowed", "max_size_mb", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    @admin.display(description=_("allowed types"))
    def allowed(self, category):
        return category.allowed_labels()


@admin.register(DocumentRules)
class DocumentRulesAdmin(InstitutionWideAdminMixin, admin.ModelAdmin):
    """The institution's single row of rules: the list goes straight to it; head office changes it."""

    def changelist_view(self, request, extra_context=None):
        return redirect("admin:documents_documentrules_change", DocumentRules.load().pk)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


SHA256 = re.compile(r"[0-9a-f]{64}")


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read only: documents are uploaded, downloaded and deleted on the client's page, where the
    checks, the scope and the activity log apply."""

    list_display = [
        "__str__",
        "client",
        "category",
        "content_type",
        "size_shown",
        "uploaded_by_name",
        "uploaded_at",
    ]
    # Upload dates as admin's fixed ranges (today, past 7 days, ...), not date_hierarchy: its years
    # and months are read with SELECT DISTINCT over every document, a quarter second at a million.
    list_filter = ["category", "content_type", ("uploaded_at", admin.DateFieldListFilter)]
    list_select_related = ["client", "category"]
    search_fields = ["original_name", "title"]  # see get_search_results
    search_help_text = _("A client number, a file's SHA-256, or words of a file's name or title.")
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    fields = [
        "client",
        "identification",
        "category",
        "title",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by_name",
        "uploaded_at",
    ]

    @admin.display(description=_("size"), ordering="size")
    def size_shown(self, document):
        return filesizeformat(document.size)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_search_results(self, request, queryset, search_term):
        """A client's number or a file's digest finds its documents through an index; other words,
        the file's name and title alone. Django's search of all four, one across a join, read every
        document with the client beside it: four seconds at a million."""
        term = search_term.strip()
        if not term:
            return queryset, False
        # Within scope: another office's client number answers as any word would.
        clients = Client.objects.visible_to(request.user).filter(account_no=term)
        client = clients.values_list("pk", flat=True).first()
        if client is not None:
            return queryset.filter(client_id=client), False
        if SHA256.fullmatch(term.lower()):
            return queryset.filter(sha256=term.lower()), False
        return super().get_search_results(request, queryset, term)

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A document shown here (its client, identification, file name) is a view of the client's data
        like its pages (recorded if head office asks, as clients' admin does); the list is not."""
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            record_client_view(
                request, response.context_data["original"].client, page="admin_document_change"
            )
        return response

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
