"""Admin of the audit app: the log is read-only here as everywhere; head office sets the rules."""

from django.contrib import admin
from django.shortcuts import redirect

from .models import AuditRules, Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Events can be read, never added, changed or deleted (the activity log is append-only)."""

    list_display = ["created_at", "actor_name", "event", "object_repr", "office", "remote_addr"]
    list_filter = ["event"]
    list_select_related = ["office"]
    search_fields = ["actor_name", "object_repr", "event"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        from mifos.pagination import EstimatedCountPaginator

        return EstimatedCountPaginator(queryset, per_page, orphans, allow_empty_first_page)


@admin.register(AuditRules)
class AuditRulesAdmin(admin.ModelAdmin):
    """One row of settings: the list goes straight to it; it cannot be added nor deleted."""

    def changelist_view(self, request, extra_context=None):
        return redirect("admin:audit_auditrules_change", AuditRules.load().pk)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
