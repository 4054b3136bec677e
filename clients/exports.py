"""Exporting clients to CSV and Excel: what the client list shows, every column, memory flat.

The rows are the client list's own (``ClientFilterSet(...).qs``: its search, filters, order and
scoping), so what a user sees is what they export. They are read with a server-side cursor in
batches; each batch fetches its identifications and groups in one query each. CSV is streamed as
it is produced; XLSX is written by openpyxl in write-only mode to a temporary file.

Cells are safe to open in Excel and LibreOffice: in CSV a text a spreadsheet would run as a formula
gets a leading quote (``mifos.csvcells``: a phone number ``+254...`` is left as it is); in XLSX every
text is stored as a string, never as a formula, and a character XLSX cannot hold (a control character)
is replaced (``xlsx_text``).

CSV is the file for programs and for the import: comma-separated, ``.`` decimals and ISO dates in
every language, UTF-8 with a byte-order mark. A spreadsheet set to a language whose list separator
is ``;`` (French, Spanish) opens it with each row in one column and numbers as text, so the XLSX
file is the one for Excel: its header is frozen, its columns have widths, its sheet is named in the
user's language, and numbers, dates and phone numbers keep their types whatever the language.
"""

import csv
import datetime
import os
import re
import tempfile
from decimal import Decimal
from operator import itemgetter
from types import SimpleNamespace

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from mifos import csvcells
from mifos.bulk import in_ids

from . import columns as file_columns
from . import extensions
from .filters import ClientFilterSet
from .models import Client, Identification

BATCH_SIZE = 2000
BOM = csvcells.BOM
CSV_CONTENT_TYPE = csvcells.CONTENT_TYPE
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class InvalidFilters(Exception):
    """An export asked with filter values the list would leave out: the list marks them beside their
    fields, a file could not, and would hold more clients than were asked for."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items()))
        self.errors = errors


def client_queryset(data, user):
    """The client list's rows for ``data`` (its query string) as ``user`` sees them, and the filter set.

    Raises InvalidFilters when a filter value is invalid (``filterset.form.errors``). The list's
    "Transferred" clients are not exported: they left the user's offices, whose pages answer 404 for
    them, and their record is now their new office's, with what it wrote since.
    """
    filterset = ClientFilterSet(data, request=SimpleNamespace(user=user, GET=data))
    if filterset.form.errors:
        raise InvalidFilters(filterset.form.errors)
    if filterset.shows_transferred:
        return Client.objects.none(), filterset
    return filterset.qs, filterset


def filter_description(filterset):
    """The filter values a person chose, for the activity log, by the filter's name: stored as the
    code wrote them (a choice's code, ``no_phone``; a range of dates as its ISO ends, ``date_from``
    and ``date_until``; an office or an officer by name), which audit/details.py words in its
    reader's language."""
    described = {}
    for name, value in filterset.cleaned_data.items():
        if value in (None, "", []):
            continue
        words = _described(value)
        if words:
            described[name] = words
    return described


def _described(value):
    if isinstance(value, slice):  # a date range, each end a datetime in the active time zone
        ends = {"date_from": value.start, "date_until": value.stop}
        return {key: _day(end).isoformat() for key, end in ends.items() if end is not None}
    return str(value)


def _day(moment):
    return moment.date() if isinstance(moment, datetime.datetime) else moment


class ClientRows:
    """The export's rows: the header (in the active language), then one list of values per client.

    ``count`` is the number of clients written so far; ``on_batch(count)`` is called after each batch.
    """

    def __init__(self, queryset, *, batch_size=BATCH_SIZE, on_batch=None):
        self.on_batch = on_batch
        self.columns = file_columns.columns()
        self.queryset = queryset
        self.batch_size = batch_size
        self.count = 0
        self.paths = []
        for column in self.columns:
            self.paths.extend(column.source)
        self.width = len(self.columns)
        self._cell_plan = None

    def header(self):
        return [column.header() for column in self.columns]

    def __iter__(self):
        rows = self.queryset.values_list("pk", *self.paths).iterator(chunk_size=self.batch_size)
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == self.batch_size:
                yield from self._rows(batch)
                batch = []
        if batch:
            yield from self._rows(batch)

    def _rows(self, batch):
        ids = [row[0] for row in batch]
        identifications = {}
        documents = (
            Identification.objects.filter(in_ids("client_id", ids), is_active=True)
            .order_by("client_id", "document_type__position", "id")
            .values_list("client_id", "document_type__name", "number")
        )
        for client_id, type_name, number in documents:
            identifications.setdefault(client_id, []).append((type_name, number))
        groups = extensions.related_names("groups", ids)
        for row in batch:
            self.count += 1
            yield self._cells(row, identifications.get(row[0], ()), groups.get(row[0], ()))
        if self.on_batch is not None:
            self.on_batch(self.count)

    def _plan(self):
        """How the cells are made, worked out once. Columns read straight from the row are taken by
        one itemgetter (in C); the few others are then set by index: choice labels, joined names,
        groups, identifications. Empty cells stay None."""
        direct, labels, joined, identification = [], [], [], []
        groups = None
        position = 1
        for index, column in enumerate(self.columns):
            width = len(column.source)
            direct.append(position if width == 1 else 0)
            if width == 1 and column.kind == "choice":
                labels.append((index, {value: str(label) for value, label in column.choices.choices}))
            elif width > 1:
                joined.append((index, position, position + width))
            elif column.key == "groups":
                groups = index
            elif "identification" in column.extra:
                part = 0 if column.key.endswith("_type") else 1
                identification.append((index, column.extra["identification"] - 1, part))
            position += width
        return itemgetter(*direct), labels, joined, groups, identification

    def _cells(self, row, identifications, groups):
        if self._cell_plan is None:
            self._cell_plan = self._plan()
        direct, labels, joined, groups_at, identification = self._cell_plan
        cells = list(direct(row))
        for index, names in labels:
            cells[index] = names.get(cells[index], cells[index])
        for index, start, stop in joined:
            cells[index] = " ".join(part for part in row[start:stop] if part)
        if groups_at is not None:
            cells[groups_at] = "; ".join(groups)
        for index, held, part in identification:
            cells[index] = identifications[held][part] if held < len(identifications) else None
        return cells


# --- CSV ---------------------------------------------------------------------------------------------


class _Line:
    """A file-like object whose write() hands back what csv.writer wrote: one line at a time."""

    def write(self, value):
        return value


# Columns whose cells are never text: the CSV writer writes them as csv_cell() would.
_NOT_TEXT = frozenset({"date", "integer", "decimal"})


def csv_cell(value):
    if type(value) is str:
        return csvcells.safe_cell(value)
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return csvcells.safe_cell(value)


def csv_lines(rows, *, on_done=None):
    """The CSV text of ``rows`` (a ClientRows), line by line, starting with a BOM and the header."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow([csv_cell(value) for value in rows.header()])
    # Dates, whole numbers, amounts and None are written by the writer as csv_cell() would (None
    # as nothing, str() of the others); only the text cells are looked at, for formulas.
    text_at = [index for index, column in enumerate(rows.columns) if column.kind not in _NOT_TEXT]
    formula_first, needs_quote = csvcells.FORMULA_FIRST, csvcells.needs_quote
    for row in rows:
        for index in text_at:
            value = row[index]
            if value and value[0] in formula_first and needs_quote(value):
                row[index] = "'" + value
        yield writer.writerow(row)
    if on_done is not None:
        on_done(rows.count)


def write_csv(rows, stream):
    for line in csv_lines(rows):
        stream.write(line)
    return rows.count


# --- XLSX --------------------------------------------------------------------------------------------


# Widths in characters by the kind of column: a column is as wide as its header, at least this.
_XLSX_WIDTHS = {"date": 12, "integer": 8, "decimal": 14, "choice": 12}
_XLSX_TEXT_WIDTH = 16
_XLSX_MAX_WIDTH = 40


def write_xlsx(rows, path, *, sheet_title=None):
    """Write ``rows`` to an XLSX file at ``path`` in write-only mode; returns the number of clients.

    The sheet is named in the active language; its header row is bold and stays in view when
    scrolling; each column is as wide as its header or its kind of value needs (a write-only sheet
    cannot measure the values it streams)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title or _("Clients")))
    header = rows.header()
    for index, (column, title) in enumerate(zip(rows.columns, header, strict=True), start=1):
        width = max(len(title) + 2, _XLSX_WIDTHS.get(column.kind, _XLSX_TEXT_WIDTH))
        sheet.column_dimensions[get_column_letter(index)].width = min(width, _XLSX_MAX_WIDTH)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, xlsx_text(title))
        cell.data_type = "s"
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    workbook.save(path)
    return rows.count


def _sheet_title(title):
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    return "".join(" " if char in "[]:*?/\\" else char for char in str(title))[:31]


def xlsx_cell(sheet, value):
    """A value for a write-only sheet of openpyxl: text as ``xlsx_text`` makes it, and stored as a
    string where openpyxl would take it for a formula."""
    if not isinstance(value, str):
        return value
    value = xlsx_text(value)
    if value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


# What XML 1.0, and so an XLSX file, cannot hold: control characters but tab, line feed and carriage
# return (openpyxl refuses them), U+FFFE, U+FFFF and halves of UTF-16 pairs (openpyxl writes them into
# a file that Excel and openpyxl call corrupt).
_NOT_IN_XLSX = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REPLACEMENT_CHARACTER = "\ufffd"


def xlsx_text(text):
    """``text`` as an XLSX cell can hold it: each character it cannot (a vertical tab or a NUL pasted
    from another program) is replaced by U+FFFD, "�". One such record must not make the file of every
    client around it impossible to write, and the mark shows the reader where the character was; the
    CSV file keeps it as it is."""
    if text.isprintable() or _NOT_IN_XLSX.search(text) is None:  # printable: a quicker test, and enough
        return text
    return _NOT_IN_XLSX.sub(REPLACEMENT_CHARACTER, text)


def xlsx_file(rows):
    """``rows`` written to a temporary XLSX file, opened for reading; the file is gone once closed."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        write_xlsx(rows, path)
        stream = open(path, "rb")  # noqa: SIM115 -- the response closes it
    finally:
        os.unlink(path)  # the open stream keeps the data until it is closed
    return stream


def file_name(extension):
    return f"clients-{datetime.date.today().isoformat()}.{extension}"


def in_language(language, iterable):
    """Iterate ``iterable`` with ``language`` active: a streamed response runs after the view returns."""
    with translation.override(language):
        yield from iterable


# --- The import template -------------------------------------------------------------------------------


def template_csv():
    """The import template as CSV text: the header row of every column the import reads."""
    writer = csv.writer(_Line())
    return BOM + writer.writerow([column.header() for column in file_columns.import_columns()])


def template_xlsx(path, lists):
    """The import template as XLSX: the header, a help line per column as a comment, and a sheet of
    the allowed values of each lookup and choice column, which the column's cells are checked against.

    ``lists`` maps a column key to its allowed values (see ``allowed_values``).
    """
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Clients"))
    values_sheet = workbook.create_sheet(str(_("Lists")))
    list_column = 0
    for index, column in enumerate(file_columns.import_columns(), start=1):
        cell = _text_cell(sheet, 1, index, column.header())
        if column.help:
            cell.comment = Comment(str(column.help), "")
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.header()) + 2)
        allowed = lists.get(column.key)
        if not allowed:
            continue
        list_column += 1
        letter = get_column_letter(list_column)
        _text_cell(values_sheet, 1, list_column, column.header())
        for row, value in enumerate(allowed, start=2):
            _text_cell(values_sheet, row, list_column, value)
        validation = DataValidation(
            type="list",
            formula1=f"'{values_sheet.title}'!${letter}$2:${letter}${len(allowed) + 1}",
            allow_blank=True,
            showErrorMessage=False,  # a warning only: the import reads other spellings too
        )
        sheet.add_data_validation(validation)
        cell_letter = get_column_letter(index)
        validation.add(f"{cell_letter}2:{cell_letter}10000")
    workbook.save(path)


def _text_cell(sheet, row, column, text):
    """A cell of a workbook openpyxl keeps whole, holding ``text`` as a string: a lookup name an admin
    typed may hold what XLSX cannot, or start with "=" (see ``xlsx_cell``)."""
    cell = sheet.cell(row=row, column=column, value=xlsx_text(str(text)))
    cell.data_type = "s"
    return cell


def allowed_values(context_lists):
    """{column key: [allowed values]} of the template: choice labels and the active lookup names."""
    allowed = {}
    for column in file_columns.import_columns():
        if column.kind == "choice":
            allowed[column.key] = [str(label) for _value, label in column.allowed_choices()]
        elif column.kind == "lookup":
            allowed[column.key] = context_lists.get(column.lookup, [])
        elif column.kind == "office":
            allowed[column.key] = context_lists.get("office", [])
    return allowed
