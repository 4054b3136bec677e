"""``{{ amount|money }}``: an amount with two decimals, the language's separators and the currency.

Thousands are grouped here rather than with USE_THOUSAND_SEPARATOR, which would also group ids and
other bare numbers in links and forms (see settings.FORMAT_MODULE_PATH).
"""

import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _


def money(amount, currency=None):
    """``1234.5`` -> "1,234.50 USD" in English, "1 234,50 USD" in French; "" for None or not a number.

    ``currency`` defaults to the institution's (settings.CURRENCY).
    """
    if amount is None or amount == "":
        return ""
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return ""
    figures = formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{figures}\xa0{currency or settings.CURRENCY}"


# Digits grouped by a thousands separator: 1,250,000 or, in South Asia, 12,50,000 (lakhs).
_GROUPS = r"[0-9]{1,3}(?:%(mark)s[0-9]{2,3})*%(mark)s[0-9]{3}"


def parse_amount(text):
    """The Decimal of an amount as a person writes it, in whatever language: a comma or a point before
    the decimals, and the other one, a space or the same one repeated between thousands ("1,250.50",
    "1.250,50", "1 250,50", "3,75", "1,250,000"). Raises ValueError saying what to write instead.

    A single mark before three digits ("1,250", "1.250") is thousands in one country and decimals
    in another: refused with both readings, rather than read the wrong way. A browser's number box
    cannot be told this: given "3,75" it sent 375, and a deposit became a hundred times larger.
    """
    cleaned = "".join(text.split()).replace("\u202f", "")
    sign, digits = (cleaned[0], cleaned[1:]) if cleaned[:1] in ("+", "-") else ("", cleaned)
    marks = [character for character in digits if character in ",."]
    whole, decimals = digits, None
    if marks and marks.count(marks[-1]) == 1:  # 12,50 or 1.250,50: the last mark, once, is before decimals
        whole, decimals = digits.rsplit(marks[-1], 1)
        if len(set(marks)) == 1 and len(decimals) == 3 and whole[:1] not in ("", "0") and len(whole) <= 3:
            raise ValueError(_ambiguous(text, sign + whole, decimals))
    thousands = {mark for mark in marks if mark in whole}
    if thousands:
        mark = thousands.pop()
        if thousands or not re.fullmatch(_GROUPS % {"mark": re.escape(mark)}, whole):
            raise ValueError(_("Write an amount, for example 1250.50."))
        whole = whole.replace(mark, "")
    # Digits that count in tens only: "²" and "①" are digits to isdigit() but not numbers to Decimal.
    if not (whole or decimals) or not (whole or "0").isdecimal() or not (decimals or "0").isdecimal():
        raise ValueError(_("Write an amount, for example 1250.50."))
    return Decimal(sign + (whole or "0") + ("" if decimals is None else "." + decimals))


def _ambiguous(text, whole, decimals):
    """Why 1,250 is refused: both of its readings, each written the one way it is read."""
    fraction = decimals.rstrip("0")
    return _(
        "%(text)s could be %(thousands)s or %(decimals)s. Write the amount without a thousands "
        "separator, with a point before any decimals: %(thousands)s.00 or %(decimals)s."
    ) % {
        "text": text,
        "thousands": whole + decimals,
        "decimals": f"{whole}.{fraction}" if fraction else whole,
    }
