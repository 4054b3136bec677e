"""``{{ amount|money }}``: an amount with two decimals, the language's separators and the currency.

Thousands are grouped here rather than with USE_THOUSAND_SEPARATOR, which would also group ids and
other bare numbers in links and forms (see settings.FORMAT_MODULE_PATH).
"""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import formats


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
