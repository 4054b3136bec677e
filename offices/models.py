from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Coalesce, Concat, Lower, Substr
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .roles import ROLE_LABELS
from .scoping import OfficeScopedQuerySet, user_office, visible_office_ids

PATH_SEPARATOR = "/"

DUPLICATE_OFFICE_NAME = _("Another office already has this name.")
DUPLICATE_OFFICE_CODE = _("Another office already has this code.")
SECOND_HEAD_OFFICE = _("There is already a head office; choose a parent office.")


class OfficeQuerySet(models.QuerySet):
    def visible_to(self, user):
        office_ids = visible_office_ids(user)
        return self.all() if office_ids is None else self.filter(pk__in=office_ids)

    def in_tree_of(self, office):
        """The office itself and every office below it."""
        return self.filter(path__startswith=office.path)

    def above(self, office):
        """The office itself and every office above it, up to the head office."""
        ids = [int(part) for part in office.path.split(PATH_SEPARATOR) if part]
        return self.filter(pk__in=ids)


class Office(models.Model):
    """An Office is the head office, a region or a branch of the institution; offices form a tree.

    ``path`` stores the ids from the root down (``/1/4/9/``), so "this office and
    every office below it" is one indexed prefix query.
    """

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("code"),
        max_length=10,
        help_text=_("Short code used in client numbers, for example BR01."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    opening_date = models.DateField(_("opening date"))
    external_id = models.CharField(_("external id"), max_length=100, unique=True, null=True, blank=True)
    path = models.CharField(_("hierarchy path"), max_length=255, db_index=True, editable=False)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["path"]
        constraints = [
            # One office without a parent: its users see every office. A unique index on the parent
            # itself would never refuse, NULLs being distinct; one on a value that every office without
            # a parent shares does, on PostgreSQL and SQLite alike.
            models.UniqueConstraint(
                Coalesce("parent", models.Value(0)),
                condition=models.Q(parent__isnull=True),
                name="offices_office_single_head_office",
                violation_error_message=SECOND_HEAD_OFFICE,
            ),
            # "BR01" and "br01 " are one code, "Riverside Branch" and "riverside branch" one name:
            # compared in lower case (both are saved stripped).
            models.UniqueConstraint(
                Lower("name"),
                name="offices_office_unique_name",
                violation_error_message=DUPLICATE_OFFICE_NAME,
            ),
            models.UniqueConstraint(
                Lower("code"),
                name="offices_office_unique_code",
                violation_error_message=DUPLICATE_OFFICE_CODE,
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:offices_office_change", args=[self.pk])

    @property
    def is_head_office(self):
        return self.parent_id is None

    @property
    def depth(self):
        return self.path.count(PATH_SEPARATOR) - 2

    def is_within(self, other):
        """True when this office is ``other`` or below it."""
        return self.path.startswith(other.path)

    def strip(self):
        self.name = (self.name or "").strip()
        self.code = (self.code or "").strip()

    def clean(self):
        super().clean()
        self.strip()
        if self.external_id == "":
            self.external_id = None
        errors = {}
        others = Office.objects.exclude(pk=self.pk) if self.pk else Office.objects.all()
        if self.name and (namesake := others.filter(name__iexact=self.name).first()):
            errors["name"] = _("Another office is already called %(name)s.") % {"name": namesake.name}
        if self.code and (namesake := others.filter(code__iexact=self.code).first()):
            errors["code"] = _("%(office)s already has the code %(code)s.") % {
                "office": namesake,
                "code": namesake.code,
            }
        if self.parent_id is None and others.filter(parent=None).exists():
            # A new office, or a branch losing its parent: either would be a second head office.
            errors["parent"] = SECOND_HEAD_OFFICE
        elif self.parent_id and self.pk:
            if self.parent_id == self.pk or (self.parent.path or "").startswith(self.path or "\0"):
                errors["parent"] = _("An office cannot be placed below itself.")
            elif officers_left := self.move_errors():
                errors["parent"] = officers_left
        if self.parent_id and self.opening_date and self.parent.opening_date > self.opening_date:
            errors["opening_date"] = _("An office cannot open before its parent office (%(date)s).") % {
                "date": formats.date_format(self.parent.opening_date, "SHORT_DATE_FORMAT")
            }
        if self.opening_date and self.opening_date > timezone.localdate():
            errors["opening_date"] = _("The opening date cannot be in the future.")
        if errors:
            raise ValidationError(errors)

    def new_path(self):
        """Where this office sits once saved, by its parent as it stands."""
        parent_path = self.parent.path if self.parent_id else PATH_SEPARATOR
        return f"{parent_path}{self.pk}{PATH_SEPARATOR}"

    def move_errors(self):
        """Why this office may not move below its new parent now, as messages (none when it may).

        A credit officer serves clients and groups of their office and of the offices below it. Those
        of this office's tree served from an office above it that the move leaves behind would keep an
        officer who may no longer serve them: they are handed over first, as when an officer moves
        (``Staff.move_errors``, whose messages these are).
        """
        if self.pk is None or not self.path or self.new_path() == self.path:
            return []
        tree = models.Q(office__path__startswith=self.path)
        still_above = Office.objects.above(self.parent) if self.parent_id else Office.objects.none()
        officers = (
            Staff.objects.serving_any(tree)
            .exclude(office__path__startswith=self.path)
            .exclude(office__in=still_above)
            .select_related("office")
            .distinct()
        )
        return [error for officer in officers for error in officer.served_errors(tree, officer.office)]

    @transaction.atomic
    def save(self, *args, **kwargs):
        """A move that would leave clients or groups with an officer who may not serve them is refused
        here too, whatever path saves (admin calls ``clean`` first and shows it next to the parent)."""
        self.strip()  # whatever path saves, as the constraints compare them
        if errors := self.move_errors():
            raise ValidationError({"parent": errors})
        old_path = self.path
        super().save(*args, **kwargs)  # a new office needs its id before it has a path
        self.path = self.new_path()
        if self.path == old_path:
            return
        Office.objects.filter(pk=self.pk).update(path=self.path)
        if old_path:
            # The office moved: every office below it moves with it.
            Office.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(models.Value(self.path), Substr("path", len(old_path) + 1))
            )


class User(AbstractUser):
    """A person who signs in. Every user works in one office, which bounds what they see."""

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="users",
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of the pages for this user; empty follows the browser."),
    )
    # Django's groups, named for what they are here: "groups" are the clients' groups and centers.
    groups = models.ManyToManyField(
        Group,
        verbose_name=_("roles"),
        blank=True,
        help_text=_("The user holds every permission of each of their roles, in the offices they see."),
        related_name="user_set",
        related_query_name="user",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        """The system user is named in the reader's language ("the system", as the activity log and the
        history name what no one did), whatever its stored first name; anyone else as they wrote it.
        A name copied beside a foreign key (``mifos.actions.user_name``) is in the language it was
        written in: a command's, the institution's, as an event's description is."""
        if self.username == SYSTEM_USERNAME:
            return str(_("the system"))
        return super().get_full_name()

    def end_sessions(self):
        """Sign this user out of every browser, on every server (a lost laptop, a shared password);
        the number of sessions ended."""
        return Session.objects.filter(user=self).delete()[0]

    def active_sessions(self):
        return Session.objects.filter(user=self, expire_date__gt=timezone.now()).count()


class Role(Group):
    """A role: a Django group of permissions, by the name head office knows it by. Django's own name
    would put "Groups" in admin beside the clients' groups and centers.

    The roles the migrations create read in the user's language (``offices.roles.ROLE_LABELS``); a
    role head office adds reads as they wrote it.
    """

    class Meta:
        proxy = True
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return str(ROLE_LABELS.get(self.name, self.name))


class Session(AbstractBaseSession):
    """A signed-in browser's session, with the id of its user beside the signed data.

    The id lets a page read its session and its user in one query (offices/sessions.py), and lets
    admin find and end a user's sessions; a deleted user's sessions go with them.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), null=True, on_delete=models.CASCADE, related_name="sessions"
    )

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore


class StaffQuerySet(OfficeScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def credit_officers(self):
        return self.filter(is_credit_officer=True, is_active=True)

    def serving(self, office):
        """Active credit officers who may look after clients of ``office``: its own or above it."""
        return self.credit_officers().filter(office__in=Office.objects.above(office))

    def serving_any(self, where):
        """Staff who look after, or looked after, a client or group matching ``where``."""
        served = models.Q()
        for name in ("clients", "groups"):
            # The reverse relations of clients.Client.staff and groups.Group.staff: offices imports
            # neither app.
            relation = self.model._meta.get_field(name)
            served |= models.Q(
                pk__in=relation.related_model._base_manager.filter(where).values(relation.field.name)
            )
        return self.filter(served)

    def available_to(self, user):
        """Active credit officers ``user`` may give a client or group: those of the offices the user
        sees, and of the offices above the user's own (who may serve its clients too)."""
        offices = Office.objects.visible_to(user)
        office = user_office(user)
        if office is not None:
            offices = offices | Office.objects.above(office)
        return self.credit_officers().filter(office__in=offices)


class Staff(models.Model):
    """A member of staff of an office; credit officers look after clients and groups."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="staff"
    )
    is_credit_officer = models.BooleanField(_("credit officer"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    joining_date = models.DateField(_("joining date"), null=True, blank=True)
    external_id = models.CharField(_("external id"), max_length=100, unique=True, null=True, blank=True)
    user = models.OneToOneField(
        User,
        verbose_name=_("sign-in user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )

    objects = StaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["office", "is_credit_officer", "is_active"])]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @classmethod
    def from_db(cls, db, field_names, values):
        staff = super().from_db(db, field_names, values)
        staff._saved_office_id = staff.__dict__.get("office_id")  # to tell a move (see move_errors)
        return staff

    def clean(self):
        super().clean()
        if self.external_id == "":
            self.external_id = None
        if self.user_id and self.office_id and self.user.office_id != self.office_id:
            raise ValidationError(
                {"user": _("This user works in another office (%(office)s).") % {"office": self.user.office}}
            )
        if self.joining_date and self.joining_date > timezone.localdate():
            raise ValidationError({"joining_date": _("The joining date cannot be in the future.")})
        if errors := self.move_errors():
            raise ValidationError({"office": errors})

    def save(self, *args, **kwargs):
        """A move that would leave clients or groups with an officer who may not serve them is refused
        here too, whatever path saves (admin calls ``clean`` first and shows it next to the office)."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "office" in update_fields or "office_id" in update_fields:
            if errors := self.move_errors():
                raise ValidationError({"office": errors})
        super().save(*args, **kwargs)
        self._saved_office_id = self.office_id

    def move_errors(self):
        """Why this staff member may not move to ``office`` now, as messages (none when they may).

        A credit officer serves clients and groups of their office and of the offices below it. One
        who still looks after pending or active clients, or open groups, outside the new office's
        tree would be left serving them from an office that may not, and out of sight of the office
        that must hand them over: those are reassigned first (clients on the page Reassign officers,
        a group with its action Change credit officer).
        """
        saved = getattr(self, "_saved_office_id", None)
        if self.pk is None or saved is None or not self.office_id or self.office_id == saved:
            return []
        return self.served_errors(~models.Q(office__path__startswith=self.office.path), self.office)

    def served_errors(self, where, office):
        """What this officer must hand over before ``office`` stops covering the clients and groups
        they serve that match ``where``, as messages (none when nothing is left to hand over)."""
        # The reverse relations of clients.Client.staff and groups.Group.staff, read through their
        # own vocabulary: offices imports neither app.
        clients = (self.clients.pending() | self.clients.active()).filter(where)
        groups = self.groups.open().filter(where)
        errors = []
        for served, message in (
            (clients, self._clients_left_message),
            (groups, self._groups_left_message),
        ):
            count = served.count()
            if count:
                names = served.order_by("office__name").values_list("office__name", flat=True).distinct()
                errors.append(message(count, ", ".join(names), office))
        return errors

    def _clients_left_message(self, count, offices, office):
        return ngettext(
            "%(staff)s still looks after %(count)d client of %(offices)s, which %(office)s does not cover: "
            "hand it to another credit officer first, on the page Reassign officers.",
            "%(staff)s still looks after %(count)d clients of %(offices)s, which %(office)s does not cover: "
            "hand them to another credit officer first, on the page Reassign officers.",
            count,
        ) % {"staff": self, "count": count, "offices": offices, "office": office}

    def _groups_left_message(self, count, offices, office):
        return ngettext(
            "%(staff)s still looks after %(count)d group or center of %(offices)s, which %(office)s does not "
            "cover: give it another credit officer first (Change credit officer, on its page).",
            "%(staff)s still looks after %(count)d groups or centers of %(offices)s, which %(office)s does "
            "not cover: give each another credit officer first (Change credit officer, on its page).",
            count,
        ) % {"staff": self, "count": count, "offices": offices, "office": office}


SYSTEM_USERNAME = "system"


def get_system_user():
    """The user that commands and data loads act as, so history always names someone. Its stored
    first name is never shown: pages name it in their own language (``User.get_full_name``)."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "first_name": "System",
            "is_active": False,
            "office": Office.objects.filter(parent=None).first(),
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
