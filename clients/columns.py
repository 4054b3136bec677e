"""The one definition of the client file: its columns, their headers and how each cell is read and written.

The export, the import (web page, ``import_clients`` and the admin) and the template all read this
list, so a file exported here comes back in through the import. Headers are written in the user's
language; on import a header is recognised by its key (``first_name``) or by its label in any
language of the site, without regard to case, accents, the kind of apostrophe or a space before a
colon (``fold_label``); the importer names the others, whose cells it ignores. Choice and lookup
cells are written as their labels and read back the same way (``fold``), so "FEMENINO", "femenino"
and "Femenino" are one value.
"""

import datetime
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mifos.money import parse_amount

from .choices import ClientStatus, DateFormat, Gender, LegalForm, MaritalStatus, YesNo
from .normalize import fold_label

# Cells that spreadsheets would run as a formula: written as text instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Identifications a row may carry; a client with more gets the others on its page.
IDENTIFICATIONS = 2
# Statuses an imported client may start in: registered here, or approved in the system it comes from.
IMPORT_STATUSES = (ClientStatus.PENDING, ClientStatus.ACTIVE)
# Control characters no cell may hold: PostgreSQL stores no NUL, and an Excel file none of these (the
# export could not write the client). Tabs and line breaks are text.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


class CellError(ValueError):
    """A cell that cannot be read; the message is for a clerk."""


@dataclass(frozen=True)
class Column:
    """One column of the client file.

    ``kind`` says how a cell is read and written: text, date, integer, decimal, choice (``choices``
    a TextChoices), lookup (a list of names: ``lookup`` names which one, see ``Lookups``), office,
    officer. ``attribute`` is the Client attribute it fills on import (None: not imported) and
    ``source`` the path(s) the export reads (None: not exported from the client row itself);
    ``exported`` False for a column only the import reads (an instruction, not a client's data).
    """

    key: str
    label: str
    kind: str = "text"
    attribute: str | None = None
    source: tuple = ()
    choices: type | None = None
    lookup: str | None = None
    importable: bool = True
    exported: bool = True
    help: str = ""
    extra: dict = field(default_factory=dict)

    def header(self):
        return str(self.label)

    # --- import --------------------------------------------------------------------------------

    def read(self, text, context):
        """The Python value of a cell (already stripped), or raise CellError. Empty is None or ""."""
        if text == "":
            return None if self.kind in ("date", "integer", "decimal", "lookup", "office", "officer") else ""
        control = CONTROL_CHARACTERS.search(text)
        if control is not None:
            raise CellError(control_message(control.group()))
        reader = getattr(self, f"_read_{self.kind}")
        return reader(text, context)

    def _read_text(self, text, context):
        return text

    def _read_date(self, text, context):
        return parse_date(text, context.date_formats)

    def _read_integer(self, text, context):
        try:
            number = Decimal(text.replace(" ", ""))
        except InvalidOperation:
            raise CellError(gettext("Write a whole number, for example 3.")) from None
        if number != number.to_integral_value() or number < 0:
            raise CellError(gettext("Write a whole number, for example 3."))
        return int(number)

    def _read_decimal(self, text, context):
        try:
            return parse_amount(text)
        except ValueError as error:
            raise CellError(str(error)) from None

    def _read_choice(self, text, context):
        value = context.choice(self.choices, text)
        if value is None:
            raise CellError(
                gettext("Not one of the allowed values: %(values)s.")
                % {"values": ", ".join(str(label) for _value, label in self.allowed_choices())}
            )
        return value

    def allowed_choices(self):
        if self.key == "status":
            return [(status.value, status.label) for status in IMPORT_STATUSES]
        return self.choices.choices

    def _read_lookup(self, text, context):
        found = context.lookup(self.lookup, text)
        if found is None:
            raise CellError(
                gettext("Not in the list of %(list)s; choose one of: %(values)s.")
                % {"list": self.label, "values": context.lookup_names(self.lookup)}
            )
        return found

    def _read_office(self, text, context):
        office = context.office(text)
        if office is None:
            raise CellError(gettext("No office of yours has this name or code."))
        return office

    def _read_officer(self, text, context):
        return text  # matched against the row's office once it is known (Context.officer)

    # --- export --------------------------------------------------------------------------------

    def write(self, value):
        """The cell's value for a file: dates stay dates (XLSX formats them), choices their labels."""
        if value is None:
            return ""
        if self.kind == "choice":
            try:
                return str(self.choices(value).label)
            except ValueError:
                return value
        return value


def control_message(character):
    if character == "\x00":
        return gettext("Null characters are not allowed.")  # as Django's forms say it
    return gettext("Control characters are not allowed (here %(character)s): delete it.") % {
        "character": f"U+{ord(character):04X}"
    }


def shown(text):
    """``text`` with its control characters as the symbols that picture them (NUL as ␀), for a message
    that quotes a cell: a NUL cannot be stored with it, and the others would not show."""
    return CONTROL_CHARACTERS.sub(lambda found: chr(0x2400 + ord(found.group())), text)


def _columns():
    lookup_help = _("A name from the list (see the Lists sheet of the Excel template).")
    date_help = _("A date: 2024-01-31, or in the institution's date format.")
    columns = [
        Column("number", _("Client number"), source=("account_no",), importable=False),
        Column(
            "external_id",
            _("External id"),
            attribute="external_id",
            source=("external_id",),
            help=_("The client's id in the system it comes from; a client already imported is skipped."),
        ),
        Column(
            "legal_form",
            _("Legal form"),
            "choice",
            "legal_form",
            ("legal_form",),
            choices=LegalForm,
            help=_("Individual (the default) or Corporate."),
        ),
        Column(
            "status",
            _("Status"),
            "choice",
            source=("status",),
            choices=ClientStatus,
            help=_("Pending (the default), or Active for a client approved in the system it comes from."),
        ),
        Column(
            "activated_on",
            _("Activated on"),
            "date",
            source=("activated_on",),
            help=_("Required for an Active client."),
        ),
        Column(
            "office",
            _("Office"),
            "office",
            source=("office__name",),
            help=_("The office's name or code; empty: the office chosen for the import."),
        ),
        Column(
            "officer",
            _("Credit officer"),
            "officer",
            source=("staff__first_name", "staff__last_name"),
            help=_("First and last name of an active credit officer of the office or an office above it."),
        ),
        Column("first_name", _("First name"), attribute="first_name", source=("first_name",)),
        Column("middle_name", _("Middle name"), attribute="middle_name", source=("middle_name",)),
        Column("last_name", _("Last name"), attribute="last_name", source=("last_name",)),
        Column("gender", _("Gender"), "choice", "gender", ("gender",), choices=Gender),
        Column(
            "date_of_birth", _("Date of birth"), "date", "date_of_birth", ("date_of_birth",), help=date_help
        ),
        Column(
            "marital_status",
            _("Marital status"),
            "choice",
            "marital_status",
            ("marital_status",),
            choices=MaritalStatus,
        ),
        Column("dependents", _("Number of dependents"), "integer", "dependents", ("dependents",)),
        Column(
            "occupation",
            _("Occupation"),
            "lookup",
            "occupation",
            ("occupation__name",),
            lookup="occupation",
            help=lookup_help,
        ),
        Column(
            "education_level",
            _("Education level"),
            "lookup",
            "education_level",
            ("education_level__name",),
            lookup="education_level",
            help=lookup_help,
        ),
        Column("monthly_income", _("Monthly income"), "decimal", "monthly_income", ("monthly_income",)),
        Column("business_name", _("Business name"), attribute="business_name", source=("business_name",)),
        Column(
            "registration_number",
            _("Registration number"),
            attribute="registration_number",
            source=("registration_number",),
        ),
        Column(
            "incorporation_date",
            _("Incorporation date"),
            "date",
            "incorporation_date",
            ("incorporation_date",),
            help=date_help,
        ),
        Column(
            "legal_structure",
            _("Legal structure"),
            "lookup",
            "legal_structure",
            ("legal_structure__name",),
            lookup="legal_structure",
            help=lookup_help,
        ),
        Column(
            "business_line",
            _("Main business line"),
            "lookup",
            "business_line",
            ("business_line__name",),
            lookup="business_line",
            help=lookup_help,
        ),
        Column("contact_person", _("Contact person"), attribute="contact_person", source=("contact_person",)),
        Column("mobile_phone", _("Mobile phone"), attribute="mobile_phone", source=("mobile_phone",)),
        Column("email", _("Email"), attribute="email", source=("email",)),
        Column("address_line", _("Street and number"), attribute="address_line", source=("address_line",)),
        Column("locality", _("Village or locality"), attribute="locality", source=("locality",)),
        Column("city", _("City"), attribute="city", source=("city",)),
        Column("region", _("District or region"), attribute="region", source=("region",)),
        Column("postal_code", _("Postal code"), attribute="postal_code", source=("postal_code",)),
        Column("country", _("Country"), attribute="country", source=("country",)),
    ]
    for index in range(1, IDENTIFICATIONS + 1):
        columns += [
            Column(
                f"id{index}_type",
                _("Identification %(index)d: type") % {"index": index},
                "lookup",
                lookup="identification_type",
                help=lookup_help,
                extra={"identification": index},
            ),
            Column(
                f"id{index}_number",
                _("Identification %(index)d: number") % {"index": index},
                extra={"identification": index},
            ),
        ]
    columns += [
        Column("groups", _("Groups"), importable=False),
        Column(
            "submitted_on",
            _("Submitted on"),
            "date",
            source=("submitted_on",),
            help=_("The registration date; empty: today."),
        ),
        Column(
            "not_duplicate",
            _("Not a duplicate"),
            "choice",
            choices=YesNo,
            exported=False,
            help=_(
                "Yes: register this client although another has the same name and date of birth, business "
                "name or phone (you checked: a different client). Empty: such a row is an error naming "
                "that client."
            ),
        ),
        Column("closed_on", _("Closed on"), "date", source=("closed_on",), importable=False),
    ]
    return columns


def columns():
    """Every column the export writes, in the file's order."""
    return [column for column in _columns() if column.exported]


def import_columns():
    return [column for column in _columns() if column.importable]


def by_key():
    return {column.key: column for column in _columns()}


def languages():
    """The languages a file's headers and values may be written in: the active one first, then every
    language of the site (a background job does not run in the language of the user who uploaded)."""
    codes = [translation.get_language() or settings.LANGUAGE_CODE]
    return codes + [code for code, _name in settings.LANGUAGES if code not in codes]


def header_keys(headers):
    """The column key of each header (None for a header the import does not read), and the headers it
    does not read, as (position, header, column): the column only the export writes that it names, or
    None for a header that is not ours.

    A header is its key or its label in any of the site's languages, compared folded (``fold_label``).
    """
    known = {}
    for language in languages():
        with translation.override(language):
            for column in _columns():
                known.setdefault(fold_label(column.header()), column)
    for column in _columns():
        known.setdefault(fold_label(column.key), column)
    keys, ignored = [], []
    for position, header in enumerate(headers):
        column = known.get(fold_label(str(header or "")))
        keys.append(column.key if column is not None and column.importable else None)
        if keys[-1] is None and str(header or "").strip():
            ignored.append((position, str(header).strip(), column))
    return keys, ignored


def close_header(header):
    """The label, in the user's language, of the importable column ``header`` is likely a misspelling
    of, or None."""
    labels = {}
    for language in languages():
        with translation.override(language):
            for column in import_columns():
                labels.setdefault(fold_label(column.header()), column)
    found = difflib.get_close_matches(fold_label(header), list(labels), n=1, cutoff=0.8)
    return labels[found[0]].header() if found else None


# --- Dates -------------------------------------------------------------------------------------------

ISO_FORMAT = "%Y-%m-%d"


def date_formats(rules):
    """The formats a date cell may use: ISO, and the institution's own (ClientRules.date_format)."""
    own = getattr(rules, "date_format", "") or DateFormat.DAY_MONTH_YEAR
    return (ISO_FORMAT, own, own.replace("/", "-"), own.replace("/", "."))


def parse_date(text, formats):
    text = text.strip()
    if " " in text:
        text = text.split(" ", 1)[0]  # "2024-01-31 00:00:00", as a spreadsheet's date may come out
    for date_format in formats:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise CellError(gettext("Not a date; write it as %(iso)s or %(own)s.") % date_examples(formats))


def date_examples(formats):
    """One date written in ISO and in the institution's format, for a message that shows how."""
    example = datetime.date(2024, 1, 31)
    return {"iso": example.strftime(ISO_FORMAT), "own": example.strftime(formats[1])}


def safe_text(value):
    """A text cell that a spreadsheet would run as a formula, made plain text with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
