from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupKind(models.TextChoices):
    """A center gathers groups of one branch; a group gathers clients."""

    CENTER = "center", _("Center")
    GROUP = "group", _("Group")


class GroupStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class MeetingDay(models.TextChoices):
    MONDAY = "monday", _("Monday")
    TUESDAY = "tuesday", _("Tuesday")
    WEDNESDAY = "wednesday", _("Wednesday")
    THURSDAY = "thursday", _("Thursday")
    FRIDAY = "friday", _("Friday")
    SATURDAY = "saturday", _("Saturday")
    SUNDAY = "sunday", _("Sunday")


class MeetingFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Every month")


class MembershipEnd(models.TextChoices):
    """Why a membership ended: a person's decision, a move, or a consequence of another action."""

    REMOVED = "removed", _("Removed from the group")
    MOVED = "moved", _("Moved to another group")
    TRANSFERRED = "transferred", _("Client transferred to another office")
    GROUP_CLOSED = "group_closed", _("Group closed")
    CLIENT_CLOSED = "client_closed", _("Client closed")
    CLIENT_REJECTED = "client_rejected", _("Client rejected")
    CLIENT_WITHDRAWN = "client_withdrawn", _("Client withdrew")


class GroupAction(models.TextChoices):
    """Every entry of a group's history, named as the activity log names events: app.model.what.

    Field values (name, meetings) are simple-history's; these are the actions, with their dates.
    """

    SUBMITTED = "groups.group.submitted", _("Submitted")
    ACTIVATED = "groups.group.activated", _("Activated")
    CLOSED = "groups.group.closed", _("Closed")
    OFFICER_ASSIGNED = "groups.group.officer_assigned", _("Credit officer assigned")
    MEMBER_JOINED = "groups.group.member_joined", _("Member joined")
    MEMBER_LEFT = "groups.group.member_left", _("Member left")
    MEMBER_MOVED = "groups.group.member_moved", _("Member moved to another group")
    ROLE_CHANGED = "groups.group.role_changed", _("Role changed")
