from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit import record
from mifos.admin import InstitutionWideAdminMixin, SafeInputAdminMixin
from mifos.plans import custom_plans
from mifos.versioning import VersionedAdminMixin

from .models import Office, Role, Staff, User
from .scoping import office_tree_ids, sees_everything, user_office


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A sidebar filter on an office-bound relation that offers only what the admin may see."""

    def field_choices(self, field, request, model_admin):
        queryset = field.related_model._default_manager.visible_to(request.user)
        return [(obj.pk, str(obj)) for obj in queryset]


class RoleFilter(admin.RelatedFieldListFilter):
    """The users' roles, by the names in the admin's language."""

    def field_choices(self, field, request, model_admin):
        return [(role.pk, str(role)) for role in Role.objects.order_by("name")]


class OfficeTreeFilter(admin.RelatedFieldListFilter):
    """Offices as a tree to walk down: the chosen office, the offices above it and those right below.
    Choosing an office lists what belongs to it and to every office below it, as the client list
    does. All listed at once, a head office's two hundred branches outweighed the page."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.chosen = None
        self.offices = []
        super().__init__(field, request, params, model, model_admin, field_path)

    def field_choices(self, field, request, model_admin):
        visible = Office.objects.visible_to(request.user)
        if self.lookup_val:
            chosen = self.lookup_val[-1]
            self.chosen = visible.filter(pk=chosen).first() if chosen.isdigit() else None
            if self.chosen is None:  # not an office, or not one of this admin's: admin says "invalid"
                raise IncorrectLookupParameters(f"no office {chosen!r} for {request.user}")
        anchor = self.chosen or (None if sees_everything(request.user) else user_office(request.user))
        if anchor is None:
            shown = visible.filter(models.Q(parent=None) | models.Q(parent__parent=None))
        else:
            shown = visible.above(anchor) | visible.filter(parent=anchor)
        self.offices = sorted(shown.only("name", "path"), key=lambda office: (office.depth, office.name))
        top = min((office.depth for office in self.offices), default=0)
        # Em spaces indent by depth: plain text in admin's own filter template, ignored by screen readers.
        return [(office.pk, "\u2003" * (office.depth - top) + str(office)) for office in self.offices]

    def get_facet_counts(self, pk_attname, filtered_qs):
        """ "Show counts" counts what each office's choice lists: its own and its tree's."""
        counts = {
            f"{office.pk}__c": models.Count(
                pk_attname, filter=models.Q(**{f"{self.field_path}__path__startswith": office.path})
            )
            for office in self.offices
        }
        if self.include_empty_choice:
            counts["__c"] = models.Count(pk_attname, filter=models.Q(**{self.lookup_kwarg_isnull: True}))
        return counts

    def queryset(self, request, queryset):
        if self.chosen is None:
            return super().queryset(request, queryset)  # "All", or the empty choice
        return queryset.filter(**{f"{self.field_path}__in": office_tree_ids(self.chosen)})


def users_visible_to(user):
    """Users of the offices ``user`` sees (users have no office manager method of their own)."""
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(office__in=Office.objects.visible_to(user))


def scoped_choices(model, user):
    """What ``user`` may pick for a relation to ``model``, or None when the model is not office-bound."""
    if model is User:
        return users_visible_to(user)
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user)
    return None


class ScopedChoicesMixin(SafeInputAdminMixin):
    """Every office-bound relation of an admin form offers, and accepts, only what is in the admin's
    scope. Autocomplete fields are the reason: their form field otherwise accepts any id posted."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = scoped_choices(db_field.related_model, request.user)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedAdminMixin(VersionedAdminMixin, ScopedChoicesMixin):
    """Admin lists show only what the signed-in admin may see, like every other page; the forms
    give only offices, officers and users of that scope."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def changelist_view(self, request, extra_context=None):
        """A list of a large table: its search and filters planned for their values (``mifos.plans``),
        the page rendered inside, since admin reads the rows as its template shows them."""
        if request.method != "GET":
            return super().changelist_view(request, extra_context)
        with custom_plans():
            response = super().changelist_view(request, extra_context)
            if hasattr(response, "render"):
                response.render()
        return response

    def has_change_permission(self, request, obj=None):
        # A model may let some users see an object they may not change (a client on its way in).
        if obj is not None and hasattr(obj, "may_be_changed_by") and not obj.may_be_changed_by(request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and hasattr(obj, "may_be_changed_by") and not obj.may_be_changed_by(request.user):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Office)
class OfficeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "parent", "opening_date", "external_id"]
    list_filter = [("parent", OfficeTreeFilter)]
    search_fields = ["name", "code", "external_id"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]

    def get_readonly_fields(self, request, obj=None):
        # The top of a scoped admin's tree hangs from an office outside it: moving it is not theirs to do.
        if obj is not None and not sees_everything(request.user) and obj == user_office(request.user):
            return [*self.readonly_fields, "parent"]
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "parent" in form.base_fields and not sees_everything(request.user):
            # Without a parent, an office would sit outside every scoped admin's tree.
            form.base_fields["parent"].required = True
        return form


@admin.register(Staff)
class StaffAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["display_name", "office", "is_credit_officer", "is_active", "phone", "user"]
    list_filter = ["is_credit_officer", "is_active", ("office", OfficeTreeFilter)]
    search_fields = ["first_name", "last_name", "phone", "email", "external_id"]
    list_select_related = ["office", "user"]
    autocomplete_fields = ["office", "user"]


def exceeds(user, rights_of):
    """True when ``rights_of`` (a user) holds a right ``user`` does not: no one hands out more than
    they hold, and only a superuser touches a superuser."""
    if user.is_superuser:
        return False
    if rights_of.is_superuser:
        return True
    return not rights_of.get_all_permissions() <= user.get_all_permissions()


# What a scoped admin may not change on their own account: it would widen their own scope or rights.
OWN_ACCESS_FIELDS = ("office", "groups", "is_active", "is_staff", "is_superuser", "user_permissions")


@admin.register(User)
class UserAdmin(ScopedChoicesMixin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "office", "is_active", "is_staff"]
    list_filter = [
        ("office", OfficeTreeFilter), ("groups", RoleFilter), "is_active", "is_staff", "is_superuser"
    ]  # fmt: skip
    list_select_related = ["office"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["office"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Office and roles"), {"fields": ("office", "groups")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "active_sessions")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "office", "password1", "password2")}),
    )
    filter_horizontal = ["groups", "user_permissions"]
    actions = ["sign_out_everywhere"]

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser may hand out superuser status or loose permissions; others use roles.
        if request.user.is_superuser:
            return ("active_sessions",)
        fields = ("is_superuser", "user_permissions", "last_login", "date_joined", "active_sessions")
        if obj is not None and obj.pk == request.user.pk:
            fields = (*fields, *OWN_ACCESS_FIELDS)
        return tuple(dict.fromkeys(fields))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":  # as roles, by the names in the admin's language
            user = request.user
            kwargs["queryset"] = Role.objects.all() if user.is_superuser else roles_within(user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and exceeds(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (exceeds(request.user, obj) or obj.pk == request.user.pk):
            return False
        return super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(office__in=Office.objects.visible_to(request.user))

    @admin.display(description=_("signed in on"))
    def active_sessions(self, obj):
        count = obj.active_sessions() if obj.pk else 0
        return ngettext("%(count)d browser", "%(count)d browsers", count) % {"count": count}

    @admin.action(description=_("Sign the selected users out everywhere"), permissions=["change"])
    def sign_out_everywhere(self, request, queryset):
        """For a lost laptop or a password others learnt: every session of theirs ends now."""
        users = [user for user in queryset.select_related("office") if not exceeds(request.user, user)]
        for user in users:
            ended = user.end_sessions()
            record(
                request, "auth.user.signed_out_everywhere", obj=user, office=user.office_id, sessions=ended
            )
        self.message_user(
            request,
            ngettext(
                "%(count)d user signed out everywhere.", "%(count)d users signed out everywhere.", len(users)
            )
            % {"count": len(users)},
        )
        if refused := queryset.count() - len(users):
            self.message_user(
                request,
                ngettext(
                    "%(count)d user left signed in: they hold rights you do not.",
                    "%(count)d users left signed in: they hold rights you do not.",
                    refused,
                )
                % {"count": refused},
                level=messages.WARNING,
            )


def roles_within(user):
    """The roles whose every permission ``user`` holds: those they may hand out."""
    held = user.get_all_permissions()
    pairs = Role.objects.values_list("pk", "permissions__content_type__app_label", "permissions__codename")
    outside = {pk for pk, app_label, codename in pairs if codename and f"{app_label}.{codename}" not in held}
    return Role.objects.exclude(pk__in=outside)


admin.site.unregister(Group)


@admin.register(Role)
class RoleAdmin(InstitutionWideAdminMixin, BaseGroupAdmin):
    """Roles (Django groups) hold the same permissions in every office: head office changes them."""
