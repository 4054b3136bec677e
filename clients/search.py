"""The client search box: one text matched against names, numbers, identifications and phones.

What a person types is read one of two ways:

- with a digit in it, it is a number: a client number, an external id, an identification
  number or a phone, whole or in part (or a business name with digits). Exact matches come first;
- otherwise it is a name: every word must appear in some part of the client's name
  (first, middle, last or business name), case and accents ignored. The whole name first,
  then names that start with the text, then names with a part that starts with it.

Everything becomes an ORM lookup with bound parameters (``contains`` escapes LIKE's ``%``, ``_``
and ``\\``), so nothing typed reaches SQL as SQL. On PostgreSQL trigram indexes serve the
partial matches (migration ``0005_search_indexes``); SQLite gives the same results by scanning.
"""

from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from .models import Client, Identification
from .normalize import fold, normalize_id_number, normalize_phone

# Shorter fragments match too much to be useful, and trigram indexes need three characters.
MIN_WORD_LENGTH = 3
MAX_LENGTH = 100
TOO_SHORT_MESSAGE = _("Type at least %(count)d letters or digits of a name or a number.") % {
    "count": MIN_WORD_LENGTH
}

# The rank annotation: lower comes first.
EXACT, STARTS, PART_STARTS, CONTAINS = range(4)
RANK = "search_rank"


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
    def phone(self):
        return normalize_phone(self.text)

    @property
    def phone_digits(self):
        return self.phone.lstrip("+")


def parse(text):
    """The terms of ``text``, or None when it is too short to search for."""
    text = " ".join((text or "").split())
    folded = fold(text)
    words = tuple(folded.split())
    if not any(len(word) >= MIN_WORD_LENGTH for word in words):
        return None
    return SearchTerms(text=text, folded=folded, words=words)


def search(queryset, terms):
    """Narrow a client ``queryset`` to the matches of ``terms``, annotated with their rank."""
    if terms.is_number:
        return _number_search(queryset, terms)
    return _name_search(queryset, terms)


def _every_word(terms):
    every_word = Q()
    for word in terms.words:
        every_word &= Q(search_name__contains=word)
    return every_word


def _name_search(queryset, terms):
    rank = Case(
        When(Q(search_name=terms.folded) | Q(external_id=terms.text), then=Value(EXACT)),
        When(search_name__startswith=terms.folded, then=Value(STARTS)),
        When(search_name__contains=f" {terms.folded}", then=Value(PART_STARTS)),
        default=Value(CONTAINS),
        output_field=IntegerField(),
    )
    return queryset.filter(_every_word(terms) | Q(external_id=terms.text)).annotate(**{RANK: rank})


def _number_search(queryset, terms):
    # One indexed lookup per kind of number, united into a list of ids: an OR across the client
    # table and the identification table would make PostgreSQL read every client.
    clients = Client.objects.order_by()
    # Business names hold digits too ("2 Brothers Ltd").
    matches = clients.filter(
        Q(account_no__icontains=terms.text) | Q(external_id=terms.text) | _every_word(terms)
    ).values("pk")
    if len(terms.phone_digits) >= MIN_WORD_LENGTH:
        matches = matches.union(clients.filter(mobile_phone__contains=terms.phone_digits).values("pk"))
    if len(terms.id_number) >= MIN_WORD_LENGTH:
        matches = matches.union(
            Identification.objects.order_by()
            .filter(number_normalized__contains=terms.id_number)
            .values("client_id")
        )
    exact = (
        Q(account_no__iexact=terms.text)
        | Q(external_id=terms.text)
        | Q(search_name=terms.folded)
        | Q(mobile_phone=terms.phone)
        | Q(Exists(Identification.objects.filter(client=OuterRef("pk"), number_normalized=terms.id_number)))
    )
    rank = Case(When(exact, then=Value(EXACT)), default=Value(CONTAINS), output_field=IntegerField())
    return queryset.filter(pk__in=matches).annotate(**{RANK: rank})
