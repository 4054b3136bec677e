"""The client search box: one text matched against names, numbers, identifications and phones.

What a person types is read one of two ways:

- with a digit in it, it is a number: a client number, an external id, an identification
  number or a phone, whole or in part (or a business name with digits). Exact matches come
  first; then the clients whose number ends with the text, as an officer types the number part
  of "BR01-000123" from a passbook, without the office code; then other partial matches
  (a part of a phone among them);
- otherwise it is a name: every word must appear in the client's name (first, middle, last or
  business name), case and accents ignored. Names that start with the text come first (the
  whole name first of all), then the others; each group by name.

Everything becomes an ORM lookup with bound parameters (``contains`` escapes LIKE's ``%``, ``_``
and ``\\``), so nothing typed reaches SQL as SQL. On PostgreSQL trigram indexes serve the
partial matches (migration 0005) and a byte-order index the names' order (0008); the rank of a
name search is a ``Tiers`` sort key, which keyset pagination reads tier by tier, so that a common
name costs no more than a rare one. SQLite gives the same results.
"""

import sys
from dataclasses import dataclass

from django.db.models import Case, CharField, Exists, Func, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import StrIndex, Upper
from django.db.models.lookups import GreaterThan
from django.utils.functional import lazy
from django.utils.translation import gettext

from mifos.pagination import Tiers

from .models import Client, Identification
from .normalize import fold, normalize_id_number, normalize_phone

# Shorter fragments match too much to be useful, and trigram indexes need three characters.
MIN_WORD_LENGTH = 3
MAX_LENGTH = 100


def _too_short_message():
    return gettext("Type at least %(count)d letters or digits of a name or a number.") % {
        "count": MIN_WORD_LENGTH
    }


# Lazy, so that each request reads it in its own language (formatted here, it stayed in the language
# active when the module was imported: English).
TOO_SHORT_MESSAGE = lazy(_too_short_message, str)()

# A long number is looked up in the trigram index by its last characters only (see _contains).
INDEXED_TAIL = 5
RANK = "search_rank"
# What people write phone numbers with besides digits.
PHONE_MARKS = frozenset(" +-().")
# A phone search of more digits than this that starts with a 0 is a number in national form.
NATIONAL_FORM_MIN_DIGITS = 6
SORT_NAME = "sort_name"
# A number search reads the ids it matches first when there are at most this many (see _listed).
MAX_LISTED_MATCHES = 1000
# Code points UTF-8 cannot hold (halves of UTF-16 pairs): no text in the database holds them.
_SURROGATES_START, _SURROGATES_END = 0xD800, 0xE000


class Bytewise(Func):
    """A text column compared byte by byte, as the sort index orders it, the same on every database.

    SQLite compares bytes already; PostgreSQL is told collation "C", whatever the column's is.
    """

    template = "%(expressions)s"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template='(%(expressions)s COLLATE "C")', **extra_context)


def with_sort_name(queryset):
    """``queryset`` with the ``sort_name`` annotation that the list sorts names by."""
    return queryset.annotate(**{SORT_NAME: Bytewise("search_name")})


@dataclass(frozen=True)
class SearchTerms:
    """What a person typed in the search box, read once."""

    text: str
    folded: str
    words: tuple

    @property
    def is_number(self):
        return any(char.isdigit() for char in self.text)

    @property
    def id_number(self):
        return normalize_id_number(self.text)

    @property
    def is_phone(self):
        """Digits and the marks of a phone number only: "BR01-002501" is not one."""
        return all(char.isdigit() or char in PHONE_MARKS for char in self.text)

    @property
    def phone(self):
        return normalize_phone(self.text)

    @property
    def phone_digits(self):
        """The digits to look for in stored phones. The leading 0 (trunk prefix) of a number in national
        form is left out, so that "0772 123 456" finds +256772123456 as well as 0772123456; not that of
        a short fragment, which would match too many numbers without it."""
        phone = self.phone  # normalize_phone turned an international "00" into "+"
        if phone.startswith("0") and len(phone) > NATIONAL_FORM_MIN_DIGITS:
            return phone[1:]
        return phone.lstrip("+")


def parse(text):
    """The terms of ``text``, or None when it is too short to search for."""
    text = " ".join((text or "").split())
    folded = fold(text)
    words = tuple(folded.split())
    if not any(len(word) >= MIN_WORD_LENGTH for word in words):
        return None
    return SearchTerms(text=text, folded=folded, words=words)


def search(queryset, terms, *, shown_only=False):
    """Narrow a client ``queryset`` to the matches of ``terms``, annotated with their rank (a Tiers).
    ``shown_only``: by the name and the numbers a list shows, not by phone or identification."""
    if SORT_NAME not in queryset.query.annotations:
        queryset = with_sort_name(queryset)
    if terms.is_number:
        return _number_search(queryset, terms, shown_only=shown_only)
    return _name_search(queryset, terms)


def _every_word(terms):
    every_word = Q()
    for word in terms.words:
        every_word &= Q(search_name__contains=word)
    return every_word


def _starts_with(prefix):
    """Names that start with ``prefix``, as a range of the sort index: [prefix, prefix's successor)."""
    successor = _successor(prefix)
    if successor is None:
        return Q(**{f"{SORT_NAME}__gte": prefix})
    return Q(**{f"{SORT_NAME}__gte": prefix, f"{SORT_NAME}__lt": successor})


def _successor(prefix):
    """The first text after every text that starts with ``prefix`` in code point order (the bytes'
    order of UTF-8, as the sort index compares), or None when no text comes after them all.

    The last character is stepped to the next one UTF-8 can hold, past the surrogates; the last
    character there is (U+10FFFF) has no next one, so the one before it is stepped instead."""
    for end in range(len(prefix) - 1, -1, -1):
        following = ord(prefix[end]) + 1
        if _SURROGATES_START <= following < _SURROGATES_END:
            following = _SURROGATES_END
        if following <= sys.maxunicode:
            return prefix[:end] + chr(following)
    return None


def _name_search(queryset, terms):
    first = _starts_with(terms.folded) | Q(external_id=terms.text)
    return queryset.filter(_every_word(terms) | Q(external_id=terms.text)).annotate(**{RANK: Tiers(first)})


def _contains(field, text, *, ignore_case=False):
    """``field`` contains ``text``, found through the field's trigram index by the last characters.

    A whole number ("BR01-002501", "+256772123456") has a dozen trigrams, most of them shared by a
    good part of a million numbers ("br0", "002"): PostgreSQL would read all their lists in the
    index, 20 ms. Its last characters are the distinctive ones; the index finds the few rows
    holding them, and ``strpos``, which no index serves, checks those rows for the whole text.
    """
    tail = text[-INDEXED_TAIL:]
    lookup = Q(**{f"{field}__{'icontains' if ignore_case else 'contains'}": tail})
    if len(text) == len(tail):
        return lookup
    if ignore_case:
        return lookup & GreaterThan(StrIndex(Upper(field), Value(text.upper())), 0)
    return lookup & GreaterThan(StrIndex(field, Value(text)), 0)


def _number_search(queryset, terms, *, shown_only=False):
    # One indexed lookup per kind of number, united into a list of ids: an OR across the client
    # table and the identification table would make PostgreSQL read every client. UNION ALL, so
    # that reading the first ids stops early (see _listed); a repeated id does no harm.
    clients = Client.objects.order_by()
    # Business names hold digits too ("2 Brothers Ltd").
    matches = clients.filter(
        _contains("account_no", terms.text, ignore_case=True) | Q(external_id=terms.text) | _every_word(terms)
    ).values_list("pk", flat=True)
    if terms.is_phone and len(terms.phone_digits) >= MIN_WORD_LENGTH and not shown_only:
        matches = matches.union(
            clients.filter(_contains("mobile_phone", terms.phone_digits)).values("pk"), all=True
        )
    if len(terms.id_number) >= MIN_WORD_LENGTH and not shown_only:
        matches = matches.union(
            Identification.objects.order_by()
            .filter(_contains("number_normalized", terms.id_number))
            .values("client_id"),
            all=True,
        )
    exact = (
        Q(account_no__iexact=terms.text)
        | Q(external_id=terms.text)
        | Q(search_name=terms.folded)
        | Q(Exists(Identification.objects.filter(client=OuterRef("pk"), number_normalized=terms.id_number)))
    )
    if terms.is_phone:
        exact |= Q(mobile_phone=terms.phone)
    # Numbers match few clients: one ranked query beats a query per tier (see mifos.pagination).
    # The rank is computed on the matches alone, so its lookups need no index of their own.
    rank = Case(
        When(exact, then=Value(0)),
        When(account_no__iendswith=terms.text, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.filter(pk__in=_listed(matches)).annotate(**{RANK: rank})


def _listed(matches):
    """The ids ``matches`` selects, read now when they are few, or ``matches`` itself when many.

    Inside the page's query the database would run the lookups once per part of a branch's scope
    and join their ids against the branch's clients; read first, they are a short list of ids.
    """
    ids = list(matches[: MAX_LISTED_MATCHES + 1])
    return matches if len(ids) > MAX_LISTED_MATCHES else ids
