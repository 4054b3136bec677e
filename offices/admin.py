from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Office, Staff, User


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A sidebar filter on an office-bound relation that offers only what the admin may see."""

    def field_choices(self, field, request, model_admin):
        queryset = field.related_model._default_manager.visible_to(request.user)
        return [(obj.pk, str(obj)) for obj in queryset]


class ScopedAdminMixin:
    """Admin lists show only what the signed-in admin may see, like every other page."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(Office)
class OfficeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "parent", "opening_date", "external_id"]
    list_filter = [("parent", ScopedRelatedFilter)]
    search_fields = ["name", "code", "external_id"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]


@admin.register(Staff)
class StaffAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["display_name", "office", "is_credit_officer", "is_active", "phone", "user"]
    list_filter = ["is_credit_officer", "is_active", ("office", ScopedRelatedFilter)]
    search_fields = ["first_name", "last_name", "phone", "email", "external_id"]
    list_select_related = ["office", "user"]
    autocomplete_fields = ["office", "user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "office", "is_active", "is_staff"]
    list_filter = [("office", ScopedRelatedFilter), "groups", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["office"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["office"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Office and roles"), {"fields": ("office", "groups")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "office", "password1", "password2")}),
    )
    filter_horizontal = ["groups", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser may hand out superuser status or loose permissions; others use roles.
        if request.user.is_superuser:
            return ()
        return ("is_superuser", "user_permissions", "last_login", "date_joined")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(office__in=Office.objects.visible_to(request.user))
