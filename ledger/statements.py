"""An account's statement for the client, as CSV (for a spreadsheet) or PDF (to print and hand over).

Both read the same lines: the account's transactions in date order, with the balance after each,
optionally between two dates, with the opening balance carried in and the closing balance after.

The CSV is a data file (``mifos.csvcells``): ISO dates, ``.`` decimals, UTF-8 with a byte-order
mark, no cell a spreadsheet would run. The PDF is for a person: dates and amounts in the language's
format, and a text too long for its column wraps onto a second line rather than running over the next.
Its font is DejaVu Sans, shipped in ``ledger/fonts/`` with its licence: the PDF's built-in fonts know
Latin-1 only, and a holder's name or a receipt may hold any letter (œ, €, —, Vietnamese, Greek...).
"""

import csv
import io
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF

from mifos import csvcells
from mifos.today import today

from .models import Transaction

ZERO = Decimal("0.00")


@dataclass
class Statement:
    account: object
    date_from: object = None
    date_until: object = None

    @property
    def lines(self):
        rows = self.account.transactions.select_related("reverses").order_by("date", "id")
        if self.date_from:
            rows = rows.filter(date__gte=self.date_from)
        if self.date_until:
            rows = rows.filter(date__lte=self.date_until)
        return rows.iterator(chunk_size=2000)

    @property
    def opening_balance(self):
        if not self.date_from:
            return ZERO
        return self._balance_after(date__lt=self.date_from)

    @property
    def closing_balance(self):
        """The balance at the end of the period: after its last transaction, or as it opened."""
        if not self.date_until:
            return self._balance_after()
        return self._balance_after(date__lte=self.date_until)

    def _balance_after(self, **dates):
        last = (
            Transaction.objects.filter(account=self.account, **dates)
            .order_by("-date", "-id")
            .values_list("running_balance", flat=True)
            .first()
        )
        return ZERO if last is None else last

    @property
    def period(self):
        """(first day, last day) the statement covers: from the opening of the account to today
        unless dates were asked."""
        return self.date_from or self.account.opened_on, self.date_until or today()

    @property
    def owner(self):
        return self.account.owner

    def filename(self, extension):
        return f"statement-{self.account.number}-{today().isoformat()}.{extension}"


def describe(line, date=None):
    """What the transaction was; ``date`` writes the date of a reversed one (ISO by default)."""
    if line.reverses_id:
        return _("Reversal of %(kind)s of %(date)s") % {
            "kind": line.reverses.get_kind_display().lower(),
            "date": (date or _iso)(line.reverses.date),
        }
    return line.get_kind_display()


def _iso(value):
    return value.isoformat()


def as_csv(statement):
    """The statement as CSV text: a short heading, then one row per transaction."""
    buffer = io.StringIO()
    buffer.write(csvcells.BOM)
    writer = csv.writer(buffer)
    account = statement.account
    start, end = statement.period
    rows = [
        [_("Account"), account.number, str(account.product), account.product.currency],
        [_("Holder"), str(statement.owner)],
        [_("Period"), start.isoformat(), end.isoformat()],
        [_("Opening balance"), statement.opening_balance],
        [_("Closing balance"), statement.closing_balance],
        [_("Date"), _("Transaction"), _("Receipt"), _("Amount"), _("Balance")],
    ]
    for row in rows:
        writer.writerow(csvcells.safe_row(row))
    for line in statement.lines:
        writer.writerow(
            csvcells.safe_row(
                [line.date.isoformat(), describe(line), line.receipt, line.change, line.running_balance]
            )
        )
    return buffer.getvalue()


def _money(value):
    return formats.number_format(value, 2, force_grouping=True)


def _date(value):
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _labelled(label, value):
    # One sentence for the translators, who decide the colon's spacing ("Imprimé le : 12/03/2024").
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


# Column widths (mm, 180 in all on A4 with 15 mm margins), and which are right-aligned. On one line: an
# amount of nine digits and its decimals (in shillings or dong), and "Contre-passation : retrait du
# 10/03/2024"; a longer receipt wraps.
_WIDTHS = (20.5, 66.5, 35, 29, 29)
_RIGHT = (False, False, False, True, True)
_LINE_HEIGHT = 5

# Beside this module, so that they are found however the app is installed, and read from nothing else at
# run time. fpdf2 embeds only the letters a statement uses: a page weighs some 20 KB, not the 750 KB font.
FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"


_UNKNOWN = "\ufffd"  # the replacement character, a question mark in a black diamond


class _Document(FPDF):
    """A PDF that prints a letter its font lacks (Chinese, say) as ``_UNKNOWN``: fpdf2 would leave it out,
    and a name would lose letters without a sign."""

    def normalize_text(self, text):
        # Composed first: "e" followed by two accents prints as the one letter "ễ" the font draws.
        text = unicodedata.normalize("NFC", text)
        known = self.current_font.cmap
        text = "".join(c if ord(c) in known or not c.isprintable() else _UNKNOWN for c in text)
        return super().normalize_text(text)


def new_pdf():
    """An empty A4 document that writes with the statement's font (``FONT``, regular and bold)."""
    pdf = _Document(format="A4")
    pdf.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
    return pdf


def as_pdf(statement):
    """The statement as a printable A4 PDF; the column headings are repeated on every page."""
    account = statement.account
    start, end = statement.period
    pdf = new_pdf()
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=False, margin=15)
    pdf.add_page()
    pdf.set_font(FONT, "B", 14)
    pdf.cell(0, 8, _("Account statement"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    heading = [
        _labelled(_("Account"), f"{account.number} ({account.product}, {account.product.currency})"),
        _labelled(_("Holder"), statement.owner),
        _labelled(_("Period"), _("%(start)s to %(end)s") % {"start": _date(start), "end": _date(end)}),
        _labelled(_("Printed on"), _date(today())),
        _labelled(_("Opening balance"), _money(statement.opening_balance)),
    ]
    for text in heading:
        pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    titles = (_("Date"), _("Transaction"), _("Receipt"), _("Amount"), _("Balance"))

    def column_headings():
        pdf.set_font(FONT, "B", 9)
        for width, title, right in zip(_WIDTHS, titles, _RIGHT, strict=True):
            pdf.cell(width, 7, title, border="B", align="R" if right else "L")
        pdf.ln()
        pdf.set_font(FONT, size=9)

    column_headings()
    for line in statement.lines:
        cells = (
            _date(line.date),
            describe(line, _date),
            line.receipt,
            _money(line.change),
            _money(line.running_balance),
        )
        _row(pdf, [str(text) for text in cells], column_headings)
    if pdf.get_y() + 8 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.set_font(FONT, "B", 10)
    closing = _labelled(_("Closing balance"), _money(statement.closing_balance))
    pdf.cell(0, 8, closing, border="T", align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _row(pdf, texts, on_new_page, widths=_WIDTHS, right=_RIGHT):
    """One row of the table. A text wider than its column wraps (the row grows to fit), and a row that
    would cross the page's bottom starts the next page, under the column headings again."""
    lines = [
        [text]
        if pdf.get_string_width(text) <= width - 2 * pdf.c_margin
        else pdf.multi_cell(width, _LINE_HEIGHT, text, dry_run=True, output="LINES")
        for width, text in zip(widths, texts, strict=True)
    ]
    height = _LINE_HEIGHT * max(len(each) for each in lines)
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
        on_new_page()
    top = pdf.get_y()
    left = pdf.l_margin
    for width, cell_lines, align_right in zip(widths, lines, right, strict=True):
        pdf.set_xy(left, top)
        for text in cell_lines:
            pdf.cell(width, _LINE_HEIGHT, text, align="R" if align_right else "L", new_x="LEFT", new_y="NEXT")
        left += width
    pdf.set_xy(pdf.l_margin, top + height)
