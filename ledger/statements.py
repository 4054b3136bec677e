"""An account's statement for the client, as CSV (for a spreadsheet) or PDF (to print and hand over).

Both read the same lines: the account's transactions in date order, with the balance after each,
optionally between two dates, with the opening balance carried in.
"""

import csv
import io
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from .models import Transaction


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
            return 0
        before = (
            Transaction.objects.filter(account=self.account, date__lt=self.date_from)
            .order_by("-date", "-id")
            .values_list("running_balance", flat=True)
            .first()
        )
        return before or 0

    @property
    def owner(self):
        return self.account.owner

    def filename(self, extension):
        return f"statement-{self.account.number}-{timezone.localdate().isoformat()}.{extension}"


def describe(line):
    if line.reverses_id:
        return _("Reversal of %(kind)s of %(date)s") % {
            "kind": line.reverses.get_kind_display().lower(),
            "date": line.reverses.date.isoformat(),
        }
    return line.get_kind_display()


def as_csv(statement):
    """The statement as CSV text: a short heading, then one row per transaction."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    account = statement.account
    writer.writerow([_("Account"), account.number, str(account.product), account.product.currency])
    writer.writerow([_("Holder"), str(statement.owner)])
    writer.writerow([_("Opening balance"), statement.opening_balance])
    writer.writerow([_("Date"), _("Transaction"), _("Receipt"), _("Amount"), _("Balance")])
    for line in statement.lines:
        writer.writerow(
            [line.date.isoformat(), describe(line), line.receipt, line.change, line.running_balance]
        )
    return buffer.getvalue()


def _money(value):
    return formats.number_format(value, 2, force_grouping=True)


def as_pdf(statement):
    """The statement as a printable A4 PDF."""
    account = statement.account
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, _latin(_("Account statement")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    heading = [
        f"{_('Account')}: {account.number} ({account.product}, {account.product.currency})",
        f"{_('Holder')}: {statement.owner}",
        f"{_('Printed on')}: {timezone.localdate().isoformat()}",
        f"{_('Opening balance')}: {_money(statement.opening_balance)}",
    ]
    for text in heading:
        pdf.cell(0, 6, _latin(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    widths = (25, 75, 30, 30, 30)
    pdf.set_font("Helvetica", "B", 9)
    for width, title in zip(
        widths, (_("Date"), _("Transaction"), _("Receipt"), _("Amount"), _("Balance")), strict=True
    ):
        pdf.cell(width, 7, _latin(title), border="B")
    pdf.ln()
    pdf.set_font("Helvetica", size=9)
    for line in statement.lines:
        cells = (
            line.date.isoformat(),
            describe(line),
            line.receipt,
            _money(line.change),
            _money(line.running_balance),
        )
        for index, (width, text) in enumerate(zip(widths, cells, strict=True)):
            pdf.cell(width, 6, _latin(str(text))[:48], align="R" if index >= 3 else "L")
        pdf.ln()
    return bytes(pdf.output())


def _latin(text):
    # The PDF's built-in fonts cover Latin-1 only; a name in another script is shown with its
    # letters replaced rather than failing the whole statement.
    return text.encode("latin-1", "replace").decode("latin-1")
