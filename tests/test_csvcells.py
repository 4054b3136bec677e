"""One rule for every CSV we write: a cell a spreadsheet would run is quoted, a phone number is not."""

import pytest

from mifos import csvcells


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","click")',
        "+1+1",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1)",
        "\tcmd",
        "\r=1",
        "+1:1",  # a whole row of the sheet
        "-Eve",
        "-",
        '+"text"',
    ],
)
def test_a_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert csvcells.safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["+254712000142", "+254 712 000 142", "+1 (555) 010-0100", "-150.00", "-1,234.50", "Nairobi", ""]
)
def test_a_phone_number_an_amount_and_plain_text_are_left_as_they_are(text):
    assert csvcells.safe_cell(text) == text


def test_values_that_are_not_text_are_left_to_the_csv_writer():
    assert csvcells.safe_row([None, 3, 1.5]) == [None, 3, 1.5]
