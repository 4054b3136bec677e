"""Pages of groups and centers. They stay thin: forms validate, ``groups.services`` acts."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.generic import CreateView, TemplateView, UpdateView

from audit.models import Event
from clients import search
from clients.models import Client
from clients.views.registry import ClientTabMixin
from mifos.views import ObjectActionMixin, ObjectActionView, ObjectListView, ObjectMixin, show_refusal

from . import services
from .choices import GroupKind
from .filters import GroupFilterSet
from .forms import (
    ActivateForm,
    AddMemberForm,
    CloseForm,
    GroupForm,
    GroupSearchForm,
    MembershipDateForm,
    MoveMemberForm,
    OfficerForm,
    RemoveMemberForm,
    RoleForm,
)
from .models import Group, Membership

CANDIDATES_SHOWN = 20


class GroupListView(ObjectListView):
    """Groups and centers in the user's offices, filtered; pages are cut without counting the table."""

    permission_required = "groups.view_group"
    template_name = "groups/group_list.html"
    filterset_class = GroupFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("office", "staff", "parent").order_by("name", "id")

    def get_page(self, rows, parts=None):
        """The page, each group with its current member count: counted for the page's groups alone,
        in one query, since the page's rows are read again by id without the list's annotations."""
        page, page_error = super().get_page(rows, parts)
        if page.object_list:
            counts = dict(
                Membership.objects.filter(group__in=[group.pk for group in page.object_list], left_on=None)
                .values_list("group")
                .annotate(count=Count("pk"))
                .order_by()
            )
            for group in page.object_list:
                group.member_count = counts.get(group.pk, 0)
        return page, page_error


class GroupMixin(ObjectMixin):
    """A page about one group or center: it comes only from the user's scope, else 404."""

    permission_required = "groups.view_group"
    page_model = Group
    page_object_name = "group"
    page_object_related = ("office", "staff", "parent", "closure_reason")

    @property
    def group(self):
        return self.page_object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["group"] = self.group
        context["actions"] = services.allowed_actions(self.group, self.request.user)
        return context


class GroupDetailView(GroupMixin, TemplateView):
    """A group with its members (today, or on the date in ``?on=``); a center also lists its groups."""

    template_name = "groups/group_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        date_form = MembershipDateForm(self.request.GET or None)
        on = date_form.cleaned_data["on"] if date_form.is_valid() else None
        memberships = (
            self.group.memberships.select_related("client__staff", "role")
            .annotate(client_visible=_visible_client(self.request.user))
            .order_by("client__display_name", "client_id")
        )
        context.update(
            date_form=date_form,
            on=on,
            members=memberships.on(on) if on else memberships.current(),
            former_members=(
                None if on else memberships.filter(left_on__isnull=False).select_related("end_reason")
            ),
        )
        context["history"] = history(self.group)
        if self.group.is_center:
            context["center_groups"] = (
                self.group.groups.with_member_count().select_related("staff").order_by("name", "id")
            )
        return context


def _visible_client(user):
    """Whether ``user`` may open a membership's client: one who left by transfer is another office's
    now, and its page a 404. Asked in the members' own query, not once per member."""
    return Exists(Client.objects.visible_to(user).filter(pk=OuterRef("client_id")))


HISTORY_SHOWN = 20


@dataclass
class HistoryRow:
    """A line of a group page's History: one of its events, or an edit of its details."""

    date: datetime.date
    recorded_at: datetime.datetime
    action: str
    details: str
    by: str


def _edit_value(field, value):
    """A value an edit's event kept (a name, an ISO date, a time, a code) as the group page shows it."""
    if not value:
        return "—"
    if field == "submitted_on":
        return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    return str(dict(Group._meta.get_field(field).flatchoices).get(value, value))


def edit_summary(details):
    """What an edit changed, in the reader's language: "Center: Baraka → Riverside; Meeting day: ..."."""
    parts = []
    for field, key in services.EDITED_DETAILS.items():
        if key in details:
            label = capfirst(Group._meta.get_field(field).verbose_name)
            old = _edit_value(field, details.get(f"previous_{key}", ""))
            parts.append(f"{label}: {old} → {_edit_value(field, details[key])}")
    return "; ".join(parts)


def history(group):
    """The group's latest events and edits, newest first: two queries, whatever the history's size."""
    rows = [
        HistoryRow(
            event.effective_date,
            event.created_at,
            event.get_action_display(),
            f"{event.summary} — {event.note}" if event.note else event.summary,
            event.created_by_name,
        )
        for event in group.events.all()[:HISTORY_SHOWN]
    ]
    edits = Event.objects.filter(
        content_type=ContentType.objects.get_for_model(Group),
        object_id=str(group.pk),
        event="groups.group.changed",
    ).order_by("-created_at", "-id")
    for edit in edits[:HISTORY_SHOWN]:
        summary = edit_summary(edit.details)
        if summary:  # edits made before their changes were recorded say nothing a person could read
            when = timezone.localtime(edit.created_at)
            rows.append(HistoryRow(when.date(), when, _("Details changed"), summary, edit.actor_name))
    rows.sort(key=lambda row: (row.date, row.recorded_at), reverse=True)
    return rows[:HISTORY_SHOWN]


class GroupCreateView(PermissionRequiredMixin, CreateView):
    permission_required = "groups.add_group"
    model = Group
    form_class = GroupForm
    template_name = "groups/group_form.html"

    @cached_property
    def kind(self):
        kind = self.request.GET.get("kind")
        return kind if kind in GroupKind.values else GroupKind.GROUP

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "kind": self.kind}

    def form_valid(self, form):
        try:
            self.object = services.create(form.instance, by=self.request.user)
        except ValidationError as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(group)s was created.") % {"group": self.object})
        return redirect(self.object)


class GroupActionMixin(GroupMixin, ObjectActionMixin):
    """A page for one action of ``services.ACTIONS`` on a group: GET shows the form, POST acts."""

    service = services
    base_template = "groups/group_base.html"
    heading_level = 1

    def get_permission_required(self):
        return (self.permission_required, *services.ACTIONS[self.action].permissions)

    def get_heading(self):
        return f"{self.definition.label}: {self.group.name}"


class GroupUpdateView(GroupActionMixin, UpdateView):
    action = "edit"
    form_class = GroupForm
    template_name = "groups/group_form.html"

    def get_object(self, queryset=None):
        return self.group

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        services.update(form.instance, by=self.request.user)
        return _("%(group)s was saved.") % {"group": self.group}


class GroupFormActionView(GroupActionMixin, ObjectActionView):
    pass


class GroupActivateView(GroupFormActionView):
    action = "activate"
    form_class = ActivateForm

    def perform(self, form):
        services.activate(self.group, on=form.cleaned_data["on"], by=self.request.user)
        return _("%(group)s is active.") % {"group": self.group}


class GroupCloseView(GroupFormActionView):
    action = "close"
    form_class = CloseForm

    def perform(self, form):
        services.close(self.group, by=self.request.user, **form.cleaned_data)
        return _("%(group)s is closed.") % {"group": self.group}


class GroupOfficerView(GroupFormActionView):
    action = "assign_officer"
    form_class = OfficerForm

    def get_form_kwargs(self):
        may_move = self.request.user.has_perm("clients.assign_officer_client")
        return {**super().get_form_kwargs(), "group": self.group, "may_move_members": may_move}

    def perform(self, form):
        services.change_officer(self.group, by=self.request.user, **form.cleaned_data)
        return _("%(staff)s is now the credit officer of %(group)s.") % {
            "staff": self.group.staff,
            "group": self.group,
        }


class MemberAddView(GroupFormActionView):
    """Search the office's clients who may join, tick some, and add them on one date."""

    action = "add_member"
    form_class = AddMemberForm
    template_name = "groups/group_add_member.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def candidates(self, terms):
        clients = services.joining_candidates(self.group, Client.objects.visible_to(self.request.user))
        if terms is not None:
            clients = search.search(clients, terms).order_by(search.RANK, "display_name", "pk")
        else:
            # With nothing typed, the likeliest members: clients of the office in no group yet.
            in_a_group = Membership.objects.current().filter(group__kind=GroupKind.GROUP).values("client")
            clients = clients.exclude(pk__in=in_a_group).order_by("display_name", "pk")
        return clients.select_related("staff")[:CANDIDATES_SHOWN]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search_form = GroupSearchForm(self.request.GET)
        # A term too short to search for says so next to the box (GroupSearchForm); the list stays
        # the one shown with nothing typed, under its own heading.
        terms = search.parse(search_form.cleaned_data["q"]) if search_form.is_valid() else None
        context.update(
            search_form=search_form, searching=terms is not None, candidates=self.candidates(terms)
        )
        return context

    def perform(self, form):
        added = services.add_members(
            self.group, form.cleaned_data["clients"], on=form.cleaned_data["on"], by=self.request.user
        )
        return _("Added to %(group)s: %(clients)s.") % {
            "group": self.group,
            "clients": ", ".join(str(membership.client) for membership in added),
        }


class MemberActionView(GroupFormActionView):
    """An action on one current member, named by ``client_pk`` in the address."""

    @cached_property
    def membership(self):
        memberships = self.group.memberships.current().select_related("client")
        return get_object_or_404(memberships, client_id=self.kwargs["client_pk"])

    def get_heading(self):
        return f"{self.definition.label}: {self.membership.client}"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "membership": self.membership}


class MemberRemoveView(MemberActionView):
    action = "remove_member"
    form_class = RemoveMemberForm

    def perform(self, form):
        client = self.membership.client
        services.remove_member(self.group, client, by=self.request.user, **form.cleaned_data)
        return _("%(client)s left %(group)s.") % {"client": client, "group": self.group}


class MemberMoveView(MemberActionView):
    action = "move_member"
    form_class = MoveMemberForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "group": self.group,
            "client": self.membership.client,
            "user": self.request.user,
        }

    def perform(self, form):
        client, to_group = self.membership.client, form.cleaned_data["to_group"]
        services.move_member(
            client, from_group=self.group, to_group=to_group, on=form.cleaned_data["on"], by=self.request.user
        )
        return _("%(client)s moved to %(group)s.") % {"client": client, "group": to_group}


class MemberRoleView(GroupFormActionView):
    action = "set_role"
    form_class = RoleForm
    template_name = "groups/group_set_role.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "group": self.group}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["holders"] = (
            self.group.memberships.current().filter(role__isnull=False).select_related("client", "role")
        )
        return context

    def perform(self, form):
        client, role = form.cleaned_data["client"], form.cleaned_data["role"]
        services.set_role(self.group, client, role, by=self.request.user)
        if role is None:
            return _("%(client)s holds no role any more.") % {"client": client}
        return _("%(client)s is now %(role)s.") % {"client": client, "role": role}


class ClientGroupsView(ClientTabMixin, TemplateView):
    """The Groups tab of a client: current and past memberships of groups and centers."""

    permission_required = ("clients.view_client", "groups.view_group")
    template_name = "groups/client_groups.html"
    active_tab = "groups"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        memberships = self.client.group_memberships.select_related("group__parent", "role", "end_reason")
        # Current memberships first, then the most recent past ones.
        context["memberships"] = memberships.order_by(
            F("left_on").desc(nulls_first=True), "-joined_on", "-id"
        )
        return context
