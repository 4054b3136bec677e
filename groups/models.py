from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Client, LookupItem
from mifos.singleton import SingletonModel
from offices.models import Office, Staff
from offices.scoping import OfficeScopedQuerySet

from .choices import GroupAction, GroupKind, GroupStatus, MeetingDay, MeetingFrequency, MembershipEnd

# --- Lists and rules that head office edits in admin -------------------------------------------------


class GroupClosureReason(LookupItem):
    """A reason a user picks when closing a group or a center."""

    class Meta(LookupItem.Meta):
        verbose_name = _("group closure reason")
        verbose_name_plural = _("group closure reasons")


class MembershipEndReason(LookupItem):
    """A reason a user picks when removing a client from a group or a center."""

    class Meta(LookupItem.Meta):
        verbose_name = _("reason for leaving a group")
        verbose_name_plural = _("reasons for leaving a group")


class GroupRole(LookupItem):
    """A role a member holds in their group (leader, secretary, treasurer); one holder at a time."""

    class Meta(LookupItem.Meta):
        verbose_name = _("group role")
        verbose_name_plural = _("group roles")


class GroupRules(SingletonModel):
    """The institution's rules for groups, edited by head office in admin. There is one row."""

    min_members = models.PositiveSmallIntegerField(
        _("minimum members of a group"),
        default=3,
        help_text=_("A group needs at least this many active members to be activated."),
    )
    max_members = models.PositiveSmallIntegerField(
        _("maximum members of a group"), default=30, help_text=_("No client may join a group that is full.")
    )

    class Meta:
        verbose_name = _("group rules")
        verbose_name_plural = _("group rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_members__lte=models.F("max_members")),
                name="groups_rules_min_members_not_above_max",
                violation_error_message=_("The minimum number of members cannot be above the maximum."),
            ),
            models.CheckConstraint(
                condition=models.Q(max_members__gte=1),
                name="groups_rules_max_members_at_least_one",
                violation_error_message=_("A group must be allowed at least one member."),
            ),
        ]

    def __str__(self):
        return str(_("Group rules"))


# --- Groups and centers --------------------------------------------------------------------------------


def officer_error(office, staff):
    """Why ``staff`` may not look after a group of ``office``, or None when they may."""
    if staff is not None and not Staff.objects.serving(office).filter(pk=staff.pk).exists():
        return _("%(staff)s is not an active credit officer of %(office)s or an office above it.") % {
            "staff": staff,
            "office": office,
        }
    return None


class GroupQuerySet(OfficeScopedQuerySet):
    def centers(self):
        return self.filter(kind=GroupKind.CENTER)

    def groups(self):
        return self.filter(kind=GroupKind.GROUP)

    def active(self):
        return self.filter(status=GroupStatus.ACTIVE)

    def open(self):
        """Pending or active: a group or center that can still take members."""
        return self.exclude(status=GroupStatus.CLOSED)

    def centers_for(self, group):
        """The centers ``group`` may belong to, as ``Group.clean`` has it: open ones, and for an active
        group active ones only, so that a choice list offers nothing the save would refuse."""
        centers = self.centers().open()
        return centers.active() if group.status == GroupStatus.ACTIVE else centers

    def with_member_count(self):
        return self.annotate(
            member_count=models.Count("memberships", filter=models.Q(memberships__left_on__isnull=True))
        )


DUPLICATE_NAME = _("This office already has a group or center of this kind with this name.")


class Group(models.Model):
    """A group of clients (a solidarity group) or a center that gathers groups of one branch.

    Like Fineract, both live in one table: ``kind`` tells them apart and a group may
    belong to a center through ``parent``. Status changes and memberships are made only
    by ``groups.services``.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=GroupKind.choices, default=GroupKind.GROUP)
    name = models.CharField(_("name"), max_length=100)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="groups"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="groups",
        help_text=_("The center this group meets in, if any."),
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("credit officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="groups",
    )
    external_id = models.CharField(_("external id"), max_length=100, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.PENDING, editable=False
    )
    submitted_on = models.DateField(_("submitted on"), default=timezone.localdate)
    activated_on = models.DateField(_("activated on"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    closure_reason = models.ForeignKey(
        GroupClosureReason,
        verbose_name=_("closure reason"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closure_note = models.TextField(_("closure note"), blank=True, editable=False)
    meeting_day = models.CharField(_("meeting day"), max_length=10, choices=MeetingDay.choices, blank=True)
    meeting_time = models.TimeField(_("meeting time"), null=True, blank=True)
    meeting_frequency = models.CharField(
        _("meeting frequency"), max_length=15, choices=MeetingFrequency.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    history = HistoricalRecords()
    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("group or center")
        verbose_name_plural = _("groups and centers")
        ordering = ["name", "id"]
        constraints = [
            # "Umoja" and "umoja " are one name: compared in lower case (names are saved stripped).
            models.UniqueConstraint(
                "office",
                "kind",
                Lower("name"),
                name="groups_group_unique_name_in_office",
                violation_error_message=DUPLICATE_NAME,
            ),
            models.CheckConstraint(
                condition=models.Q(kind=GroupKind.GROUP) | models.Q(parent__isnull=True),
                name="groups_center_has_no_parent",
                violation_error_message=_("A center cannot belong to another center."),
            ),
            models.CheckConstraint(
                condition=models.Q(activated_on__isnull=True)
                | models.Q(activated_on__gte=models.F("submitted_on")),
                name="groups_activated_after_submission",
                violation_error_message=_("A group cannot be activated before it was submitted."),
            ),
        ]
        indexes = [
            models.Index(fields=["office", "kind", "status"]),
            models.Index(fields=["staff", "status"]),
        ]
        permissions = [
            ("activate_group", _("Can activate a group or center")),
            ("close_group", _("Can close a group or center")),
            ("assign_officer_group", _("Can change a group's credit officer")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:group_detail", args=[self.pk])

    @property
    def is_center(self):
        return self.kind == GroupKind.CENTER

    @property
    def is_open(self):
        """Pending or active, as ``GroupQuerySet.open`` has it."""
        return self.status != GroupStatus.CLOSED

    def save(self, *args, **kwargs):
        # Every way in (pages, admin, demo, scripts) saves the name as a person reads it.
        self.name = (self.name or "").strip()
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude=None):
        # The name's uniqueness is checked by clean(), next to the name, even where a form leaves the
        # office or kind out (admin's change form); the database constraint stays the backstop.
        super().validate_constraints(exclude={*(exclude or ()), "name"})

    def clean(self):
        super().clean()
        self.name = (self.name or "").strip()
        if self.external_id == "":
            self.external_id = None
        errors = {}
        if self.name and self.office_id and self.kind:
            namesakes = Group.objects.filter(office_id=self.office_id, kind=self.kind, name__iexact=self.name)
            if namesakes.exclude(pk=self.pk).exists():
                errors["name"] = DUPLICATE_NAME
        if (self.meeting_day or self.meeting_time) and not self.meeting_frequency:
            errors["meeting_frequency"] = _(
                "Choose how often the meetings are held, or leave the meeting day and time empty."
            )
        if (self.meeting_frequency or self.meeting_time) and not self.meeting_day:
            errors["meeting_day"] = _("Choose the meeting day, or leave the frequency and time empty.")
        if self.parent_id:
            if self.kind == GroupKind.CENTER:
                errors["parent"] = _("A center cannot belong to another center.")
            elif self.parent.kind != GroupKind.CENTER:
                errors["parent"] = _("Choose a center.")
            elif self.office_id and self.parent.office_id != self.office_id:
                errors["parent"] = _(
                    "The center belongs to %(office)s; a group must be in its center's office."
                ) % {"office": self.parent.office}
            elif self.parent.status == GroupStatus.CLOSED:
                errors["parent"] = _("This center is closed.")
            elif self.status == GroupStatus.ACTIVE and self.parent.status != GroupStatus.ACTIVE:
                # Activation waits for the center (services.activate); an edit may not undo that order.
                errors["parent"] = _(
                    "The center %(center)s is still pending: activate it before an active group joins it."
                ) % {"center": self.parent}
            elif (
                self.activated_on
                and self.parent.activated_on
                and self.parent.activated_on > self.activated_on
            ):
                errors["parent"] = _(
                    "The center %(center)s was activated on %(date)s, after this group (%(activated)s)."
                ) % {
                    "center": self.parent,
                    "date": formats.date_format(self.parent.activated_on, "SHORT_DATE_FORMAT"),
                    "activated": formats.date_format(self.activated_on, "SHORT_DATE_FORMAT"),
                }
        if self._state.adding and self.office_id:
            # Later changes of officer go through services.change_officer, which checks the same.
            error = officer_error(self.office, self.staff)
            if error:
                errors["staff"] = error
        if self.submitted_on:
            if self.submitted_on > timezone.localdate():
                errors["submitted_on"] = _("The date cannot be in the future.")
            elif self.office_id and self.submitted_on < self.office.opening_date:
                errors["submitted_on"] = _("The date cannot be before the office opened (%(date)s).") % {
                    "date": formats.date_format(self.office.opening_date, "SHORT_DATE_FORMAT")
                }
            elif self.activated_on and self.submitted_on > self.activated_on:
                errors["submitted_on"] = _("The date cannot be after the activation date (%(date)s).") % {
                    "date": formats.date_format(self.activated_on, "SHORT_DATE_FORMAT")
                }
            elif member := self._first_joined_before(self.submitted_on):
                # Members join a group once it is submitted (services.add_member); an edit keeps that.
                errors["submitted_on"] = _("The date cannot be after %(client)s joined (%(date)s).") % {
                    "client": member.client,
                    "date": formats.date_format(member.joined_on, "SHORT_DATE_FORMAT"),
                }
        if errors:
            raise ValidationError(errors)

    def _first_joined_before(self, day):
        """The first membership of the group that began before ``day``, or None."""
        if self._state.adding:
            return None
        earlier = self.memberships.filter(joined_on__lt=day).select_related("client")
        return earlier.order_by("joined_on", "pk").first()


# --- Memberships -------------------------------------------------------------------------------------


class MembershipQuerySet(OfficeScopedQuerySet):
    office_field = "group__office"

    def current(self):
        return self.filter(left_on__isnull=True)

    def on(self, date):
        """Memberships that held on ``date``: joined by then, not yet left (left_on is the first day out)."""
        return self.filter(models.Q(left_on__isnull=True) | models.Q(left_on__gt=date), joined_on__lte=date)

    def in_group_or_center(self, group):
        """Memberships of ``group``; for a center, also those of every group it gathers."""
        if group.is_center:
            return self.filter(models.Q(group=group) | models.Q(group__parent=group))
        return self.filter(group=group)


class Membership(models.Model):
    """A client's membership of a group (or direct assignment to a center) from ``joined_on`` to ``left_on``.

    Rows are never deleted: leaving sets ``left_on``, so the members on any past date
    can be listed. ``left_on`` is the first day the client is no longer a member.
    """

    group = models.ForeignKey(
        Group, verbose_name=_("group or center"), on_delete=models.PROTECT, related_name="memberships"
    )
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="group_memberships"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    role = models.ForeignKey(
        GroupRole, verbose_name=_("role"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_cause = models.CharField(_("how it ended"), max_length=20, choices=MembershipEnd.choices, blank=True)
    end_reason = models.ForeignKey(
        MembershipEndReason,
        verbose_name=_("reason for leaving"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    end_note = models.TextField(_("note on leaving"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Names kept as text so the record still names the user after the account is deleted.
    created_by_name = models.CharField(_("added by"), max_length=150, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_by_name = models.CharField(_("ended by"), max_length=150, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "client"],
                condition=models.Q(left_on__isnull=True),
                name="groups_one_open_membership_per_group",
                violation_error_message=_("This client is already a member."),
            ),
            models.UniqueConstraint(
                fields=["group", "role"],
                condition=models.Q(left_on__isnull=True, role__isnull=False),
                name="groups_one_current_holder_per_role",
                violation_error_message=_("Another member already holds this role."),
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("joined_on")),
                name="groups_membership_ends_after_start",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["group", "left_on"]),
            models.Index(fields=["client", "left_on"]),
        ]

    def __str__(self):
        return f"{self.client} – {self.group}"

    @property
    def is_current(self):
        return self.left_on is None


# --- History (written only by groups.services) ---------------------------------------------------------


class GroupEventQuerySet(OfficeScopedQuerySet):
    office_field = "group__office"


class GroupEvent(models.Model):
    """One entry of a group's or center's history: what was done, when it takes effect, who did it and why.

    Kept plain (names as text, extra facts in ``details``) so the activity log can mirror it as it is.
    """

    group = models.ForeignKey(
        Group, verbose_name=_("group or center"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=50, choices=GroupAction.choices)
    effective_date = models.DateField(_("effective date"))
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The group's office when it happened."),
    )
    note = models.TextField(_("note"), blank=True)
    # What the action concerned, as text that outlives the records: client, officer, reason, role.
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text so the history still names the user after the account is deleted.
    created_by_name = models.CharField(_("by"), max_length=150, blank=True)

    objects = GroupEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("group event")
        verbose_name_plural = _("group history")
        ordering = ["-effective_date", "-created_at", "-id"]
        indexes = [models.Index(fields=["group", "effective_date"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.effective_date}"

    @property
    def summary(self):
        """The details a person reads beside the action: who joined, which officer, why.

        Coded details are worded in the reader's language: why a membership ended (``cause``, when
        no reason was chosen) and a role taken away (``role`` ""). Entries written before were kept
        in their author's words, and are shown as they are.
        """
        details = dict(self.details)
        if not details.get("reason") and details.get("cause") in MembershipEnd.values:
            details["reason"] = MembershipEnd(details["cause"]).label
        if details.get("role") == "":
            details["role"] = _("no role")
        parts = [details.get(key) for key in ("client", "staff", "role", "to_group", "reason")]
        return " · ".join(str(part) for part in parts if part)
