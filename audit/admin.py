"""Admin of the audit app: the log is read-only here as everywhere; head office sets the rules."""

from django.contrib import admin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from mifos.admin import InstitutionWideAdminMixin
from mifos.pagination import EstimatedCountPaginator
from offices.admin import OfficeTreeFilter, ScopedAdminMixin

from . import details, kinds
from .models import AuditRules, Event


class EventKindFilter(admin.SimpleListFilter):
    """The kinds of event the application records, by name: listing the kinds found in the log
    (admin's default) read the whole log, a fifth of a second at a million events and growing."""

    title = _("kind of event")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        return sorted(kinds.KINDS.items(), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        return queryset.filter(event=self.value()) if self.value() else queryset


@admin.register(Event)
class EventAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Events can be read, never added, changed or deleted (the activity log is append-only), and
    only those of the admin's offices, as on the activity log page."""

    list_display = ["created_at", "actor_name", "kind", "object_repr", "office", "remote_addr"]
    list_filter = [EventKindFilter, ("office", OfficeTreeFilter)]
    list_select_related = ["office"]
    search_fields = ["actor_name", "object_repr", "event"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    fields = [
        "created_at",
        "actor",
        "actor_name",
        "kind",
        "event",
        "content_type",
        "object_id",
        "object_repr",
        "office",
        "other_office",
        "details_shown",
        "details_stored",
        "remote_addr",
        "sequence",
        "previous_hash",
        "hash",
    ]
    readonly_fields = fields

    @admin.display(description=_("kind of event"), ordering="event")
    def kind(self, event):
        return kinds.label(event.event)

    @admin.display(description=_("details"))
    def details_shown(self, event):
        return details.as_text(event) or "—"

    @admin.display(description=_("details as stored"))
    def details_stored(self, event):
        return details.as_json(event.details)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditRules)
class AuditRulesAdmin(InstitutionWideAdminMixin, admin.ModelAdmin):
    """One row of settings: the list goes straight to it; it cannot be added nor deleted; head office
    changes it."""

    def changelist_view(self, request, extra_context=None):
        return redirect("admin:audit_auditrules_change", AuditRules.load().pk)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
