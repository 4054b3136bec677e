"""The PDF statement prints every letter of the holder's name and of a receipt as it was typed (œ, Œ,
Vietnamese, €, —), with a font shipped in the app: nothing to install or download where it runs."""

import shutil
import subprocess
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from ledger import services
from ledger.statements import FONTS, Statement, as_pdf
from tests.clients.factories import ActiveClientFactory
from tests.ledger.conftest import DAY
from tests.ledger.factories import AccountFactory, SavingsProductFactory
from tests.ledger.pdftext import font_names, text_runs

pytestmark = pytest.mark.django_db

NAME = ("Lœtitia", "Nguyễn Œuvray")
RECEIPT = "Reçu n° 5 — café €"


@pytest.fixture
def account(branch, teller):
    holder = ActiveClientFactory(office=branch, first_name=NAME[0], last_name=NAME[1])
    product = SavingsProductFactory(name="Épargne — 0 € de frais", short_code="EPF", currency="EUR")
    account = AccountFactory(client=holder, product=product)
    services.deposit(account, amount=Decimal("12.5"), on=DAY, by=teller, receipt=RECEIPT)
    return account


def test_the_holders_name_and_the_receipt_print_letter_for_letter(account):
    pdf = as_pdf(Statement(account))

    texts = [text for _x, _y, text in text_runs(pdf)]
    assert f"Holder: Lœtitia Nguyễn Œuvray ({account.client.account_no})" in texts
    assert RECEIPT in texts
    assert any("Épargne — 0 € de frais" in text for text in texts)
    assert not any("?" in text for text in texts), texts


def test_the_pdf_embeds_the_shipped_font_rather_than_the_latin_1_helvetica(account):
    pdf = as_pdf(Statement(account))

    assert font_names(pdf) == {"DejaVuSansBook", "DejaVuSansBold"}
    assert b"/FontFile2" in pdf  # embedded, so the printer needs no font of its own


def test_pdftotext_reads_the_name_back(account, tmp_path):
    """A second opinion from a real PDF reader (poppler), where it is installed."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler's pdftotext is not installed (apt-get install poppler-utils)")
    path = tmp_path / "statement.pdf"
    path.write_bytes(as_pdf(Statement(account)))

    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout

    assert "Lœtitia Nguyễn Œuvray" in text
    assert RECEIPT in text


def test_the_fonts_and_their_licence_ship_with_the_package():
    """A wheel (``pip install .``, the Dockerfile) takes a package's files only if they are declared."""
    config = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
    declared = config["tool"]["setuptools"].get("package-data", {}).get("ledger", [])

    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE"):
        path = FONTS / name
        assert path.is_file()
        assert any(path.relative_to(FONTS.parent).match(pattern) for pattern in declared), name


def test_a_name_typed_with_separate_accents_prints_as_its_letters(branch):
    decomposed = "Nguye\u0302\u0303n"
    account = AccountFactory(
        client=ActiveClientFactory(office=branch, first_name="Lan", last_name=decomposed)
    )

    texts = [text for _x, _y, text in text_runs(as_pdf(Statement(account)))]

    assert f"Holder: Lan Nguyễn ({account.client.account_no})" in texts


def test_a_letter_the_font_lacks_is_marked_rather_than_dropped(branch):
    account = AccountFactory(client=ActiveClientFactory(office=branch, first_name="伟", last_name="Wang"))

    texts = [text for _x, _y, text in text_runs(as_pdf(Statement(account)))]

    assert f"Holder: \ufffd Wang ({account.client.account_no})" in texts


def test_an_amount_of_nine_digits_stays_on_one_line(funded, teller):
    """DejaVu is wider than Helvetica: in shillings or dong, a balance runs to hundreds of millions."""
    services.deposit(funded, amount=Decimal("123456789"), on=DAY, by=teller)

    texts = [text for _x, _y, text in text_runs(as_pdf(Statement(funded)))]

    assert "123,456,789.00" in texts and "123,456,889.00" in texts


def test_a_reversed_withdrawal_reads_on_one_line_in_french(funded, teller):
    withdrawal = services.withdraw(funded, amount=Decimal("30"), on=DAY, by=teller)
    services.reverse(withdrawal, on=DAY, by=teller, reason="Typo")

    with translation.override("fr"):
        texts = [text for _x, _y, text in text_runs(as_pdf(Statement(funded)))]

    assert "Contre-passation\xa0: retrait du 10/03/2024" in texts
