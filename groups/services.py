"""Every rule about groups, centers and their members, in one place.

Views, the admin, the demo loader and the transfer receiver call these functions and turn a
TransitionError into a message for the user. Like the client lifecycle, each action takes
keyword-only arguments: the effective date ``on`` and the acting user ``by``; permissions are
checked by the caller (``allowed_actions`` tells pages which buttons to show).
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit import record as record_event
from audit import without_history_event
from clients.choices import ClientStatus
from clients.lifecycle import Action, TransitionError, assign_officer, check_dates, since_arrival, user_name
from mifos.guards import refuse_changes
from mifos.versioning import check_version

from . import accounts
from .choices import GroupAction, GroupKind, GroupStatus, MembershipEnd
from .models import (
    Group,
    GroupClosureReason,
    GroupEvent,
    GroupRules,
    Membership,
    MembershipEndReason,
    officer_error,
)

ACTIONS = {
    action.name: action
    for action in (
        Action(
            "edit",
            gettext_lazy("Edit"),
            ("groups.change_group",),
            gettext_lazy("A closed group or center cannot be edited; this one is %(status)s."),
        ),
        Action(
            "activate",
            gettext_lazy("Activate"),
            ("groups.activate_group",),
            gettext_lazy("Only a pending group or center can be activated; this one is %(status)s."),
        ),
        Action(
            "close",
            gettext_lazy("Close"),
            ("groups.close_group",),
            gettext_lazy("This group or center is already %(status)s."),
            danger=True,
        ),
        Action(
            "assign_officer",
            gettext_lazy("Change credit officer"),
            ("groups.assign_officer_group",),
            gettext_lazy("The credit officer of a %(status)s group or center cannot change."),
        ),
        Action(
            "add_member",
            gettext_lazy("Add members"),
            ("groups.add_membership",),
            gettext_lazy("Clients cannot join a %(status)s group or center."),
        ),
        Action(
            "remove_member",
            gettext_lazy("Remove"),
            ("groups.change_membership",),
            gettext_lazy("Clients cannot leave a %(status)s group or center."),
            danger=True,
        ),
        Action(
            "move_member",
            gettext_lazy("Move"),
            ("groups.change_membership",),
            gettext_lazy("Clients cannot move out of a %(status)s group."),
        ),
        Action(
            "set_role",
            gettext_lazy("Roles"),
            ("groups.change_membership",),
            gettext_lazy("Roles cannot change in a %(status)s group or center."),
        ),
    )
}

# Clients in these statuses may join a group or be assigned to a center.
JOINING_STATUSES = (ClientStatus.PENDING, ClientStatus.ACTIVE)

_WORKING = {"edit", "close", "assign_officer", "add_member", "remove_member", "move_member", "set_role"}
# Which action each status allows. The single table the guards, the pages and the tests read.
ALLOWED_ACTIONS = {
    GroupStatus.PENDING: {*_WORKING, "activate"},
    GroupStatus.ACTIVE: _WORKING,
    GroupStatus.CLOSED: set(),
}


def status_word(obj):
    """A status as it reads in the middle of a sentence: "this one is active", not "is Active"."""
    return obj.get_status_display().lower()


def refusal(group, action):
    """Why the group's current state refuses ``action``, or None when it allows it."""
    if action not in ALLOWED_ACTIONS[group.status]:
        return ACTIONS[action].refusal % {"status": status_word(group)}
    if action == "move_member" and group.is_center:
        return _("Clients assigned to a center are removed from it, not moved.")
    return None


def check_status(group, action):
    message = refusal(group, action)
    if message:
        raise TransitionError(message)


def allowed_actions(group, user):
    """The names of the actions ``user`` may take on ``group`` now (status table x permissions)."""
    return {
        name
        for name, definition in ACTIONS.items()
        if refusal(group, name) is None and user.has_perms(definition.permissions)
    }


# --- Building blocks ---------------------------------------------------------------------------------


def _save(instance, by, *, recorded=False, **kwargs):
    """Save with the acting user named in the history row (also outside a request). ``recorded``: the
    caller writes the group's history entry, which is the activity log's event for the change."""
    instance._history_user = by
    if recorded:
        without_history_event(instance)
    instance.save(**kwargs)


def record(group, action, *, on, by, note="", **details):
    """Write one entry of the group's history; called inside the action's transaction.

    ``details`` are kept as text (names, not ids) so the entry still reads after the records change,
    and as codes rather than words of a language (``cause="removed"``): the entry is read in each
    reader's language (``GroupEvent.summary``, the activity log), not in that of the user who acted.
    A translated text is refused.
    """
    for key, value in details.items():
        if isinstance(value, Promise):
            raise TypeError(f"{key}: store a code, not a translated text ({value!r})")
    return GroupEvent.objects.create(
        group=group,
        action=action,
        effective_date=on,
        office_id=group.office_id,
        note=note,
        details={key: str(value) for key, value in details.items() if value is not None},
        created_by=by,
        created_by_name=user_name(by),
    )


def lock(group):
    """Lock the group's row for the rest of the transaction and reload its state.

    Two users adding the last free place of a group at once are served one after the other,
    so the second one sees the group full.
    """
    # The bare row first: locked through a join, a row just moved elsewhere would vanish from the
    # recheck PostgreSQL makes after the wait (see clients.lifecycle.lock).
    list(Group.objects.select_for_update().filter(pk=group.pk).values_list("pk", flat=True))
    group.refresh_from_db(from_queryset=Group.objects.select_related("office", "parent"))


def current_membership(group, client):
    membership = group.memberships.current().filter(client=client).first()
    if membership is None:
        raise TransitionError(
            _("%(client)s is not a current member of %(group)s.") % {"client": client, "group": group}
        )
    return membership


def _end(membership, *, on, cause, by, reason=None, note="", action=GroupAction.MEMBER_LEFT, **details):
    membership.left_on = on
    membership.end_cause = cause
    membership.end_reason = reason
    membership.end_note = note
    membership.ended_by = by
    membership.ended_by_name = user_name(by)
    _save(membership, by, recorded=True)
    record(
        membership.group,
        action,
        on=on,
        by=by,
        note=note,
        client=membership.client,
        cause=MembershipEnd(cause).value,
        reason=reason,
        **details,
    )


def _require_reason(reason, kind):
    """A reason from ``kind``'s list and still in use: forms offer only those, and the admin's actions
    and scripts that call the service directly must not record a retired one."""
    if not isinstance(reason, kind):
        raise TransitionError(_("Choose a reason."), field="reason")
    if not reason.is_active:
        raise TransitionError(
            _("The reason %(reason)s is no longer in use; choose another.") % {"reason": reason},
            field="reason",
        )


# --- Creating, activating, closing ---------------------------------------------------------------------


@transaction.atomic
def create(group, *, by):
    """Register a new group or center as Pending; the model's validation applies to every caller."""
    group.status = GroupStatus.PENDING
    group.created_by = by
    group.full_clean()
    _save(group, by)
    record(group, GroupAction.SUBMITTED, on=group.submitted_on, by=by, staff=group.staff)
    return group


# What an edit may not change, with the way it does change. The group form and the admin hide these
# fields; the service refuses them too, since the admin's history revert and importers bypass forms.
_NOT_BY_EDITING = {
    "kind": gettext_lazy("A group stays a group and a center a center."),
    "office": gettext_lazy("A group or center stays in the office it was created in."),
    "staff": gettext_lazy("The credit officer changes only through the action Change credit officer."),
    "status": gettext_lazy("The status changes only through the actions Activate and Close."),
    "activated_on": gettext_lazy("The activation date is set by the action Activate."),
    "closed_on": gettext_lazy("The closure date is set by the action Close."),
    "closure_reason": gettext_lazy("The closure reason is set by the action Close."),
    "closure_note": gettext_lazy("The closure note is set by the action Close."),
    "created_by": gettext_lazy("The user who created the group does not change."),
}


@transaction.atomic
def update(group, *, by):
    """Save changed details (name, center, meetings...) of a group that is not closed.

    Raises ValidationError, keyed by field, for a change of kind, office, officer or status: those
    go through their own actions.
    """
    refuse_changes(group, _NOT_BY_EDITING)
    check_version(group)
    check_status(group, "edit")
    group.full_clean()
    changes = edited_details(Group.objects.select_related("parent").get(pk=group.pk), group)
    if changes:
        # The event below, with what changed, stands for the bare one of the history row.
        without_history_event(group)
    _save(group, by)
    if changes:
        record_event(by, "groups.group.changed", obj=group, history_id=group.history.latest().pk, **changes)
    return group


# The details a group's edit changes, by the key its event records them under ("previous_<key>" for the
# value before). Not the field names: "name" is a file's name in the activity log's labels.
EDITED_DETAILS = {
    "name": "group_name",
    "parent": "center",
    "external_id": "external_id",
    "submitted_on": "submitted_on",
    "meeting_day": "meeting_day",
    "meeting_time": "meeting_time",
    "meeting_frequency": "meeting_frequency",
}


def _detail_value(group, field):
    """A field's value as an event keeps it: a name, an ISO date, a time, a code; "" for none."""
    value = getattr(group, field)
    if value is None:
        return ""
    if field == "meeting_time":
        return value.strftime("%H:%M")
    if field == "submitted_on":
        return value.isoformat()
    return str(value)


def edited_details(before, after):
    """What an edit changed, as the details of its event: each changed field's new and previous value."""
    details = {}
    for field, key in EDITED_DETAILS.items():
        old, new = _detail_value(before, field), _detail_value(after, field)
        if old != new:
            details[key] = new
            details[f"previous_{key}"] = old
    return details


@transaction.atomic
def activate(group, *, on, by):
    lock(group)
    check_status(group, "activate")
    bounds = [
        (group.submitted_on, _("the submission date")),
        (group.office.opening_date, _("the office's opening date")),
    ]
    if group.parent_id:
        if group.parent.status != GroupStatus.ACTIVE:
            raise TransitionError(_("Activate the center %(center)s first.") % {"center": group.parent})
        bounds.append((group.parent.activated_on, _("the center's activation date")))
    check_dates(on, *bounds)
    if not group.is_center:
        required = GroupRules.load().min_members
        active = group.memberships.on(on).filter(client__status=ClientStatus.ACTIVE).count()
        if active < required:
            raise TransitionError(
                ngettext(
                    "A group needs at least %(required)d active member to be activated; it has %(count)d.",
                    "A group needs at least %(required)d active members to be activated; it has %(count)d.",
                    required,
                )
                % {"required": required, "count": active}
            )
    group.status = GroupStatus.ACTIVE
    group.activated_on = on
    _save(group, by, recorded=True, update_fields=["status", "activated_on", "updated_at"])
    record(group, GroupAction.ACTIVATED, on=on, by=by)
    return group


@transaction.atomic
def close(group, *, on, reason, by, note=""):
    """Close a group without active members, or a center without open groups.

    Members who are not active clients (pending, closed) leave on the closure date, so no
    one is left in a closed group.
    """
    lock(group)
    check_status(group, "close")
    _require_reason(reason, GroupClosureReason)
    current = group.memberships.current().select_related("client")
    # Every member's joining and leaving, not only the current ones': the group cannot close before
    # a client joined or left it, nor before the records of its accounts.
    members = group.memberships.aggregate(joined=Max("joined_on"), left=Max("left_on"))
    check_dates(
        on,
        (group.activated_on or group.submitted_on, _("the last status change")),
        (members["joined"], _("the latest joining date")),
        (members["left"], _("the date a member last left")),
        accounts.latest_record(group),
        *(_groups_bounds(group) if group.is_center else ()),
    )
    if group.is_center:
        # A pending group would be stranded in a closed center, so it blocks closure as well.
        open_groups = group.groups.open().count()
        if open_groups:
            raise TransitionError(
                ngettext(
                    "The center still has %(count)d open group; close it first.",
                    "The center still has %(count)d open groups; close them first.",
                    open_groups,
                )
                % {"count": open_groups}
            )
    active = current.filter(client__status=ClientStatus.ACTIVE).count()
    if active:
        raise TransitionError(
            ngettext(
                "It still has %(count)d active member; remove or move them first.",
                "It still has %(count)d active members; remove or move them first.",
                active,
            )
            % {"count": active}
        )
    still_open = accounts.open_accounts(group)
    if still_open:
        raise TransitionError(
            _("Close these accounts first: %(accounts)s.") % {"accounts": ", ".join(map(str, still_open))}
        )
    for membership in current:
        _end(membership, on=on, cause=MembershipEnd.GROUP_CLOSED, by=by)
    group.status = GroupStatus.CLOSED
    group.closed_on = on
    group.closure_reason = reason
    group.closure_note = note
    _save(
        group,
        by,
        recorded=True,
        update_fields=["status", "closed_on", "closure_reason", "closure_note", "updated_at"],
    )
    record(group, GroupAction.CLOSED, on=on, by=by, note=note, reason=reason)
    return group


def _groups_bounds(center):
    """The latest closure of a center's groups, named: the center does not end before a group that met
    in it. Closures alone count, since a group still open keeps the center open anyway."""
    last = center.groups.filter(closed_on__isnull=False).order_by("-closed_on", "-pk").first()
    if last is None:
        return ()
    return ((last.closed_on, _("the closure of group %(group)s") % {"group": last}),)


@transaction.atomic
def change_officer(group, *, staff, on, by, move_members=False):
    """Give the group another credit officer; optionally hand its current members to them too.

    ``on`` is the date the members' new officer takes over; all or nothing. Members who are no
    longer pending or active clients (closed since they joined) keep their records as they are.
    """
    lock(group)
    check_status(group, "assign_officer")
    if staff is None:
        raise TransitionError(_("Choose a credit officer."), field="staff")
    error = officer_error(group.office, staff)
    if error:
        raise TransitionError(error, field="staff")
    check_dates(on)
    previous = group.staff
    group.staff = staff
    _save(group, by, recorded=True, update_fields=["staff", "updated_at"])
    record(group, GroupAction.OFFICER_ASSIGNED, on=on, by=by, staff=staff, previous_staff=previous)
    if move_members:
        members = (
            group.memberships.current()
            .filter(client__status__in=JOINING_STATUSES)
            .exclude(client__staff=staff)
            .select_related("client")
        )
        for membership in members:
            assign_officer(membership.client, staff=staff, on=on, by=by)
    return group


# --- Members -------------------------------------------------------------------------------------------


@transaction.atomic
def add_member(group, client, *, on, by):
    """Add a client to a group, or assign them directly to a center."""
    lock(group)
    check_status(group, "add_member")
    if client.status not in JOINING_STATUSES:
        raise TransitionError(
            _("Only pending or active clients can join; %(client)s is %(status)s.")
            % {"client": client, "status": status_word(client)}
        )
    if client.office_id != group.office_id:
        raise TransitionError(
            _("%(client)s is a client of %(client_office)s; %(group)s belongs to %(office)s.")
            % {"client": client, "client_office": client.office, "group": group, "office": group.office}
        )
    previous = group.memberships.filter(client=client)
    if previous.current().exists():
        raise TransitionError(
            _("%(client)s is already a member of %(group)s.") % {"client": client, "group": group}
        )
    check_dates(
        on,
        (group.submitted_on, _("the group's submission date")),
        (client.submitted_on, _("the client's submission date")),
        (previous.aggregate(latest=Max("left_on"))["latest"], _("the day the client last left this group")),
        since_arrival(client),
    )
    if not group.is_center:
        maximum = GroupRules.load().max_members
        if group.memberships.current().count() >= maximum:
            raise TransitionError(
                ngettext(
                    "The group is full: a group has at most %(max)d member.",
                    "The group is full: a group has at most %(max)d members.",
                    maximum,
                )
                % {"max": maximum}
            )
    membership = Membership(
        group=group, client=client, joined_on=on, created_by=by, created_by_name=user_name(by)
    )
    _save(membership, by, recorded=True)
    record(group, GroupAction.MEMBER_JOINED, on=on, by=by, client=client)
    return membership


@transaction.atomic
def add_members(group, clients, *, on, by):
    """Add several clients at once; all or nothing."""
    return [add_member(group, client, on=on, by=by) for client in clients]


def joining_candidates(group, clients):
    """Those of ``clients`` who could join ``group``: same office, pending or active, not yet members."""
    return clients.filter(office=group.office_id, status__in=JOINING_STATUSES).exclude(
        pk__in=group.memberships.current().values("client")
    )


@transaction.atomic
def remove_member(group, client, *, on, reason, by, note=""):
    lock(group)
    check_status(group, "remove_member")
    membership = current_membership(group, client)
    _require_reason(reason, MembershipEndReason)
    check_dates(on, (membership.joined_on, _("the joining date")))
    _end(membership, on=on, cause=MembershipEnd.REMOVED, reason=reason, note=note, by=by)
    return membership


@transaction.atomic
def move_member(client, *, from_group, to_group, on, by):
    """Move a member to another group of the same branch: they leave one and join the other on ``on``."""
    lock(from_group)
    check_status(from_group, "move_member")
    if to_group is None or to_group.kind != GroupKind.GROUP:
        raise TransitionError(_("Choose the group to move the client to."), field="to_group")
    if to_group.pk == from_group.pk:
        raise TransitionError(_("The client is already in this group."), field="to_group")
    if to_group.office_id != from_group.office_id:
        raise TransitionError(
            _("Clients move only between groups of the same branch; %(group)s belongs to %(office)s.")
            % {"group": to_group, "office": to_group.office},
            field="to_group",
        )
    membership = current_membership(from_group, client)
    if to_group.memberships.current().filter(client=client).exists():
        raise TransitionError(
            _("%(client)s is already a member of %(group)s.") % {"client": client, "group": to_group},
            field="to_group",
        )
    check_dates(on, (membership.joined_on, _("the joining date")))
    _end(
        membership,
        on=on,
        cause=MembershipEnd.MOVED,
        by=by,
        action=GroupAction.MEMBER_MOVED,
        to_group=to_group,
    )
    # Every joining rule (status, full group, dates) applies; a refusal undoes the leaving too.
    return add_member(to_group, client, on=on, by=by)


@transaction.atomic
def set_role(group, client, role, *, by):
    """Give ``client`` a role in the group (None takes it away); its previous holder gives it up."""
    lock(group)
    check_status(group, "set_role")
    try:
        membership = current_membership(group, client)
    except TransitionError:
        raise TransitionError(
            _("Only a current member can hold a role such as %(role)s.") % {"role": role or _("leader")},
            field="client",
        ) from None
    if role is not None and not role.is_active:
        # The role form offers the roles in use only; the service refuses the rest for every caller.
        raise TransitionError(
            _("The role %(role)s is no longer in use; choose another.") % {"role": role}, field="role"
        )
    if role is not None:
        holders = group.memberships.current().filter(role=role).exclude(pk=membership.pk)
        for holder in holders.select_related("client"):
            holder.role = None
            _save(holder, by, recorded=True, update_fields=["role"])
            # The role's loss is an entry of its own: the holder's name is on no other.
            record(
                group, GroupAction.ROLE_CHANGED, on=timezone.localdate(), by=by, client=holder.client, role=""
            )
    membership.role = role
    _save(membership, by, recorded=True, update_fields=["role"])
    # A role has no effective date of its own: it holds from the day it is given.
    # No role is kept as "" and worded when read.
    record(group, GroupAction.ROLE_CHANGED, on=timezone.localdate(), by=by, client=client, role=role or "")
    return membership


@transaction.atomic
def leave_all(client, *, on, cause, by, note=""):
    """End every current membership of a client (when they leave the office or the institution);
    returns how many.

    The client's closure, rejection, withdrawal or transfer is never dated before a joining date
    (``membership_bounds``); a membership joined later all the same (recorded before that rule) ends
    the day it began rather than before it.
    """
    memberships = list(Membership.objects.current().filter(client=client).select_for_update())
    for membership in memberships:
        _end(membership, on=max(on, membership.joined_on), cause=cause, by=by, note=note)
    return len(memberships)


def membership_bounds(client):
    """The dates a client's leaving cannot precede: the last time it joined a group or center, and
    the last time it left one. Given to the client lifecycle through ``clients.extensions``."""
    memberships = Membership.objects.filter(client=client).select_related("group")
    bounds = []
    joined = memberships.order_by("-joined_on", "-pk").first()
    if joined is not None:
        bounds.append((joined.joined_on, _("the date the client joined %(group)s") % {"group": joined.group}))
    left = memberships.filter(left_on__isnull=False).order_by("-left_on", "-pk").first()
    if left is not None:
        bounds.append((left.left_on, _("the date the client left %(group)s") % {"group": left.group}))
    return bounds
