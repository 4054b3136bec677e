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
