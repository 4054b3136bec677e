"""Importing a file of clients: read what spreadsheets produce, check every row with the registration
rules, then write them all in batches, or nothing.

The web page, ``manage.py import_clients`` and the admin all run ``ClientImporter``. Each row is
checked by the model layer (``Client.full_clean``: required fields, formats, age limits, phone;
``Identification.full_clean``: number formats) and by the registration and lifecycle services
(``registration.check_required_identifications``, ``lifecycle.check_opening``); offices come from
the user's scope and credit officers from ``Staff.objects.serving(office)``. Uniqueness is checked
a batch at a time. A row whose external id, unique identification or business registration number
is already registered is the client registered with it, and is *skipped* (so a file can be imported
again), when it is that same client: the external id is theirs, or the name (and a person's date of
birth) is (``registration.same_client``); a number that belongs to another client is an error on
its line and column, as the form says it. The same key twice in the file is an error; the keys met
so far wait in a temporary table, so memory stays flat however long the file.

Rows are written in validated batches (COPY on PostgreSQL, through ``mifos.bulk``) with their
history rows (``history_change_reason`` "import <run>") and the timeline entries the lifecycle
would record (``lifecycle.opening_records``), all in one transaction: when a row is refused, the
checking goes on to report every error, and the transaction is rolled back at the end. A file at
least as large as the tables is loaded with their indexes built once at the end.

Speed without a second copy of the rules: a cell's text is read once per distinct value, a field
value that passed Django's field checks is not checked again (``clean()`` runs on every row), the
rules and today's date are read once per import, and a batch costs the same few queries whatever
its size.
"""

import bisect
import codecs
import contextlib
import csv
import datetime
import functools
import io
import itertools
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mifos.bulk import DEFERRED_INDEX_THRESHOLD, Blank, BulkWriter, Table, relate
from mifos.plans import custom_plans
from mifos.today import kept as today_kept
from mifos.today import today
from offices.models import Office, Staff
from offices.scoping import covers

from . import columns as file_columns
from . import lifecycle, registration
from .choices import ClientStatus, LegalForm, YesNo
from .models import (
    BusinessLine,
    Client,
    ClientEvent,
    ClientRules,
    EducationLevel,
    Identification,
    IdentificationType,
    LegalStructure,
    Occupation,
    OfficerAssignment,
)
from .normalize import fold, fold_label
from .numbering import reserve_client_numbers

BATCH_SIZE = 2000
# The indexes of the clients' table the duplicate checks read, a batch at a time: kept while a large
# file is loaded with the others built at its end. The registration numbers; a person's date of birth
# and name; the list's sort index (a business's name); the phone's (as Django named it: db_index).
DUPLICATE_INDEXES = (
    "clients_client_registration_no",
    "clients_client_dob_name",
    "clients_client_sort_name",
    "clients_client_mobile_phone_0769339a",
)
# Distinct cell texts (and field values) remembered per column once read (and checked): a file
# repeats its names, places, dates and list values thousands of times (a cell's reading depends on
# its text alone, and the lists read once per import). Past this many, a column's new values are
# read every time, so that memory stays flat on a column of unique values.
MEMO_SIZE = 20_000
_MISSING = object()
# Errors kept for the preview and the error file; the count goes on past it.
MAX_ERRORS = 10_000
SAMPLE_SIZE = 64 * 1024
LOOKUP_MODELS = {
    "occupation": Occupation,
    "education_level": EducationLevel,
    "legal_structure": LegalStructure,
    "business_line": BusinessLine,
    "identification_type": IdentificationType,
}
# Fields the registration sets (registration._SET_BY_REGISTRATION; search_name, which save() sets, is
# empty until then and never refused), and the links whose rows the importer has already found among
# the user's offices and the lists (checking each again would cost a query per field and row).
_NOT_CHECKED_AGAIN = (
    "account_no",
    "status",
    "display_name",
    "search_name",
    "staff",
    "office",
    "occupation",
    "education_level",
    "legal_structure",
    "business_line",
    "created_by",
    "updated_by",
    "transfer_to_office",
)


class FileError(Exception):
    """The file as a whole cannot be read (not CSV nor Excel, no header we know); for a person."""


@dataclass
class RowError:
    line: int
    column: str  # the header as the file wrote it, or "" for the row as a whole
    value: str
    message: str
    warning: bool = False  # refuses nothing: a column the import does not read, on the header's line

    def as_dict(self):
        return {
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "warning": self.warning,
        }


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    skipped: int = 0
    refused: int = 0
    errors: list = field(default_factory=list)
    written: bool = False

    @property
    def ok(self):
        return self.refused == 0


# --- Reading files -------------------------------------------------------------------------------------


def _encoding(sample):
    """The text encoding of a file from its first bytes: a BOM says it; else UTF-8 if it decodes."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"  # what Excel on Windows writes as "CSV"
    return "utf-8"


def _dialect(text_sample):
    first_lines = "\n".join(line for line in text_sample.splitlines()[:20] if line.strip())
    try:
        return csv.Sniffer().sniff(first_lines, delimiters=",;\t")
    except csv.Error:
        header = text_sample.splitlines()[0] if text_sample else ""
        delimiter = max(",;\t", key=header.count)

        class Guessed(csv.excel):
            pass

        Guessed.delimiter = delimiter
        return Guessed


def _text(stream):
    """``stream`` read as text in its encoding, and the dialect of its first lines."""
    sample = stream.read(SAMPLE_SIZE)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=_encoding(sample), newline="")
    try:
        text_sample = text.read(SAMPLE_SIZE)
    except UnicodeDecodeError:  # bytes no text encoding we read has: a picture, an archive...
        text.detach()
        raise FileError(
            _("This file is neither a CSV text file nor an Excel (.xlsx) file: save it as CSV UTF-8.")
        ) from None
    text.seek(0)
    return text, _dialect(text_sample)


def read_csv(stream):
    """(line number, list of cells) of a CSV file of any encoding and separator we accept."""
    text, dialect = _text(stream)
    reader = csv.reader(text, dialect)
    # A record is named by its first line, as a clerk finds it; reader.line_num is its last one when
    # a quoted cell holds a line break.
    first = 1
    try:
        for cells in reader:
            yield first, cells
            first = reader.line_num + 1
    except UnicodeDecodeError:
        raise FileError(
            _("The file's characters could not be read after line %(line)d: save it as CSV UTF-8.")
            % {"line": reader.line_num}
        ) from None
    except csv.Error as error:
        raise FileError(
            _("Line %(line)d cannot be read: %(error)s.") % {"line": first, "error": error}
        ) from None
    finally:
        # The file outlives its reader when the caller closes the reader first (``Rows.close``); a
        # reader left unfinished is closed at garbage collection, by when the file may be closed.
        if not stream.closed:
            text.detach()


def _csv_count(stream, most):
    """The rows of a CSV file that hold a value, counted up to ``most``, before it is read."""
    try:
        text, dialect = _text(stream)
    except FileError:
        return 0  # said when the file is read
    count = 0
    try:
        for cells in csv.reader(text, dialect):
            if "".join(cells).strip():
                count += 1
                if count >= most:
                    break
    except (UnicodeDecodeError, csv.Error):
        pass  # said, with its line, when the file is read
    finally:
        text.detach()
        stream.seek(0)
    return count


class ExcelNumber(str):
    """The text of a cell Excel keeps as a number, not as text: in a date column, a date typed in a
    General cell (``excel_date``). It reads as the digits it shows everywhere else."""

    __slots__ = ()

    def number(self):
        """The number again, for a file written back (the errors file): a text cell is no date."""
        return int(self) if self.lstrip("-").isdigit() else float(self)


def _xlsx_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):  # an int to Python, TRUE or FALSE to Excel
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return ExcelNumber(int(value))
    if isinstance(value, int | float):
        return ExcelNumber(value)
    return str(value)


# A sheet's cells of a merged range but the first read as empty: a file's merged "office" cells would
# quietly leave its rows in the default office. Where a sheet's XML lists them (after its rows).
_MERGED_RANGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Za-z]+[0-9]+:[A-Za-z]+[0-9]+)"')
_MERGE_LIST = re.compile(rb"<(?:\w+:)?mergeCells[\s>]")
# Dates Excel keeps as a serial number when the cell's format is General: 1900-01-01 to 2099-12-31.
EXCEL_SERIALS = range(1, 73051)
# Numbers in a date column that are a year someone wrote, not the days of a date in 1905.
YEARS = range(1900, 2101)


def _merged_ranges(sheet):
    """The merged ranges of a read-only sheet ("F2:F4"), found in its XML without parsing its cells."""
    found = []
    tail = b""
    with sheet._get_source() as source:
        while chunk := source.read(1 << 20):
            text = tail + chunk
            start = _MERGE_LIST.search(text)
            if start is not None:
                rest = text[start.start() :] + source.read()
                found = [match.decode() for match in _MERGED_RANGE.findall(rest)]
                break
            tail = text[-32:]
    return found


def _data_sheet(workbook):
    """The sheet our export writes (named "Clients" in any of our languages), else the first one."""
    names = set()
    for language in file_columns.languages():
        with translation.override(language):
            names.add(fold(_("Clients")))
    for sheet in workbook.worksheets:
        if fold(sheet.title) in names:
            return sheet
    return workbook.worksheets[0]


def read_xlsx(stream):
    """(row number, list of cells as text) of the clients' sheet of an Excel file, read-only, but its
    empty rows. A sheet with merged cells is refused: all but the first cell of a range read as empty."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = _data_sheet(workbook)
        merged = _merged_ranges(sheet)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileError(_("This is not an Excel (.xlsx) file that can be read.")) from None
    if merged:
        workbook.close()
        shown = ", ".join(merged[:10]) + (" …" if len(merged) > 10 else "")
        raise FileError(
            _(
                "The sheet %(sheet)s has merged cells (%(cells)s): each cell of a merged range but the "
                "first would be read as empty. Unmerge them, fill every cell and import the file again."
            )
            % {"sheet": sheet.title, "cells": shown}
        )

    def rows():
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                # openpyxl makes up the rows a sheet leaves out, up to its declared last one: a
                # formatted cell on row 1,048,576 made a million of them.
                if values.count(None) != len(values):
                    yield number, [_xlsx_text(value) for value in values]
        finally:
            workbook.close()

    return Rows(
        rows(),
        functools.partial(_xlsx_count, sheet),
        sheet=sheet.title,
        several_sheets=len(workbook.worksheets) > 1,
    )


# A row of a sheet's XML, and a value in it (a cell's <v>, or an inline string's <is>); the bytes of
# the XML read at a time to count them.
_ROW = re.compile(rb"<(?:\w+:)?row[\s>]")
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)>")
XML_CHUNK = 1 << 20


def _xlsx_count(sheet, most):
    """The rows of a sheet that hold a value, counted in its XML up to ``most``: the sheet's declared
    size counts the rows Excel keeps for a format alone, up to the last one of the sheet."""
    count = 0
    tail = b""
    with sheet._get_source() as source:
        while count < most:
            chunk = source.read(XML_CHUNK)
            text = tail + chunk
            starts = [match.start() for match in _ROW.finditer(text)]
            if chunk and starts:  # the last row may go on in the next chunk
                tail = text[starts[-1] :]
            elif chunk:
                tail = text
                continue
            else:
                starts.append(len(text))  # the end: the last row is whole
            count += sum(1 for a, b in itertools.pairwise(starts) if _VALUE.search(text, a, b))
            if not chunk:
                break
    return min(count, most)


def excel_date(cell, formats):
    """A date typed in a General cell is kept by Excel as a serial number: the ISO date of a number
    cell (``ExcelNumber``) that is one, else ``cell`` as it is, read as a CSV cell would be. A
    number that is a year is refused: read as a serial it would be a day of 1905."""
    if cell.__class__ is not ExcelNumber or not cell.isdigit():
        return cell
    if int(cell) in YEARS:
        raise file_columns.CellError(
            _("A year alone is not a date: write the whole date, as %(iso)s or %(own)s.")
            % file_columns.date_examples(formats)
        )
    if int(cell) in EXCEL_SERIALS:
        from openpyxl.utils.datetime import from_excel

        return from_excel(int(cell)).date().isoformat()
    return cell


class Rows:
    """A file's rows, (line number, list of cells as text), to be read once; ``count(most)`` says how
    many hold a value (the header among them) before they are read, to choose how to load them."""

    def __init__(self, rows, count, *, sheet=None, several_sheets=False):
        self._rows = rows
        self._count = count
        self.sheet = sheet  # the Excel sheet read; None for a CSV file
        self.several_sheets = several_sheets

    def __iter__(self):
        return self._rows

    def count(self, most):
        """The rows that hold a value, counted up to ``most``."""
        return self._count(most)

    def close(self):
        """Done with the file's reader, while the file is still open."""
        self._rows.close()


def read_rows(stream, file_name):
    """The rows of an uploaded file by its name's extension (CSV when it is not .xlsx)."""
    if file_name.lower().endswith(".xlsx"):
        return read_xlsx(stream)
    if file_name.lower().endswith(".xls"):
        raise FileError(_("Excel 97-2003 (.xls) files are not read: save the file as .xlsx or CSV."))
    return Rows(read_csv(stream), functools.partial(_csv_count, stream))


def unquote(text):
    """A cell the export made safe ("'=..." ) or a spreadsheet's trailing spaces, back to its text."""
    text = text.strip()
    if text.startswith("'") and text[1:2] in file_columns.FORMULA_STARTS:
        return text[1:]
    return text


# --- What a row is matched against ------------------------------------------------------------------------


class Context:
    """The lists a file's cells are matched against, loaded once per import, and the user's scope."""

    def __init__(self, *, by):
        self.by = by
        self.rules = ClientRules.load()
        self.date_formats = file_columns.date_formats(self.rules)
        self.lookups = {}
        self.required_types = []  # lifecycle.check_opening asks for them on every Active row
        for name, model in LOOKUP_MODELS.items():
            items = {}
            for item in model.objects.active():
                items.setdefault(fold(item.name), item)
                if model is IdentificationType and item.is_required:
                    self.required_types.append(item)
            self.lookups[name] = items
        self.offices = {}
        for visible in Office.objects.visible_to(by):
            self.offices.setdefault(fold(visible.code), visible)
            self.offices.setdefault(fold(visible.name), visible)
        self._officers = {}
        self._choices = {}
        self._required = {}

    def choice(self, choices, text):
        if choices not in self._choices:
            known = {}
            for language in file_columns.languages():
                with translation.override(language):
                    for value, label in choices.choices:
                        known.setdefault(fold(str(label)), value)
            for value, _label in choices.choices:
                known.setdefault(fold(value), value)
            self._choices[choices] = known
        return self._choices[choices].get(fold(text))

    def lookup(self, name, text):
        return self.lookups[name].get(fold(text))

    def lookup_names(self, name):
        names = sorted({item.name for item in self.lookups[name].values()})
        return ", ".join(names[:20]) + (" …" if len(names) > 20 else "")

    def office(self, text):
        return self.offices.get(fold(text))

    def officer(self, office, text):
        """The active credit officer of ``office`` or an office above it with this name, or None."""
        if office.pk not in self._officers:
            found = {}
            for staff in Staff.objects.serving(office):
                for key in (fold(staff.display_name), fold(f"{staff.last_name} {staff.first_name}")):
                    found.setdefault(key, staff)
                if staff.external_id:
                    found.setdefault(fold(staff.external_id), staff)
            self._officers[office.pk] = (found, {})
        found, by_text = self._officers[office.pk]
        staff = by_text.get(text, _MISSING)  # a file writes an officer's name the same way on many rows
        if staff is _MISSING:
            staff = found.get(fold(text))
            if len(by_text) < MEMO_SIZE:
                by_text[text] = staff
        return staff

    def required_identifications_error(self, client, identifications):
        """``registration.check_required_identifications``, asked once per kind of row (legal form and
        the types it holds): its answer depends on nothing else, as a file's identifications carry no
        expiry date."""
        key = (client.legal_form, frozenset(i.document_type_id for i in identifications if i.is_active))
        if key not in self._required:
            try:
                registration.check_required_identifications(
                    client, identifications, required_types=self.required_types
                )
                self._required[key] = None
            except ValidationError as error:
                self._required[key] = " ".join(error.messages)
        return self._required[key]


# --- A checked row ------------------------------------------------------------------------------------------


@dataclass
class Row:
    line: int
    cells: list
    client: Client = None
    identifications: list = field(default_factory=list)
    activate_on: datetime.date = None
    errors: list = field(default_factory=list)
    skipped: bool = False
    not_duplicate: bool = False  # the file says: a different client from any possible duplicate


class ClientImporter:
    """Checks and imports one file of clients for ``by`` into ``office`` (rows naming no office).

    ``run`` (an ImportRun) names the import in history; ``on_progress(rows_done)`` is called
    after each batch. ``write=False`` checks only: the preview.
    """

    def __init__(self, *, by, office, run=None, on_progress=None, batch_size=BATCH_SIZE):
        if not covers(by, office):
            raise PermissionDenied(_("You may import clients only into the offices you work for."))
        self.by = by
        self.default_office = office
        self.run = run
        self.on_progress = on_progress
        self.batch_size = batch_size
        self.columns = file_columns.by_key()

    # --- the whole file ---------------------------------------------------------------------------

    def check(self, stream, file_name):
        """Check every row and write nothing: the preview."""
        return self._process(stream, file_name, write=False)

    def import_file(self, stream, file_name):
        """Check and write every row, or none when one is refused."""
        return self._process(stream, file_name, write=True)

    def _process(self, stream, file_name, *, write):
        with contextlib.closing(read_rows(stream, file_name)) as rows:
            return self._process_rows(rows, write=write)

    def _process_rows(self, rows, *, write):
        self.context = Context(by=self.by)
        result = ImportResult()
        self.writer = BulkWriter(binary=True)
        loading = self._loading(rows, write=write)
        header_line, self.keys, self.headers, ignored = self._header(rows)
        result.errors.extend(self._ignored(header_line, ignored))
        self.excel = rows.sheet is not None
        self.readers = [
            (position, key, self.columns[key], {}) for position, key in enumerate(self.keys) if key
        ]
        # (key, attribute, foreign key or None) of the columns that fill a client's attribute.
        self.assigned = [
            (key, column.attribute, _foreign_key(Client, column.attribute))
            for _position, key, column, _memo in self.readers
            if column.attribute is not None
        ]
        self.blank_client = Blank(Client, created_by=self.by, updated_by=self.by)
        self.blank_identification = Blank(Identification, is_active=True)
        self.valid_values = {}  # per model: (name, attname, the values seen valid) of its fields
        self.now = timezone.now()
        self.reason = _("import %(run)s") % {"run": self.run.pk if self.run else "-"}
        self.written = WrittenIds()  # of the clients this import writes; the others are registered
        try:
            # The rules and today's date are read once: Client.clean() asks for them on every row.
            # Each query is planned for the table as it is now: a plan kept from the first batches,
            # made for a nearly empty table, scanned it whole once it held a hundred thousand rows.
            with ClientRules.kept(), today_kept(), transaction.atomic(), loading, custom_plans():
                self.seen = SeenKeys()
                batch = []
                for line, cells in rows:
                    if not "".join(cells).strip():
                        continue  # a blank line
                    batch.append(Row(line, cells))
                    if len(batch) == self.batch_size:
                        self._batch(batch, result, write=write)
                        batch = []
                if batch:
                    self._batch(batch, result, write=write)
                self.seen.drop()
                if not (write and result.ok):
                    raise _Rollback
                result.written = True
        except _Rollback:
            pass
        return result

    def _loading(self, rows, *, write):
        """A large file, CSV or Excel, into small tables (a portfolio migrated) is loaded with their
        indexes built once at the end (``BulkWriter.loading``); the indexes the duplicate checks read
        stay. Large by the rows that hold a value, counted: not by a sheet's declared size or a CSV
        file's lines, which count the empty rows of a format or blank lines."""
        if not (write and self.writer.copies):
            return contextlib.nullcontext()
        rows_added = rows.count(DEFERRED_INDEX_THRESHOLD + 1) - 1  # the header is not a client
        if rows_added < DEFERRED_INDEX_THRESHOLD:
            return contextlib.nullcontext()
        rows_there = Client.objects.count()
        if rows_there > rows_added:
            rows_added = rows.count(rows_there + 1) - 1
        return self.writer.loading(
            [table.model for table in self._tables().values()],
            rows_added=rows_added,
            rows_there=rows_there,
            keep_indexes=[
                *(index.name for index in Identification._meta.indexes),
                *DUPLICATE_INDEXES,
            ],
        )

    def _header(self, rows):
        """The first line that holds a value: its number, the key of each column (None for a column not
        read), its headers, and those of the columns not read (``columns.header_keys``)."""
        for line, cells in rows:
            if any(cell.strip() for cell in cells):
                headers = [unquote(cell) for cell in cells]
                keys, ignored = file_columns.header_keys(headers)
                if not any(keys):
                    example = ", ".join(str(c.label) for c in list(self.columns.values())[7:10])
                    if rows.several_sheets:
                        message = _(
                            "The first line of the sheet %(sheet)s, the one read (the sheet named "
                            "%(clients)s, else the first), must name the columns, as in the template "
                            "(for example %(example)s)."
                        )
                        raise FileError(
                            message % {"sheet": rows.sheet, "clients": _("Clients"), "example": example}
                        )
                    raise FileError(
                        _(
                            "The first line must name the columns, as in the template "
                            "(for example %(example)s)."
                        )
                        % {"example": example}
                    )
                _refuse_repeated(keys, headers)
                return line, keys, headers, ignored
        raise FileError(_("The file is empty."))

    def _ignored(self, line, ignored):
        """A warning on the header's line for each column the import does not read: without a word, its
        cells (phones, offices, statuses, groups) would be lost. The column our errors file adds is
        expected, and passed over."""
        errors_column = set()
        for language in file_columns.languages():
            with translation.override(language):
                errors_column.add(fold_label(_("Errors")))
        warnings = []
        for _position, header, column in ignored:
            if column is not None:
                message = _(
                    "The export writes this column; the import does not read it: its cells are ignored."
                )
            elif fold_label(header) in errors_column:
                continue
            else:
                message = _("The import does not know this column: its cells are ignored.")
                close = file_columns.close_header(header)
                if close is not None:
                    message = f"{message} {_('Did you mean %(column)s?') % {'column': close}}"
            warnings.append(RowError(line, file_columns.shown(header), "", message, warning=True))
        return warnings

    def _batch(self, batch, result, *, write):
        for row in batch:
            self._check_row(row)
        self.writer.drain()  # the earlier batches' COPYs, before SeenKeys uses the raw connection
        with _index_lookups():
            self._check_uniques(batch)
            self._check_possible_duplicates(batch)
        for row in batch:
            result.rows += 1
            if row.errors:
                result.refused += 1
                for error in row.errors:
                    if len(result.errors) < MAX_ERRORS:
                        result.errors.append(error)
            elif row.skipped:
                result.skipped += 1
            else:
                result.created += 1
        if write and result.ok:
            self._write([row for row in batch if not row.skipped])
        if self.on_progress is not None:
            self.on_progress(result.rows)

    # --- one row ----------------------------------------------------------------------------------

    def _error(self, row, key, message, value=None):
        header = ""
        if key is not None:
            position = self.keys.index(key) if key in self.keys else None
            header = self.headers[position] if position is not None else str(self.columns[key].label)
            if value is None and position is not None and position < len(row.cells):
                value = row.cells[position]
            if any(error.column == header for error in row.errors):
                return  # a cell's first problem: the rules that follow may only repeat it
        row.errors.append(RowError(row.line, header, file_columns.shown((value or "").strip()), str(message)))

    def _check_row(self, row):
        values = {}
        cells, count = row.cells, len(row.cells)
        for position, key, column, memo in self.readers:
            cell = cells[position] if position < count else ""
            if self.excel and column.kind == "date":
                try:  # before the memo: a number cell and a text cell of the same digits differ
                    cell = excel_date(cell, self.context.date_formats)
                except file_columns.CellError as error:
                    self._error(row, key, error)
                    continue
            value = memo.get(cell, _MISSING)
            if value is not _MISSING:
                values[key] = value
                continue
            text = unquote(cell)
            try:
                value = column.read(text, self.context)
            except file_columns.CellError as error:
                self._error(row, key, error)
                continue
            if len(memo) < MEMO_SIZE:
                memo[cell] = value
            values[key] = value
        # The row's other rules still run with the cells that could be read, so that the clerk sees
        # every problem of the row at once; the cells in error are left out of them.
        unread = {key for _position, key, _column, _memo in self.readers if key not in values}
        if row.errors and "office" in unread:
            return  # every other rule depends on the office
        row.not_duplicate = values.get("not_duplicate") == YesNo.YES
        office = values.get("office") or self.default_office
        client = self.blank_client()  # made by, and written by, the importing user
        relate(client, _OFFICE, office)
        for key, attribute, relation in self.assigned:
            if key in unread:
                continue
            if relation is None:
                setattr(client, attribute, values[key])
            else:
                relate(client, relation, values[key])
        client.legal_form = client.legal_form or LegalForm.INDIVIDUAL
        client.submitted_on = values.get("submitted_on") or today()
        client.external_id = client.external_id or None
        client.registration_number_normalized = client.compose_registration_number()
        staff = None
        if values.get("officer"):
            staff = self.context.officer(office, values["officer"])
            if staff is None:
                self._error(
                    row,
                    "officer",
                    _("Not an active credit officer of %(office)s or of an office above it.")
                    % {"office": office},
                )
        # The officer is set after the checks: it was checked against its office just above, once
        # per office, and Client.clean() would ask the database again.
        try:
            self._full_clean(client, _NOT_CHECKED_AGAIN)
        except ValidationError as error:
            self._validation_errors(row, error, self._client_key)
        relate(client, _STAFF, staff)
        row.client = client
        self._check_identifications(row, values)
        self._check_status(row, values)

    def _full_clean(self, instance, exclude):
        """``instance.full_clean()``, without checking again a field's value that passed its field
        checks on an earlier row: those (length, choices, email and number formats) depend on the
        value alone, and a file repeats its names, places and dates. ``clean()``, the rules across
        fields, runs on every row."""
        skip = set(exclude)
        fresh = []
        values = vars(instance)
        memo = self.valid_values.get(type(instance))
        if memo is None:
            memo = self.valid_values[type(instance)] = [
                (name, attname, set()) for name, attname in _memo_fields(type(instance), exclude)
            ]
        for name, attname, valid in memo:
            value = values[attname]
            if value is None or value == "":
                continue  # empty values are not checked by Django; required ones by clean_fields
            kind = value.__class__
            # A Decimal's places count (12.50 and 12.500 are equal); a bool is not the int it equals.
            key = value if kind is str else (kind, str(value) if kind is Decimal else value)
            if key in valid:
                skip.add(name)
            elif len(valid) < MEMO_SIZE:
                fresh.append((valid, name, key))
        failed = ()
        try:
            instance.full_clean(exclude=skip, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            failed = error.message_dict
            raise
        finally:
            for valid, name, key in fresh:
                if name not in failed:
                    valid.add(key)

    def _client_key(self, name):
        if name in ("submitted_on", "office"):
            return name
        if name == "staff":
            return "officer"
        for column in self.columns.values():
            if column.attribute == name:
                return column.key
        return None

    def _validation_errors(self, row, error, key_of):
        for name, messages in error.message_dict.items():
            for message in messages:
                self._error(row, key_of(name), message)

    def _check_identifications(self, row, values):
        for index in range(1, file_columns.IDENTIFICATIONS + 1):
            type_key, number_key = f"id{index}_type", f"id{index}_number"
            document_type, number = values.get(type_key), values.get(number_key) or ""
            if document_type is None and not number:
                continue
            if document_type is None:
                self._error(row, type_key, _("Choose the type of this identification."))
                continue
            if not number:
                self._error(row, number_key, _("Enter the number of this identification."))
                continue
            identification = self.blank_identification()
            relate(identification, _DOCUMENT_TYPE, document_type)
            identification.number = number
            try:
                self._full_clean(identification, ("client", "document_type", "number_normalized"))
                registration.check_one_active_per_type(identification, listed=row.identifications)
            except ValidationError as error:
                keys = {"document_type": type_key, "is_active": type_key}
                self._validation_errors(row, error, lambda name, keys=keys, n=number_key: keys.get(name, n))
                continue
            row.identifications.append(identification)
        if not row.errors:
            message = self.context.required_identifications_error(row.client, row.identifications)
            if message:
                self._error(row, None, message)

    def _check_status(self, row, values):
        status = values.get("status") or ClientStatus.PENDING
        if status not in file_columns.IMPORT_STATUSES:
            self._error(row, "status", _("A client is imported as Pending or Active."))
            return
        activate_on = values.get("activated_on")
        if status == ClientStatus.ACTIVE and activate_on is None:
            self._error(row, "activated_on", _("Enter the activation date of an Active client."))
            return
        if status == ClientStatus.PENDING and activate_on is not None:
            self._error(row, "activated_on", _("A Pending client has no activation date; write Active."))
            return
        if row.errors:
            return
        row.activate_on = activate_on if status == ClientStatus.ACTIVE else None
        try:
            lifecycle.check_opening(
                row.client,
                by=self.by,
                activate_on=row.activate_on,
                identifications=row.identifications,
                rules=self.context.rules,
                required_types=self.context.required_types,
            )
        except lifecycle.TransitionError as error:
            if row.activate_on is None:
                key = "submitted_on"
            else:  # a date of the activation, or a rule that forbids it (four-eyes, identifications)
                key = "activated_on" if error.field == "on" else "status"
            self._error(row, key, error.message)

    # --- a batch: duplicates and what is there already --------------------------------------------------

    def _check_uniques(self, batch):
        """Duplicates, a batch at a time: a key met on an earlier line of the file is an error; a row
        whose keys are registered (before this import) is skipped if it is the client holding them,
        and refused if one belongs to another. A few queries, whatever the batch's size: the keys seen
        so far, the external ids and the numbers registered, and the clients holding them, if any."""
        # A row with errors is looked up too: a client registered already is skipped before any other
        # rule (our own export imported again may hold rows the rules of today would refuse).
        checked = [row for row in batch if row.client is not None]
        keyed = []
        for row in checked:
            keys = []
            if row.client.external_id:
                keys.append(("external_id", _external_id_key(row.client.external_id)))
            for index, identification in enumerate(row.identifications, start=1):
                if identification.document_type.is_unique:
                    keys.append((f"id{index}_number", _number_key(identification)))
            if row.client.registration_number_normalized:
                keys.append(
                    ("registration_number", _registration_key(row.client.registration_number_normalized))
                )
            keyed.append((row, keys))
        earlier, registered = self._known([key for _row, keys in keyed for _name, key in keys], checked)
        holders = self._holders(set(registered.values()))
        met = {}
        taken = []  # (row, column, client holding its number)
        for row, keys in keyed:
            if row.errors:
                held = {name: registered[key] for name, key in keys if key in registered}
                if held and not self._others(row, held, holders):
                    row.errors, row.skipped = [], True
                continue
            held = {}  # column: the id of the client registered with its key
            for name, key in keys:
                first = earlier.get(key) or met.get(key)
                if first is not None:
                    self._error(row, name, self._repeated(row, name, first))
                elif key in registered:
                    held[name] = registered[key]
                else:
                    met[key] = row.line
            if row.errors or not held:
                continue
            others = self._others(row, held, holders)
            taken.extend((row, name, holders[holder_id]) for name, holder_id in others)
            row.skipped = not others
        self._refuse_taken(taken)
        self.seen.add(met)

    def _repeated(self, row, name, line):
        if name == "external_id":
            return _("This external id is also on line %(line)d.") % {"line": line}
        if name == "registration_number":
            return _("This registration number is also on line %(line)d.") % {"line": line}
        document_type = row.identifications[int(name[2]) - 1].document_type
        return _("This %(type)s number is also on line %(line)d.") % {"type": document_type, "line": line}

    def _others(self, row, held, holders):
        """(column, holder id) of the keys of ``row`` registered to another client than the one the
        row is: the one with its external id, or else each key's holder, if it is the same client."""
        by_external_id = held.get("external_id")
        return [
            (name, holder_id)
            for name, holder_id in held.items()
            if name != "external_id"
            and holder_id in holders  # else removed since it was read: the number is free
            and (
                holder_id != by_external_id
                if by_external_id is not None
                else not registration.same_client(row.client, holders[holder_id])
            )
        ]

    def _refuse_taken(self, taken):
        """An error for each number another client holds, naming that client as the form does (only
        if the user may see it): one query for the lot."""
        if not taken:
            return
        ids = {holder.pk for _row, _name, holder in taken}
        visible = set(Client.objects.visible_to(self.by).filter(pk__in=ids).values_list("pk", flat=True))
        for row, name, holder in taken:
            named = str(holder) if holder.pk in visible else None
            if name == "registration_number":
                message = registration.registration_number_taken(named)
            else:
                document_type = row.identifications[int(name[2]) - 1].document_type
                message = registration.identification_taken(document_type, named)
            self._error(row, name, message)

    def _known(self, keys, checked):
        """The first lines of ``keys`` met before in the file, and {key: id of the client holding it}
        of the keys already registered."""
        earlier = self.seen.lines(keys)
        external_ids = [row.client.external_id for row in checked if row.client.external_id]
        registered = {
            _external_id_key(key): holder
            for key, holder in _registered(Client, "external_id", external_ids).items()
        }
        numbers = {row.client.registration_number_normalized for row in checked} - {None}
        for number, holder in _registered(Client, "registration_number_normalized", numbers).items():
            registered[_registration_key(number)] = holder
        wanted = {}
        for row in checked:
            for identification in row.identifications:
                if identification.document_type.is_unique:
                    wanted.setdefault(identification.document_type_id, set()).add(
                        identification.number_normalized
                    )
        for type_id, numbers in wanted.items():
            held = _registered(
                Identification, "number_normalized", numbers, holder="client_id", document_type_id=type_id
            )
            registered.update(
                (_number_key_of(type_id, number), client_id) for number, client_id in held.items()
            )
        return earlier, registered

    def _holders(self, ids):
        """{id: client} of the clients registered with a key of the batch, with what the duplicate
        check compares and the error names."""
        if not ids:
            return {}
        fields = ["external_id", "legal_form", "search_name", "date_of_birth", "display_name", "account_no"]
        return Client.objects.only(*fields).in_bulk(list(ids))

    # --- a batch: possible duplicates ---------------------------------------------------------------------

    def _check_possible_duplicates(self, batch):
        """Possible duplicates, as the registration form finds them (``registration.duplicate_keys``: a
        person's name and date of birth, a business's name, a phone), a batch at a time. The form
        warns and saves only once the clerk confirms; a file confirms a row in its column "Not a
        duplicate". A new client's row that shares one with a client registered (before this import or
        while it runs), or with an earlier line of the file, and does not say so, is an error on its line
        naming that client (if the user may see it) or that line. A few queries whatever the batch's
        size: the keys met so far, the clients registered with the batch's keys (one query a kind), their
        names."""
        keyed = []  # (row, [(kind, value, key as the seen keys hold it)]) of the rows of new clients
        for row in batch:
            if not row.errors and not row.skipped:
                keys = registration.duplicate_keys(row.client)
                keyed.append((row, [(kind, value, _duplicate_key(kind, value)) for kind, value in keys]))
        earlier = self.seen.lines([key for _row, keys in keyed for _kind, _value, key in keys])
        wanted = {}  # kind: the values asked of the clients registered
        for row, keys in keyed:
            for kind, value, _key in keys if not row.not_duplicate else ():
                wanted.setdefault(kind, set()).add(value)
        registered = {
            (kind, value): holder
            for kind, values in wanted.items()
            for value, holder in _duplicates_registered(kind, values, leaving=self.written).items()
        }
        names = self._visible_names(set(registered.values()))
        met = {}
        for row, keys in keyed:
            found = {}  # ("line", number) or ("client", id): the first kind of duplicate it is
            for kind, value, key in keys:
                line = earlier.get(key) or met.get(key)
                if line is None:
                    met[key] = row.line  # a confirmed row too: a later one is compared with it
                elif not row.not_duplicate:
                    found.setdefault(("line", line), kind)
                holder = registered.get((kind, value))
                if holder is not None:
                    found.setdefault(("client", holder), kind)
            if found:
                self._error(row, "not_duplicate", self._possible_duplicate(found, names))
        self.seen.add(met)

    def _possible_duplicate(self, found, names):
        """The error of a row with possible duplicates ``found``, worded as the form's warning."""
        reasons = []
        for (where, which), kind in found.items():
            if where == "line":
                reasons.append(registration.duplicate_message(kind, line=which))
            else:
                reasons.append(registration.duplicate_message(kind, client=names.get(which)))
        if "not_duplicate" in self.keys:
            column = self.headers[self.keys.index("not_duplicate")]
            confirm = _("If this is a different client, write %(yes)s in the column %(column)s.")
        else:
            column = self.columns["not_duplicate"].header()
            confirm = _("If this is a different client, add the column %(column)s and write %(yes)s in it.")
        return " ".join([*reasons, confirm % {"yes": YesNo.YES.label, "column": column}])

    def _visible_names(self, ids):
        """{id: client} of those of ``ids`` the user may see (a message names only those): one query."""
        if not ids:
            return {}
        visible = Client.objects.visible_to(self.by).filter(pk__in=ids)
        return visible.only("display_name", "account_no").in_bulk()

    # --- writing ---------------------------------------------------------------------------------------

    def _write(self, rows):
        if not rows:
            return
        by_office = {}
        for row in rows:
            by_office.setdefault(row.client.office_id, []).append(row)
        for office_rows in by_office.values():
            numbers = reserve_client_numbers(
                office_rows[0].client.office, len(office_rows), rules=self.context.rules
            )
            for row, number in zip(office_rows, numbers, strict=True):
                row.client.account_no = number
        client_ids = self.writer.reserve_ids(Client, len(rows))
        self.written.add(client_ids)
        identifications = [identification for row in rows for identification in row.identifications]
        identification_ids = iter(self.writer.reserve_ids(Identification, len(identifications)))
        tables = self._tables()
        out = {name: [] for name in tables}
        user_id = self.by.pk if self.by else None
        history = {
            "history_date": self.now,
            "history_change_reason": self.reason,
            "history_type": "+",
            "history_user_id": user_id,
        }
        for row, client_id in zip(rows, client_ids, strict=True):
            client = row.client
            client.pk = client_id
            events, assignments = lifecycle.opening_records(client, by=self.by, activate_on=row.activate_on)
            client.display_name = client.compose_display_name()
            client.search_name = client.compose_search_name()
            client.created_at = client.updated_at = self.now
            values = tables["client"].row_of(client)
            out["client"].append(values)
            out["client_history"].append(tables["client_history"].row_from(tables["client"], values, history))
            for identification in row.identifications:
                identification.pk = next(identification_ids)
                identification.client_id = client_id
                values = tables["identification"].row_of(identification)
                out["identification"].append(values)
                out["identification_history"].append(
                    tables["identification_history"].row_from(tables["identification"], values, history)
                )
            for event in events:  # its choices as their enum members: binary COPY writes their text
                event["created_at"] = self.now
                out["event"].append(tables["event"].row(event))
            for assignment in assignments:
                out["assignment"].append(tables["assignment"].row(assignment))
        for name, table in tables.items():
            self.writer.write(table, out[name])

    def _tables(self):
        if not hasattr(self, "_table_cache"):
            self._table_cache = {
                "client": Table(Client, with_id=True),
                "client_history": Table(Client.history.model),
                "identification": Table(Identification, with_id=True),
                "identification_history": Table(Identification.history.model),
                "event": Table(ClientEvent),
                "assignment": Table(OfficerAssignment),
            }
        return self._table_cache


_OFFICE = Client._meta.get_field("office")
_STAFF = Client._meta.get_field("staff")
_DOCUMENT_TYPE = Identification._meta.get_field("document_type")


def _foreign_key(model, name):
    model_field = model._meta.get_field(name)
    return model_field if model_field.many_to_one else None


@functools.cache
def _memo_fields(model, exclude):
    """(name, attname) of the fields whose check ``_full_clean`` may skip for a value seen valid: not
    the relations (their check is a query, excluded anyway) and not the excluded ones."""
    return [
        (model_field.name, model_field.attname)
        for model_field in model._meta.fields
        if not model_field.is_relation and model_field.name not in exclude
    ]


@contextlib.contextmanager
def _index_lookups():
    """PostgreSQL plans the duplicate check's lookups as index scans. Its statistics of the tables an
    import fills (and of the temporary table of keys, which has none) lag behind, and it planned
    them as scans of every row (or of every number of a type), each batch longer than the last.
    Forced plans need no fresh statistics (analyzing the tables as they grew took a second each
    time at a million rows); a large load analyzes its tables once, at its end."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off")
        yield  # on an error the transaction's rollback undoes the SET LOCAL
        cursor.execute("RESET enable_seqscan; RESET enable_bitmapscan")


def _registered(model, column, keys, *, holder="id", **equal):
    """{key: the row's ``holder`` column} of those of ``keys`` in ``column`` of the rows of ``model``
    with the ``equal`` values (the smallest, if several rows hold a key). One array parameter on
    PostgreSQL: Django prepares each of a list's two thousand values one by one."""
    if not keys:
        return {}
    if connection.vendor != "postgresql":
        queryset = model.objects.filter(**{f"{column}__in": keys, f"{column}__isnull": False}, **equal)
        queryset = queryset.order_by()
        return _first_holders(queryset.values_list(column, holder))
    quote = connection.ops.quote_name
    # Not null, in words too: a partial index of the values there are may serve it.
    conditions = [
        f"{quote(column)} = ANY(%s::text[])",
        f"{quote(column)} IS NOT NULL",
        *(f"{quote(name)} = %s" for name in equal),
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(column)}, {quote(holder)} FROM {quote(model._meta.db_table)} "
            f"WHERE {' AND '.join(conditions)}",
            [list(keys), *equal.values()],
        )
        return _first_holders(cursor.fetchall())


def _first_holders(rows, *, leaving=()):
    found = {}
    for key, holder in rows:
        if holder not in leaving:
            found[key] = min(found.get(key, holder), holder)
    return found


class WrittenIds:
    """The ids of the clients an import wrote, as runs of ids that follow one another: others register
    clients while it runs, and the sequence gives them ids between its batches' (``reserve_ids``)."""

    def __init__(self):
        self.firsts, self.lasts = [], []

    def add(self, ids):
        """Note ``ids``, in increasing order and above those noted before."""
        for value in ids:
            if self.lasts and value == self.lasts[-1] + 1:
                self.lasts[-1] = value
            else:
                self.firsts.append(value)
                self.lasts.append(value)

    def __contains__(self, value):
        index = bisect.bisect_right(self.firsts, value) - 1
        return index >= 0 and value <= self.lasts[index]


def _external_id_key(external_id):
    return f"e:{external_id}"


def _number_key_of(type_id, number_normalized):
    return f"n:{type_id}:{number_normalized}"


def _number_key(identification):
    return _number_key_of(identification.document_type_id, identification.number_normalized)


def _registration_key(number_normalized):
    return f"r:{number_normalized}"


def _duplicate_key(kind, value):
    """A possible duplicate's key (``registration.duplicate_keys``) as the file's seen keys hold it."""
    if kind == registration.SAME_PERSON:
        born, name = value
        return f"d:{kind}:{born.isoformat()}:{name}"
    return f"d:{kind}:{value}"


def _duplicates_registered(kind, values, *, leaving=()):
    """{value: id of the client registered with it (the smallest)} of those of ``values`` of ``kind``
    (``registration.duplicate_keys``), compared as ``registration.possible_duplicates`` compares them;
    ``leaving``: the ids this import wrote, whose clients are the file's, not registered. One query,
    through the index of each kind; array parameters on PostgreSQL."""
    if not values:
        return {}
    if connection.vendor != "postgresql":
        clients = Client.objects.order_by()
        if kind == registration.SAME_PERSON:
            born, named = {day for day, _name in values}, {name for _day, name in values}
            rows = clients.filter(date_of_birth__in=born, search_name__in=named)
            rows = rows.values_list("date_of_birth", "search_name", "pk")
            rows = (((day, name), pk) for day, name, pk in rows if (day, name) in values)
            return _first_holders(rows, leaving=leaving)
        if kind == registration.SAME_BUSINESS:
            rows = clients.filter(search_name__in=values, legal_form=LegalForm.CORPORATE)
            return _first_holders(rows.values_list("search_name", "pk"), leaving=leaving)
        rows = clients.filter(mobile_phone__in=values).values_list("mobile_phone", "pk")
        return _first_holders(rows, leaving=leaving)
    values = list(values)
    table = "clients_client client"
    if kind == registration.SAME_PERSON:
        columns = "client.date_of_birth, client.search_name"
        table += (
            " JOIN unnest(%s::date[], %s::text[]) AS wanted (born, name)"
            " ON client.date_of_birth = wanted.born AND client.search_name = wanted.name"
        )
        conditions, params = [], [[day for day, _name in values], [name for _day, name in values]]
    elif kind == registration.SAME_BUSINESS:
        # Through the list's sort index: names compared byte by byte, as possible_duplicates does.
        columns = "client.search_name"
        conditions = ['(client.search_name COLLATE "C") = ANY(%s::text[])', "client.legal_form = %s"]
        params = [values, LegalForm.CORPORATE.value]
    else:
        columns = "client.mobile_phone"
        conditions, params = ["client.mobile_phone = ANY(%s::text[])"], [values]
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}, client.id FROM {table}{where}", params)
        rows = cursor.fetchall()
    if kind == registration.SAME_PERSON:
        rows = (((day, name), pk) for day, name, pk in rows)
    return _first_holders(rows, leaving=leaving)


class SeenKeys:
    """The external ids and unique identification numbers met so far in a file, with their first line,
    in a temporary table rather than in memory: a million rows' keys took 370 MB as Python dicts.
    It lives in the import's transaction, which drops it (``drop`` on the way out; a rollback too)."""

    def __init__(self):
        self.table = connection.ops.quote_name(f"import_seen_{secrets.token_hex(6)}")
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} (key text PRIMARY KEY, line integer NOT NULL)"
            )

    def lines(self, keys):
        """{key: its first line} of those of ``keys`` met before."""
        found = {}
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT key, line FROM {self.table} WHERE key = ANY(%s)", [list(keys)])
                found.update(cursor.fetchall())
                return found
            for start in range(0, len(keys), 500):  # within SQLite's limit of parameters
                chunk = keys[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"SELECT key, line FROM {self.table} WHERE key IN ({marks})", chunk)
                found.update(cursor.fetchall())
        return found

    def add(self, lines):
        """Remember ``lines``, {key: line}, none of which is there yet."""
        if not lines:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} (key, line) FROM STDIN") as copy:
                    for item in lines.items():
                        copy.write_row(item)
            else:
                cursor.executemany(
                    f"INSERT INTO {self.table} (key, line) VALUES (%s, %s)", list(lines.items())
                )

    def drop(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {self.table}")


def _refuse_repeated(keys, headers):
    """A column named twice is refused: one of its cells would be lost, and the clerk not know which."""
    positions = {}
    for position, key in enumerate(keys):
        if key is not None:
            positions.setdefault(key, []).append(position)
    for found in positions.values():
        if len(found) > 1:
            from openpyxl.utils import get_column_letter

            raise FileError(
                _(
                    "The first line names the column %(column)s more than once (columns %(letters)s): "
                    "keep one."
                )
                % {
                    "column": headers[found[0]],
                    "letters": ", ".join(get_column_letter(position + 1) for position in found),
                }
            )


class _Rollback(Exception):
    """Leaves the import's transaction without writing (a preview, or a refused row)."""


# --- The file again, with its errors -------------------------------------------------------------------


def rows_with_errors(stream, file_name, errors):
    """The rows of the original file with an "Errors" column added (header first), for a clerk to fix
    and upload again. ``errors`` are RowError dicts as an ImportRun keeps them."""
    by_line = {}
    for error in errors:
        text = f"{error['column']}: {error['message']}" if error["column"] else error["message"]
        by_line.setdefault(error["line"], []).append(text)
    header_done = False
    with contextlib.closing(read_rows(stream, file_name)) as rows:
        for line, cells in rows:
            if not header_done:
                if any(cell.strip() for cell in cells):
                    header_done = True
                    yield [*cells, _("Errors")]
                continue
            if not any(cell.strip() for cell in cells):
                continue
            cells = [cell.number() if cell.__class__ is ExcelNumber else cell for cell in cells]
            yield [*cells, " ".join(by_line.get(line, []))]


def template_lists(by):
    """What the template's Lists sheet offers: active lookup names and the user's offices."""
    lists = {
        name: list(model.objects.active().values_list("name", flat=True))
        for name, model in LOOKUP_MODELS.items()
    }
    lists["office"] = list(Office.objects.visible_to(by).order_by("path").values_list("name", flat=True))
    return lists
