from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

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
class DocumentCategoryAdmin(admin.ModelAdmin):
    form = DocumentCategoryForm
    list_display = ["name", "allowed", "max_size_mb", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    @admin.display(description=_("allowed types"))
    def allowed(self, category):
        return category.allowed_labels()


@admin.register(DocumentRules)
class DocumentRulesAdmin(admin.ModelAdmin):
    """The institution's single row of rules: the list goes straight to it."""

    def changelist_view(self, request, extra_context=None):
        return redirect("admin:documents_documentrules_change", DocumentRules.load().pk)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    list_filter = ["category", "content_type"]
    list_select_related = ["client", "category"]
    search_fields = ["original_name", "title", "client__account_no", "sha256"]
    date_hierarchy = "uploaded_at"
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

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
