"""Normal forms used to compare what people type: names, identification numbers, phones.

Search and duplicate detection compare these forms, never the raw text, so that
"José" matches "jose" and "AB-12 34" matches "ab1234" on SQLite and PostgreSQL alike.
"""

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_NOT_DIGIT = re.compile(r"\D")
_SPACES = re.compile(r"\s+")


def fold(text):
    """Lower case without accents and with single spaces: 'José  María' -> 'jose maria'."""
    text = text or ""
    if text.isascii():  # nothing to decompose; most names and every number
        return _SPACES.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", stripped.casefold()).strip()


# Apostrophes a keyboard or a word processor types (’ for ', as French labels are written).
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u2032`\u00b4", "'"))
_COLON = re.compile(r"\s*:\s*")


def fold_label(text):
    """A label as people type it, folded, with any apostrophe as ' and no space before a colon (French
    writes one): 'Pièce d’identité 1 : numéro' -> "piece d'identite 1: numero"."""
    return _COLON.sub(": ", fold((text or "").translate(_APOSTROPHES)))


def normalize_id_number(number):
    """Upper case, no spaces, dashes, dots or slashes: ' ab-12.34 ' -> 'AB1234'."""
    return _NOT_ALNUM.sub("", fold(number).upper())


def normalize_phone(phone):
    """Digits only, an international prefix as +: '00256 772-123 456' -> '+256772123456'.

    "00" is that prefix only before a country code, and none starts with 0: '000123' (a number from
    a passbook, typed in the search box) keeps its digits rather than becoming '+0123'.
    """
    phone = (phone or "").strip()
    digits = _NOT_DIGIT.sub("", phone)
    if phone.startswith("+"):
        return f"+{digits}"
    if digits.startswith("00") and digits[2:3] not in ("", "0"):
        return f"+{digits[2:]}"
    return digits
