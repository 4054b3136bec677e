from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from mifos.actions import TransitionError
from mifos.admin import InstitutionWideAdminMixin, ScopedHistoryMixin
from mifos.lookups import LookupAdmin
from offices.admin import OfficeTreeFilter, ScopedAdminMixin

from . import services
from .forms import ActivateForm, CloseForm
from .models import Group, GroupClosureReason, GroupRole, GroupRules, MembershipEndReason


@admin.register(Group)
class GroupAdmin(ScopedAdminMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "status", "office", "parent", "staff", "submitted_on", "activated_on"]
    list_filter = ["kind", "status", ("office", OfficeTreeFilter)]
    search_fields = ["name", "external_id"]
    list_select_related = ["office", "parent", "staff"]
    autocomplete_fields = ["office", "staff"]
    readonly_fields = [
        "status",
        "activated_on",
        "closed_on",
        "closure_reason",
        "closure_note",
        "members_link",
    ]
    actions = ["activate_selected", "close_selected"]

    @admin.display(description=_("Members"))
    def members_link(self, obj):
        """A center's members run to hundreds: as inline rows they made its page too large to save
        (Django's field limit). They are listed, with their history, on the group's own page."""
        if obj is None or obj.pk is None:
            return "—"
        current = obj.memberships.current().count()
        return format_html(
            '<a href="{}">{}</a>',
            obj.get_absolute_url(),
            ngettext(
                "%(count)d current member: see the group's page",
                "%(count)d current members: see the group's page",
                current,
            )
            % {"count": current},
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # A group's office and officer change through their own rules (transfer, change of officer).
        return [*self.readonly_fields, "kind", "office", "staff"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and services.refusal(obj, "edit"):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # groups are closed, never deleted, so their history stays

    def has_activate_permission(self, request):
        return request.user.has_perm("groups.activate_group")

    def has_close_permission(self, request):
        return request.user.has_perm("groups.close_group")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "parent" in form.base_fields:
            # The list offers only what the group may join (an active group: active centers only).
            parent = form.base_fields["parent"]
            parent.queryset = parent.queryset.centers_for(obj)
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            centers = Group.objects.visible_to(request.user).centers().open()
            kwargs["queryset"] = centers.select_related("office")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            services.update(obj, by=request.user)
        else:
            services.create(obj, by=request.user)

    @admin.action(description=_("Activate selected groups and centers"), permissions=["activate"])
    def activate_selected(self, request, queryset):
        return self._apply(
            request,
            queryset,
            ActivateForm,
            _("Activate groups and centers"),
            lambda group, data: services.activate(group, by=request.user, **data),
        )

    @admin.action(description=_("Close selected groups and centers"), permissions=["close"])
    def close_selected(self, request, queryset):
        return self._apply(
            request,
            queryset,
            CloseForm,
            _("Close groups and centers"),
            lambda group, data: services.close(group, by=request.user, **data),
        )

    def _apply(self, request, queryset, form_class, title, perform):
        """Ask for the date (and reason), then act on each group; refusals are reported one by one."""
        form = form_class(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                "form": form,
                "groups": queryset.select_related("office"),
                "action": request.POST["action"],
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            }
            return TemplateResponse(request, "admin/groups/group/action_form.html", context)
        done = 0
        for group in queryset.select_related("office", "parent"):
            try:
                perform(group, form.cleaned_data)
            except TransitionError as error:
                self.message_user(request, f"{group}: {error.message}", messages.ERROR)
            else:
                done += 1
        if done:
            message = ngettext("%(count)d done.", "%(count)d done.", done) % {"count": done}
            self.message_user(request, message, messages.SUCCESS)
        return None


admin.site.register([GroupClosureReason, MembershipEndReason, GroupRole], LookupAdmin)


@admin.register(GroupRules)
class GroupRulesAdmin(InstitutionWideAdminMixin, admin.ModelAdmin):
    """The institution's single row of group rules: the list goes straight to it; head office edits it."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return redirect("admin:groups_grouprules_change", GroupRules.load().pk)
