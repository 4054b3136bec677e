import functools
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mifos.lookups import LookupItem, LookupQuerySet  # noqa: F401 (re-exported for other apps' imports)
from mifos.singleton import SingletonModel
from mifos.today import today
from offices.models import Office, Staff
from offices.scoping import OfficeScopedQuerySet, office_tree_ids, visible_office_ids

from .choices import (
    ClientAction,
    ClientStatus,
    DateFormat,
    Gender,
    ImportStatus,
    LegalForm,
    MaritalStatus,
    ReasonKind,
)
from .normalize import fold, normalize_id_number, normalize_phone

# --- Lookup lists that head office edits in admin -------------------------------------------------


class IdentificationType(LookupItem):
    """A kind of identity document, with the format its numbers must follow."""

    format_regex = models.CharField(
        _("number format"),
        max_length=200,
        blank=True,
        help_text=_("A regular expression the normalised number must match, for example ^[0-9]{8}[A-Z]$."),
    )
    format_example = models.CharField(
        _("format described"), max_length=100, blank=True, help_text=_("For example: 8 digits and a letter.")
    )
    is_unique = models.BooleanField(
        _("unique"), default=True, help_text=_("No two clients may hold the same number of this type.")
    )
    is_required = models.BooleanField(
        _("required"), default=False, help_text=_("Every individual client must hold one of this type.")
    )

    class Meta(LookupItem.Meta):
        verbose_name = _("identification type")
        verbose_name_plural = _("identification types")

    def accepts(self, number):
        """True when ``number`` follows this type's format as typed, or in its normal form.

        A format may describe the printed number (``^[0-9]{3}-[0-9]{4}$``) or the normal form that
        search compares (``^[0-9]{8}[A-Z]$``, whatever separators were typed): either is honoured.
        """
        if not self.format_regex:
            return True
        return any(
            re.fullmatch(self.format_regex, form) for form in (number.strip(), normalize_id_number(number))
        )

    def clean(self):
        super().clean()
        if self.format_regex:
            try:
                re.compile(self.format_regex)
            except re.error as exc:
                raise ValidationError(
                    {"format_regex": _("Not a valid regular expression: %s") % exc}
                ) from None


class RelationshipType(LookupItem):
    class Meta(LookupItem.Meta):
        verbose_name = _("relationship type")
        verbose_name_plural = _("relationship types")


class Occupation(LookupItem):
    class Meta(LookupItem.Meta):
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")


class EducationLevel(LookupItem):
    class Meta(LookupItem.Meta):
        verbose_name = _("education level")
        verbose_name_plural = _("education levels")


class LegalStructure(LookupItem):
    class Meta(LookupItem.Meta):
        verbose_name = _("legal structure")
        verbose_name_plural = _("legal structures")


class BusinessLine(LookupItem):
    class Meta(LookupItem.Meta):
        verbose_name = _("business line")
        verbose_name_plural = _("business lines")


class ClientActionReason(models.Model):
    """A reason a user picks when rejecting, withdrawing or closing a client."""

    kind = models.CharField(_("used for"), max_length=20, choices=ReasonKind.choices)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = LookupQuerySet.as_manager()

    class Meta:
        verbose_name = _("reason")
        verbose_name_plural = _("reasons for rejection, withdrawal and closure")
        ordering = ["kind", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name"],
                name="clients_reason_unique_name_per_kind",
                violation_error_message=_("This reason already exists for that action."),
            )
        ]

    def __str__(self):
        return self.name


# --- Institution rules -----------------------------------------------------------------------------


class ClientRules(SingletonModel):
    """The institution's rules for clients, edited by head office in admin. There is one row."""

    min_age = models.PositiveSmallIntegerField(_("minimum age of an individual client"), default=18)
    max_age = models.PositiveSmallIntegerField(_("maximum age of an individual client"), default=100)
    client_number_format = models.CharField(
        _("client number format"),
        max_length=50,
        default="{office}-{seq}",
        help_text=_("{office} is the office code, {seq} the office's next number, padded with zeros."),
    )
    client_number_digits = models.PositiveSmallIntegerField(_("digits of the sequence"), default=6)
    four_eyes_activation = models.BooleanField(
        _("four-eyes approval"),
        default=True,  # on in a new installation; head office may turn it off
        help_text=_("The user who created a client may not activate it."),
    )
    require_identifications_to_activate = models.BooleanField(
        _("required identifications before activation"),
        default=False,
        help_text=_("A client must hold an active identification of every required type to be activated."),
    )
    date_format = models.CharField(
        _("date format of imported files"),
        max_length=20,
        choices=DateFormat.choices,
        default=DateFormat.DAY_MONTH_YEAR,
        help_text=_("Dates in client files may be written this way, or as 2024-01-31."),
    )

    class Meta:
        verbose_name = _("client rules")
        verbose_name_plural = _("client rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_age__lte=models.F("max_age")),
                name="clients_rules_min_age_not_above_max",
                violation_error_message=_("The minimum age cannot be above the maximum age."),
            )
        ]

    def __str__(self):
        return str(_("Client rules"))

    def clean(self):
        super().clean()
        if "{seq}" not in self.client_number_format:
            raise ValidationError({"client_number_format": _("The format must contain {seq}.")})
        if "{office}" not in self.client_number_format:
            # Each office counts its own clients from 1: without the office code two offices would
            # hand out the same number.
            raise ValidationError(
                {
                    "client_number_format": _(
                        "The format must contain {office}: each office numbers its own clients, "
                        "so without the office code two offices would give out the same number."
                    )
                }
            )
        try:
            self.client_number_format.format(office="X", seq="1")
        except (KeyError, IndexError, ValueError):
            raise ValidationError(
                {"client_number_format": _("Only {office} and {seq} may appear in braces.")}
            ) from None
        self.check_number_length()

    def check_number_length(self):
        """Refuse digits and a format whose numbers, in an office with the longest code allowed, would
        not fit the client number's column: PostgreSQL would refuse every registration there."""
        code_length = Office._meta.get_field("code").max_length
        limit = Client._meta.get_field("account_no").max_length
        longest = len(
            self.client_number_format.format(office="X" * code_length, seq="9" * self.client_number_digits)
        )
        if longest > limit:
            raise ValidationError(
                {
                    "client_number_digits": _(
                        "With an office code of %(code)d characters, the longest allowed, this format and "
                        "%(digits)d digits make client numbers of %(length)d characters, and a client "
                        "number holds at most %(limit)d: use fewer digits or a shorter format."
                    )
                    % {
                        "code": code_length,
                        "digits": self.client_number_digits,
                        "length": longest,
                        "limit": limit,
                    }
                }
            )


class OfficeClientSequence(models.Model):
    """The last client number handed out in an office; a row lock makes numbers unique."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.office_id}: {self.last_value}"


# --- Clients -----------------------------------------------------------------------------------------

# What a person may type in a phone number: digits and the usual separators, nothing else.
_PHONE_CHARACTERS = re.compile(r"^[0-9+()\-./\s]*$")
_NORMAL_PHONE = re.compile(r"^\+?[0-9]{6,15}$")


def clean_phone(value):
    """The normal form of a phone number a person typed, or a ValidationError in plain words."""
    phone = normalize_phone(value)
    if value and not (_PHONE_CHARACTERS.match(value) and _NORMAL_PHONE.match(phone)):
        raise ValidationError(
            _("Enter a phone number of 6 to 15 digits, with + and the country code if it is abroad."),
            code="invalid_phone",
        )
    return phone


NAME_FIELDS = frozenset({"first_name", "middle_name", "last_name", "business_name", "legal_form"})


def name_for_search(*parts):
    """What ``Client.search_name`` holds: every name part, folded; bulk loaders call it too."""
    return fold(" ".join(part for part in parts if part))


def age_on(born, day):
    """Full years between ``born`` and ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def check_not_in_future(errors, field, value, message):
    if value and value > today():
        errors[field] = message


@functools.cache
def _lookup_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and issubclass(field.related_model, LookupItem)
    ]


def check_lookups_active(errors, record):
    """Refuse, in ``errors``, an entry of a lookup list that head office retired (an identification type,
    a relationship, an occupation...). The forms offer only active entries, but the admin, scripts and
    services may be handed another; the entry a saved record already holds stays, so that retiring an
    entry does not lock the records that use it."""
    retired = []
    for field in _lookup_fields(type(record)):
        if field.name in errors or getattr(record, field.attname) is None:
            continue
        try:
            entry = getattr(record, field.name)
        except ObjectDoesNotExist:
            continue  # an id that does not exist: clean_fields says so
        if not entry.is_active:
            retired.append((field, entry))
    if not retired:
        return
    saved = {}
    if record.pk is not None:
        names = [field.attname for field, _entry in retired]
        saved = type(record)._base_manager.filter(pk=record.pk).values(*names).first() or {}
    for field, entry in retired:
        if saved.get(field.attname) != entry.pk:
            errors[field.name] = _("%(entry)s is no longer in use; choose another.") % {"entry": entry}


class ClientQuerySet(OfficeScopedQuerySet):
    @staticmethod
    def visible_parts(user):
        """What ``user`` may see as disjoint filters, or None for everything: the clients of their
        offices, and those being transferred to them from elsewhere (so they can accept them).

        Apart, each can walk its own index in a list's order (see ``mifos.pagination.paginate``).
        """
        office_ids = visible_office_ids(user)
        if office_ids is None:
            return None
        own = models.Q(office__in=office_ids)
        incoming = models.Q(status=ClientStatus.TRANSFER_IN_PROGRESS, transfer_to_office__in=office_ids)
        return [own, incoming & ~own]

    def visible_to(self, user):
        """A client of the user's offices, or one being transferred to them (so they can accept it)."""
        parts = self.visible_parts(user)
        if parts is None:
            return self.all()
        own, incoming = parts
        return self.filter(own | incoming)

    def changeable_by(self, user):
        """Clients ``user`` may change: those of their offices. A client on its way in from another
        office is visible to the receiving office (to accept or reject it) but stays the sending
        office's until accepted."""
        office_ids = visible_office_ids(user)
        return self.all() if office_ids is None else self.filter(office__in=office_ids)

    def transferred_away(self, user, *, from_office=None):
        """Clients that left one of the user's offices (or ``from_office`` and below) by transfer.

        This is how the sending office sees them: they now belong to another office, so they are
        outside ``visible_to(user)`` and are shown read-only.
        """
        office_ids = visible_office_ids(user)
        events = ClientEvent.objects.filter(action=ClientAction.TRANSFERRED).exclude(
            office=models.F("client__office")
        )
        if office_ids is not None:
            events = events.filter(office__in=office_ids)
        if from_office is not None:
            events = events.filter(office__in=office_tree_ids(from_office))
        return self.filter(pk__in=events.values("client_id"))

    def active(self):
        return self.filter(status=ClientStatus.ACTIVE)

    def pending(self):
        return self.filter(status=ClientStatus.PENDING)

    def individuals(self):
        return self.filter(legal_form=LegalForm.INDIVIDUAL)

    def corporates(self):
        return self.filter(legal_form=LegalForm.CORPORATE)


class Client(models.Model):
    """A person or a business that the institution serves, registered in one office."""

    account_no = models.CharField(_("client number"), max_length=30, unique=True, editable=False)
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, default=LegalForm.INDIVIDUAL
    )
    status = models.CharField(
        _("status"), max_length=30, choices=ClientStatus.choices, default=ClientStatus.PENDING, editable=False
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="clients"
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("credit officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clients",
    )
    transfer_to_office = models.ForeignKey(
        Office,
        verbose_name=_("transfer to office"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="incoming_clients",
    )
    external_id = models.CharField(_("external id"), max_length=100, unique=True, null=True, blank=True)

    # An individual
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=20, choices=MaritalStatus.choices, blank=True
    )
    dependents = models.PositiveSmallIntegerField(_("number of dependents"), null=True, blank=True)
    occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("occupation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    education_level = models.ForeignKey(
        EducationLevel,
        verbose_name=_("education level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    monthly_income = models.DecimalField(
        _("monthly income"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0), _("The income cannot be negative."))],
    )

    # A business
    business_name = models.CharField(_("business name"), max_length=200, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=100, blank=True)
    # As registration compares it ("coop 2019 0042" is "COOP-2019-0042"); None but for a business's.
    # Nullable so that adding it kept SQLite's table (its triggers and raw indexes) as it was.
    registration_number_normalized = models.CharField(max_length=100, editable=False, null=True)  # noqa: DJ001
    incorporation_date = models.DateField(_("incorporation date"), null=True, blank=True)
    legal_structure = models.ForeignKey(
        LegalStructure,
        verbose_name=_("legal structure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    business_line = models.ForeignKey(
        BusinessLine,
        verbose_name=_("main business line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)

    # Contact and address
    mobile_phone = models.CharField(_("mobile phone"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True)
    address_line = models.CharField(_("street and number"), max_length=200, blank=True)
    locality = models.CharField(_("village or locality"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("district or region"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)

    # Kept by the model so lists can sort and search without recomputing names.
    display_name = models.CharField(_("name"), max_length=300, editable=False, db_index=True)
    # Every name part folded (lower case, no accents), so search ignores case and accents on any database.
    search_name = models.CharField(_("name for search"), max_length=500, editable=False, default="")

    # Lifecycle dates; the lifecycle module is the only writer.
    submitted_on = models.DateField(_("submitted on"))
    activated_on = models.DateField(_("activated on"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True, editable=False)

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
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Kept by save() from the registration number, which the history has: a second line would be noise.
    history = HistoricalRecords(excluded_fields=["registration_number_normalized"])
    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["display_name", "id"]
        indexes = [
            models.Index(fields=["office", "status"]),
            models.Index(fields=["staff", "status"]),
            models.Index(fields=["submitted_on"]),
            models.Index(fields=["activated_on"]),
            # Possible duplicates of a person (registration.possible_duplicates, the importer a batch at a
            # time): the same date of birth and name, found by one index probe however many share a date.
            models.Index(fields=["date_of_birth", "search_name"], name="clients_client_dob_name"),
            # The list's sort orders, each ending in the id so keyset pagination can seek to a page
            # (the one by name depends on the database: migration 0008_sort_name_index).
            models.Index(fields=["-submitted_on", "-id"], name="clients_client_sort_submitted"),
            # A business's registration number is looked up on each registration and import row.
            models.Index(
                fields=["registration_number_normalized"],
                condition=models.Q(registration_number_normalized__isnull=False),
                name="clients_client_registration_no",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(monthly_income__gte=0),
                name="clients_client_income_not_negative",
                violation_error_message=_("The income cannot be negative."),
            ),
        ]
        permissions = [
            ("activate_client", _("Can activate a client")),
            ("reject_client", _("Can reject or withdraw a client")),
            ("close_client", _("Can close or reactivate a client")),
            ("transfer_client", _("Can propose a client's transfer")),
            ("decide_transfer_client", _("Can accept or reject a client's transfer")),
            ("assign_officer_client", _("Can change a client's credit officer")),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.account_no})" if self.account_no else self.display_name

    def get_absolute_url(self):
        return reverse("clients:client_detail", args=[self.pk])

    def may_be_changed_by(self, user):
        """The one-object form of ``Client.objects.changeable_by(user)``."""
        office_ids = visible_office_ids(user)
        return office_ids is None or self.office_id in office_ids

    def get_status_display(self):
        # Django's own rebuilds a dict of every choice on each call: a list shows twenty-five.
        try:
            return ClientStatus(self.status).label
        except ValueError:  # as Django's: a value outside the choices shows as it is
            return self.status

    @property
    def is_individual(self):
        return self.legal_form == LegalForm.INDIVIDUAL

    @property
    def full_address(self):
        parts = (self.address_line, self.locality, self.city, self.region, self.postal_code, self.country)
        return ", ".join(part for part in parts if part)

    def compose_display_name(self):
        if self.legal_form == LegalForm.CORPORATE:
            return self.business_name.strip()
        return " ".join(part for part in (self.first_name, self.middle_name, self.last_name) if part).strip()

    REQUIRED_FIELDS = {
        LegalForm.INDIVIDUAL: ("first_name", "last_name", "gender", "date_of_birth"),
        LegalForm.CORPORATE: ("business_name", "registration_number"),
    }

    def clean_fields(self, exclude=None):
        """Each legal form has its required fields; a field the caller excludes is not checked twice."""
        try:
            super().clean_fields(exclude=exclude)
            errors = {}
        except ValidationError as error:
            errors = dict(error.error_dict)
        for name in self.REQUIRED_FIELDS.get(self.legal_form, ()):
            if (
                name not in (exclude or ())
                and name not in errors
                and not str(getattr(self, name) or "").strip()
            ):
                errors[name] = [ValidationError(_("This field is required."), code="required")]
        if errors:
            raise ValidationError(errors)

    def clean(self):
        super().clean()
        if self.external_id == "":
            self.external_id = None
        errors = {}
        saved = self._saved_values()
        if saved is None:
            self._check_office_open(errors)
        if self.is_individual and (
            saved is None
            or (saved["date_of_birth"], saved["legal_form"]) != (self.date_of_birth, self.legal_form)
        ):
            # The age limits are checked when a client registers or its date of birth changes: head
            # office raising the minimum age must not lock the records of clients already registered.
            self._check_age(errors, new=saved is None)
        if self._registration_number_unreadable(saved):
            errors["registration_number"] = _("Enter the number with its letters and digits.")
        check_not_in_future(
            errors,
            "incorporation_date",
            self.incorporation_date,
            _("The incorporation date cannot be in the future."),
        )
        check_not_in_future(errors, "submitted_on", self.submitted_on, _("The date cannot be in the future."))
        try:
            self.mobile_phone = clean_phone(self.mobile_phone)
        except ValidationError as error:
            errors["mobile_phone"] = error
        if self._officer_changed(saved) and self.staff_id and self.office_id:
            if not Staff.objects.serving(self.office).filter(pk=self.staff_id).exists():
                errors["staff"] = _(
                    "Choose an active credit officer of %(office)s or of an office above it."
                ) % {"office": self.office}
        check_lookups_active(errors, self)
        if errors:
            raise ValidationError(errors)

    def _check_age(self, errors, *, new):
        born = self.date_of_birth
        if born is None or "date_of_birth" in errors:
            return
        now = today()
        if born > now:
            errors["date_of_birth"] = _("The date of birth cannot be in the future.")
            return
        # The limits apply on the day the client registered, so a record stays valid as the client ages.
        day = min(self.submitted_on or now, now)
        rules = ClientRules.load()
        age = age_on(born, day)
        if age > rules.max_age:
            errors["date_of_birth"] = _("A client cannot be older than %(age)d years.") % {
                "age": rules.max_age
            }
        elif age < rules.min_age and day < now and age_on(born, now) >= rules.min_age:
            # Old enough today, not on the submission date: that date is the likely typing error (2000
            # for 2020), so the refusal names it, next to it when it is being entered.
            shown = {
                "date": formats.date_format(day, "SHORT_DATE_FORMAT"),
                "years": age,
                "age": rules.min_age,
            }
            if day < born:
                message = _("The submission date (%(date)s) cannot be before the date of birth.") % shown
            else:
                message = _(
                    "On the submission date (%(date)s) the client was %(years)d; a client must be "
                    "at least %(age)d years old."
                )
                message %= shown
            errors.setdefault("submitted_on" if new else "date_of_birth", message)
        elif age < rules.min_age:
            errors["date_of_birth"] = _("A client must be at least %(age)d years old.") % {
                "age": rules.min_age
            }

    def _check_office_open(self, errors):
        """A client is not submitted before its office opened (as a transfer is not dated before it)."""
        opened = self.office.opening_date if self.office_id else None
        if opened is None or self.submitted_on is None or self.submitted_on >= opened:
            return
        errors.setdefault(
            "submitted_on",
            _("The date cannot be before %(label)s (%(date)s).")
            % {
                "label": _("the opening date of %(office)s") % {"office": self.office},
                "date": formats.date_format(opened, "SHORT_DATE_FORMAT"),
            },
        )

    def _registration_number_unreadable(self, saved):
        """A business's number of punctuation only ("***") would be held by any number of businesses, as
        it compares as none; asked when typed, so that a business saved so before stays editable."""
        if self.legal_form != LegalForm.CORPORATE or not self.registration_number.strip():
            return False
        typed = saved is None or saved["registration_number"] != self.registration_number
        return typed and self.compose_registration_number() is None

    def _saved_values(self):
        """What the database holds of the fields whose rules apply only when they change; None for a
        new client. One query for every such rule."""
        if self._state.adding or not self.pk:
            return None
        fields = ("staff_id", "office_id", "date_of_birth", "legal_form", "registration_number")
        return Client.objects.filter(pk=self.pk).values(*fields).first()

    def _officer_changed(self, saved):
        """The officer rule is checked when the assignment is made, not when an officer later leaves."""
        return saved is None or (saved["staff_id"], saved["office_id"]) != (self.staff_id, self.office_id)

    def compose_search_name(self):
        return name_for_search(self.first_name, self.middle_name, self.last_name, self.business_name)

    def compose_registration_number(self):
        """The registration number as registration compares it, or None; bulk loaders call it too."""
        if self.legal_form != LegalForm.CORPORATE:
            return None
        return normalize_id_number(self.registration_number) or None

    def save(self, *args, **kwargs):
        self.display_name = self.compose_display_name()
        self.search_name = self.compose_search_name()
        self.registration_number_normalized = self.compose_registration_number()
        self.mobile_phone = normalize_phone(self.mobile_phone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and NAME_FIELDS.intersection(update_fields):
            kwargs["update_fields"] = {*update_fields, "display_name", "search_name"}
        if update_fields is not None and {"registration_number", "legal_form"}.intersection(update_fields):
            kwargs["update_fields"] = {*kwargs["update_fields"], "registration_number_normalized"}
        super().save(*args, **kwargs)


class ClientPartQuerySet(OfficeScopedQuerySet):
    """Records that belong to a client are scoped by the client's office."""

    office_field = "client__office"


class Identification(models.Model):
    """An identity document a client holds.

    A client holds one active document of a type at a time (Mifos X's rule): a renewed passport
    replaces the old one, which stays on record as inactive. A document past its expiry date is
    shown as expired whatever its flag, so an old document may be recorded as it is.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="identifications")
    document_type = models.ForeignKey(
        IdentificationType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=100)
    number_normalized = models.CharField(max_length=100, editable=False, db_index=True)
    issued_by = models.CharField(_("issuing country or authority"), max_length=100, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = ClientPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("identification")
        verbose_name_plural = _("identifications")
        ordering = ["document_type__position", "id"]
        indexes = [models.Index(fields=["document_type", "number_normalized"])]
        constraints = [
            # Across clients, only types marked unique are refused (registration.check_identification_unique).
            models.UniqueConstraint(
                fields=["client", "document_type", "number_normalized"],
                name="clients_identification_once_per_client",
                violation_error_message=_("This client already holds this number of this type."),
            ),
            # registration.check_one_active_per_type says it first, naming the document held.
            models.UniqueConstraint(
                fields=["client", "document_type"],
                condition=models.Q(is_active=True),
                name="clients_identification_one_active_per_type",
                violation_error_message=_(
                    "This client already holds an active identification of this type: mark that one "
                    "inactive first, or record this one as inactive."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.document_type}: {self.number}"

    @property
    def is_expired(self):
        return self.expiry_date is not None and self.expiry_date < today()

    def get_status_display(self):
        """Active, Expired (active but past its expiry date) or Inactive, as lists show it."""
        if not self.is_active:
            return _("Inactive")
        return _("Expired") if self.is_expired else _("Active")

    def clean(self):
        super().clean()
        self.number_normalized = normalize_id_number(self.number)
        errors = {}
        document_type = self.document_type if self.document_type_id else None
        if self.number and not self.number_normalized:
            errors["number"] = _("Enter the number with its letters and digits.")
        elif (
            document_type
            and self.number_normalized
            and self.number_changed()
            and not document_type.accepts(self.number)
        ):
            errors["number"] = _("This is not a valid %(type)s number. Expected: %(example)s.") % {
                "type": document_type,
                "example": document_type.format_example or document_type.format_regex,
            }
        check_not_in_future(
            errors, "issue_date", self.issue_date, _("The issue date cannot be in the future.")
        )
        if self.issue_date and self.expiry_date and self.expiry_date < self.issue_date:
            errors["expiry_date"] = _("The expiry date cannot be before the issue date.")
        check_lookups_active(errors, self)
        if errors:
            raise ValidationError(errors)

    def number_changed(self):
        """Whether the identification is new, or its type or number is not the saved one. Only then are
        the type's format and uniqueness checked: a rule head office tightens later must not lock a card
        already on record, which can still be marked inactive, described or removed."""
        if self.pk is None:
            return True
        saved = Identification.objects.filter(pk=self.pk).values_list("document_type_id", "number").first()
        return saved != (self.document_type_id, self.number)

    def save(self, *args, **kwargs):
        self.number_normalized = normalize_id_number(self.number)
        super().save(*args, **kwargs)


class FamilyMember(models.Model):
    """A member of a client's household."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="family_members")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    relationship = models.ForeignKey(
        RelationshipType, verbose_name=_("relationship"), on_delete=models.PROTECT, related_name="+"
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    is_dependent = models.BooleanField(_("economic dependent"), default=False)
    occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("occupation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    history = HistoricalRecords()
    objects = ClientPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["id"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()

    def clean(self):
        super().clean()
        errors = {}
        check_not_in_future(
            errors, "date_of_birth", self.date_of_birth, _("The date of birth cannot be in the future.")
        )
        try:
            self.phone = clean_phone(self.phone)
        except ValidationError as error:
            errors["phone"] = error
        check_lookups_active(errors, self)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.phone = normalize_phone(self.phone)
        super().save(*args, **kwargs)


class Note(models.Model):
    """A free-text note on a client; edits keep the earlier text in history."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ClientPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client", "created_at"])]

    def __str__(self):
        return self.text[:60]

    def clean_fields(self, exclude=None):
        """Spaces alone are no note. Checked with the fields, not in clean(): a form that has refused an
        empty text leaves the field out of the model's checks, and clean() said it a second time."""
        self.text = (self.text or "").strip()
        exclude = set(exclude or ())
        errors = {}
        if not self.text and "text" not in exclude:
            errors["text"] = [ValidationError(_("Write the note."), code="required")]
        try:
            super().clean_fields(exclude=exclude | errors.keys())
        except ValidationError as error:
            errors.update(error.error_dict)
        if errors:
            raise ValidationError(errors)

    def may_be_changed_by(self, user):
        """The author keeps their note; a user who may delete notes (a manager) may change anyone's."""
        return (self.created_by_id is not None and self.created_by_id == user.pk) or user.has_perm(
            "clients.delete_note"
        )


# --- Lifecycle records (written only by clients/lifecycle.py) ----------------------------------------


class ClientEvent(models.Model):
    """One entry of a client's timeline: what happened, when it takes effect, who did it and why."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30, choices=ClientAction.choices)
    effective_date = models.DateField(_("effective date"))
    from_status = models.CharField(_("from status"), max_length=30, choices=ClientStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=30, choices=ClientStatus.choices, blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The client's office when it happened."),
    )
    to_office = models.ForeignKey(
        Office, verbose_name=_("to office"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("credit officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.ForeignKey(
        ClientActionReason,
        verbose_name=_("reason"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text so the timeline still names the user after the account is deleted.
    created_by_name = models.CharField(_("by"), max_length=150)

    objects = ClientPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("client event")
        verbose_name_plural = _("client timeline")
        ordering = ["-effective_date", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["client", "effective_date"]),
            models.Index(fields=["office", "action"]),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.effective_date}"


class OfficerAssignment(models.Model):
    """A period during which a credit officer looked after a client; the open one has no end date."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="officer_assignments")
    staff = models.ForeignKey(
        Staff, verbose_name=_("credit officer"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("credit officer assignment")
        verbose_name_plural = _("credit officer assignments")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(end_date__isnull=True),
                name="clients_one_open_officer_assignment",
                violation_error_message=_("A client has one credit officer at a time."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="clients_assignment_ends_after_start",
                violation_error_message=_("An assignment cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.staff} ({self.start_date} – {self.end_date or '…'})"


# --- Bulk imports --------------------------------------------------------------------------------------


class ImportRunQuerySet(OfficeScopedQuerySet):
    """A run is seen by the users whose offices include the office its uploader worked in when they
    uploaded it: that office and those above it. Not by its default office alone: a file may name any
    office its uploader works for, and its page and errors file show those rows. Not by the
    uploader's office of today either: a clerk moved to another branch takes no file along."""

    office_field = "uploader_office"


class ImportRun(models.Model):
    """One client file brought in through the importer: who, where, what it held and how it ended.

    Kept after the run so the preview, the progress page and the result can be shown again, and
    so each imported client's history can name its run ("import 12").
    """

    file_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_name = models.CharField(_("by"), max_length=150, blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Rows that name no office go to this one."),
    )
    uploader_office = models.ForeignKey(
        Office,
        verbose_name=_("uploader's office"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Where the uploader worked when the file came in: that office and those above it see the run."
        ),
    )
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("client import")
        verbose_name_plural = _("client imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return _("Import %(id)s: %(file)s") % {"id": self.pk, "file": self.file_name}

    def save(self, *args, **kwargs):
        if self.uploader_office_id is None:  # a user without an office (the system): the default one
            self.uploader_office_id = getattr(self.user, "office_id", None) or self.office_id
        super().save(*args, **kwargs)

    @property
    def is_finished(self):
        return self.status in (ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED)

    @property
    def row_errors(self):
        """The errors that refuse rows; ``warnings`` are the rest (a column the import does not read)."""
        return [error for error in self.errors if not error.get("warning")]

    @property
    def warnings(self):
        return [error for error in self.errors if error.get("warning")]

    def may_be_confirmed_by(self, user):
        """Only the uploader confirms: the import writes as them, with their rights, in their name. And
        only while the uploaded file is kept: a run of ``manage.py import_clients`` stored none, and
        is imported from there."""
        return (
            self.status == ImportStatus.CHECKED
            and self.created > 0
            and self.user_id == user.pk
            and bool(self.file)
        )

    @property
    def percent(self):
        return min(100, int(100 * self.rows_done / self.rows)) if self.rows else 0
