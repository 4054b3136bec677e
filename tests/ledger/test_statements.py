"""An account statement reads right where it is opened: the CSV in Excel (accents, no formulas, the
period and both balances), the PDF on paper (the language's dates, every word of its strings
translatable, a long receipt that stays in its column)."""

import csv
import datetime
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ledger import services
from ledger.statements import FONT, Statement, as_pdf, new_pdf
from tests.ledger.conftest import DAY
from tests.ledger.pdftext import text_runs

pytestmark = pytest.mark.django_db

LATER = DAY + datetime.timedelta(days=5)
HYPERLINK = '=HYPERLINK("http://evil.example","click")'


def statement_csv(client, user, account, **dates):
    client.force_login(user)
    response = client.get(reverse("ledger:account_statement", args=[account.pk, "csv"]), dates)
    assert response.status_code == 200
    return response.content


def rows_of(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_starts_with_a_byte_order_mark_so_excel_reads_accents(client, funded, teller):
    services.deposit(funded, amount=Decimal("5"), on=LATER, by=teller, receipt="Reçu été Nairobi")

    content = statement_csv(client, teller, funded)

    assert content.startswith("\ufeff".encode())
    assert rows_of(content)[-1][2] == "Reçu été Nairobi"


def test_a_receipt_that_is_a_formula_is_written_as_text(client, funded, teller):
    services.deposit(funded, amount=Decimal("5"), on=LATER, by=teller, receipt=HYPERLINK)

    rows = rows_of(statement_csv(client, teller, funded))

    assert rows[-1][2] == "'" + HYPERLINK
    assert rows[-1][3:] == ["5.00", "105.00"]  # amounts, negative ones too, stay numbers


def test_the_csv_names_its_period_and_both_balances(client, funded, teller):
    services.deposit(funded, amount=Decimal("5"), on=LATER, by=teller)
    services.withdraw(funded, amount=Decimal("20"), on=LATER + datetime.timedelta(days=1), by=teller)

    day = LATER.isoformat()
    rows = rows_of(statement_csv(client, teller, funded, date_from=day, date_until=day))

    assert ["Period", LATER.isoformat(), LATER.isoformat()] in rows
    assert ["Opening balance", "100.00"] in rows
    assert ["Closing balance", "105.00"] in rows
    assert rows[-1] == [LATER.isoformat(), "Deposit", "", "5.00", "105.00"]


def test_a_statement_without_dates_runs_from_the_opening_to_today(client, funded, teller):
    rows = rows_of(statement_csv(client, teller, funded))

    assert ["Period", funded.opened_on.isoformat(), datetime.date.today().isoformat()] in rows
    assert ["Closing balance", "100.00"] in rows


def test_a_period_without_transactions_closes_as_it_opened(client, funded, teller):
    rows = rows_of(statement_csv(client, teller, funded, date_from=LATER.isoformat()))

    assert ["Opening balance", "100.00"] in rows and ["Closing balance", "100.00"] in rows


# --- PDF ---------------------------------------------------------------------------------------------------


def width(text, size=9):
    pdf = new_pdf()
    pdf.set_font(FONT, size=size)
    return pdf.get_string_width(text) * pdf.k  # mm to points


def test_a_long_receipt_wraps_inside_its_column_rather_than_over_the_amount(funded, teller):
    receipt = "RCPT-2024-NAIROBI-000123-BRANCH-CASHIER"
    services.deposit(funded, amount=Decimal("1234.5"), on=LATER, by=teller, receipt=receipt)

    runs = text_runs(as_pdf(Statement(funded)))

    pieces = [run for run in runs if run[2] and run[2] in receipt and len(run[2]) > 3]
    assert "".join(text for _x, _y, text in sorted(pieces, key=lambda run: -run[1])) == receipt
    amount = next(run for run in runs if run[2] == "1,234.50")
    for x, _y, text in pieces:
        assert x + width(text) < amount[0], f"{text!r} runs into the amount"


def test_the_pdf_writes_dates_in_the_languages_format(funded, teller):
    original = funded.transactions.get()
    services.reverse(original, on=LATER, by=teller, reason="Typo")

    with translation.override("fr"):
        texts = [text for _x, _y, text in text_runs(as_pdf(Statement(funded)))]

    assert "10/03/2024" in texts  # the deposit's date, day first
    assert any("du 10/03/2024" in text or "of 10/03/2024" in text for text in texts)  # the reversed one's
    assert not any(DAY.isoformat() in text for text in texts)


def test_the_pdf_shows_the_period_and_the_closing_balance(funded, teller):
    services.deposit(funded, amount=Decimal("5"), on=LATER, by=teller)

    texts = [text for _x, _y, text in text_runs(as_pdf(Statement(funded, date_from=LATER)))]

    assert any(text.startswith("Period: 15/03/2024 to ") for text in texts)
    assert "Opening balance: 100.00" in texts
    assert "Closing balance: 105.00" in texts


def test_a_statement_of_many_pages_repeats_the_column_headings(funded, teller):
    for day in range(60):
        services.deposit(funded, amount=Decimal("1"), on=LATER + datetime.timedelta(days=day), by=teller)

    texts = [text for _x, _y, text in text_runs(as_pdf(Statement(funded)))]

    assert texts.count("Receipt") >= 2


def test_every_word_of_the_pdf_can_be_translated():
    """makemessages reads no string inside an f-string: "Printed on" stayed English in every language."""
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    source = Path(settings.BASE_DIR) / "ledger" / "statements.py"

    extracted = subprocess.run(
        ["xgettext", "--language=Python", "--keyword=_", "--from-code=UTF-8", "--output=-", str(source)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    for words in ("Printed on", "Account", "Holder", "Opening balance", "Closing balance", "Period"):
        assert f'msgid "{words}"' in extracted
