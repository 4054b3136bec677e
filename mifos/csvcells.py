"""What every CSV file we write shares: UTF-8 with a byte-order mark, and cells no spreadsheet runs.

Used by the client export, the import's errors file, account statements and the activity log, so the
rule is one. A byte-order mark makes Excel read the file as UTF-8 ("Dépôt", not "DÃ©pÃ´t"); other
programs skip it.

Formula injection: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
may be run as a formula by Excel, LibreOffice or Google Sheets (``=HYPERLINK(...)``, ``-2+cmd|...``).
Such a cell gets a leading quote, which the client import takes off again. A signed number is left
as it is: a phone number ``+254 712 000142`` or an amount ``-150.00`` has no letter, so no function,
no cell reference and no link; quoting it only put a visible apostrophe before every phone number.
Excel still reads such a cell as a number (``254712000142``): the XLSX export, where every text is
a text cell, is the file to open in Excel.
"""

import re

BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"

# The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_STARTS)
# A sign, then digits with the spaces, brackets, dots, commas, slashes and dashes of phone numbers
# and amounts; no letter, no other operator, no quote, no colon (``1:1`` is a reference to a row).
_SIGNED_NUMBER = re.compile(r"[+-][0-9 ().,/-]*[0-9][0-9 ().,/-]*")


def needs_quote(text):
    """Whether the text ``text`` would be read as a formula that could do something."""
    return text[:1] in FORMULA_FIRST and _SIGNED_NUMBER.fullmatch(text) is None


def safe_cell(value):
    """``value`` for a CSV cell: a text a spreadsheet would run as a formula gets a leading quote."""
    if type(value) is str and value and value[0] in FORMULA_FIRST and needs_quote(value):
        return "'" + value
    return value


def safe_row(values):
    return [safe_cell(value) for value in values]
