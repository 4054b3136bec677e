"""Keyset ("seek") pagination for lists that may hold a million rows.

A page is found by the sort key of the row before it, not by its position: each page is one
indexed range scan, page 4,000 costs what page 1 costs, and nothing counts the whole table.
The price is that a list can step to the next or previous page only, which is how people
read a filtered list anyway.

The queryset must be ordered explicitly by names of fields or annotations (no ``__``
lookups, no NULLs), the last of them unique, for example ``order_by("search_name", "id")``.
A cursor is those values of one row, in an opaque, URL-safe string.

A list sorted by relevance first ("whole name first, then the rest") sorts by a ``Tiers``
annotation. A rank computed in ORDER BY would make the database rank every match before the
first page (a hundred thousand for a common name); instead, where the database allows
(PostgreSQL), the page is one UNION ALL of one query per tier, each walking its index in the
order of the remaining keys and stopping at the page's end. Rows that an OR selects (a branch's
clients, or those being transferred to it) are read the same way, one query per disjoint part:
an OR keeps the database from walking one index in the list's order.

Django admin's lists number their pages instead; ``EstimatedCountPaginator`` spares them from
counting a whole large table to do so.
"""

import base64
import binascii
import datetime
import functools
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.functional import cached_property

from .plans import custom_plans

DEFAULT_PAGE_SIZE = 25


class InvalidCursor(ValueError):
    """A cursor that this list did not write (edited by hand, or from another sort order)."""


class Tiers(Case):
    """A sort key that ranks rows in tiers: 0 for rows meeting the first condition, 1 for the next
    (and not the first), ..., and one more for the rest."""

    def __init__(self, *conditions):
        super().__init__(
            *(When(condition, then=Value(rank)) for rank, condition in enumerate(conditions)),
            default=Value(len(conditions)),
            output_field=IntegerField(),
        )
        self.conditions = conditions

    def tier_filters(self):
        """One Q per tier, in rank order, that selects exactly the rows of that tier."""
        filters, earlier = [], Q()
        for condition in self.conditions:
            filters.append(condition & ~earlier if earlier else condition)
            earlier |= condition
        filters.append(~earlier)
        return filters


@dataclass(frozen=True)
class SortKey:
    name: str
    descending: bool
    field: object  # the model field or annotation's output field, to read values back

    def seek(self, value, *, backwards=False):
        """Lookups for "after ``value``" in this key's direction (or before it, ``backwards``)."""
        forward = "lt" if self.descending else "gt"
        backward = "gt" if self.descending else "lt"
        operator = backward if backwards else forward
        return Q(**{f"{self.name}__{operator}": value}), Q(**{f"{self.name}__{operator}e": value})


@dataclass
class KeysetPage:
    """One page of rows and the cursors of its neighbours (None at either end)."""

    object_list: list
    next_cursor: str | None
    previous_cursor: str | None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_next(self):
        return self.next_cursor is not None

    @property
    def has_previous(self):
        return self.previous_cursor is not None

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous


def sort_keys(queryset):
    """The explicit ordering of ``queryset`` as SortKeys."""
    ordering = queryset.query.order_by
    if not ordering:
        raise ImproperlyConfigured("Keyset pagination needs an explicitly ordered queryset.")
    keys = []
    for item in ordering:
        if not isinstance(item, str) or "__" in item or item == "?":
            raise ImproperlyConfigured(f"Keyset pagination cannot seek on {item!r}.")
        name = item.lstrip("-")
        keys.append(SortKey(name=name, descending=item.startswith("-"), field=_field(queryset, name)))
    return keys


def _field(queryset, name):
    if name in queryset.query.annotations:
        return queryset.query.annotations[name].output_field
    try:
        return queryset.model._meta.pk if name == "pk" else queryset.model._meta.get_field(name)
    except FieldDoesNotExist:
        raise ImproperlyConfigured(f"Keyset pagination cannot seek on {name!r}.") from None


def encode_cursor(keys, row):
    values = [_jsonable(getattr(row, key.name)) for key in keys]
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(keys, cursor):
    """The typed values in ``cursor``; InvalidCursor for anything this list did not write."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: [[[[...]]]]
        raise InvalidCursor(cursor) from None
    if not isinstance(values, list) or len(values) != len(keys):
        raise InvalidCursor(cursor)
    try:
        values = [key.field.to_python(value) for key, value in zip(keys, values, strict=True)]
    except (ValidationError, TypeError, ValueError, OverflowError):  # OverflowError: an id of 1e400
        raise InvalidCursor(cursor) from None
    if None in values:  # sort keys are never NULL, so this list wrote no such cursor
        raise InvalidCursor(cursor)
    if not all(_storable(value) for value in values):
        raise InvalidCursor(cursor)
    return values


def _storable(value):
    """False for what no row holds and a database refuses: a NUL in text (PostgreSQL), an integer
    beyond 64 bits, a time without its offset or one that UTC puts outside the years 1 to 9999."""
    if isinstance(value, str):
        return "\x00" not in value
    if isinstance(value, int) and not isinstance(value, bool):
        return -(2**63) <= value < 2**63
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return not settings.USE_TZ
        try:
            value.astimezone(datetime.UTC)
        except OverflowError:
            return False
    return True


def _jsonable(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _seek(keys, values, *, backwards):
    """Rows strictly after (or before) ``values`` in the order of ``keys``.

    Written as ``k1 >= v1 AND (k1 > v1 OR (k2 >= v2 AND (...)))`` rather than a plain OR of
    cases, so that the database can start an index range scan at ``v1``.
    """
    strictly, or_equal = keys[0].seek(values[0], backwards=backwards)
    if len(keys) == 1:
        return strictly
    return or_equal & (strictly | _seek(keys[1:], values[1:], backwards=backwards))


def paginate(queryset, *, after=None, before=None, per_page=DEFAULT_PAGE_SIZE, parts=None):
    """The page of ``queryset`` after the cursor ``after``, before ``before``, or the first page.

    ``parts``, if given, are disjoint querysets, ordered as ``queryset``, whose union is its rows
    (say, a branch's own clients and those being transferred to it): where the database allows,
    each is read on its own, so that each can walk its own index in the list's order.

    Two queries, whatever the page. Raises InvalidCursor for a cursor this list did not write.
    """
    keys = sort_keys(queryset)
    fetch = functools.partial(_fetch, queryset, keys, limit=per_page + 1, parts=parts)
    if before:
        rows = fetch(decode_cursor(keys, before), backwards=True)
        if not rows:  # the rows before were deleted meanwhile: start again
            return paginate(queryset, per_page=per_page, parts=parts)
        more_before = len(rows) > per_page
        rows = rows[:per_page][::-1]
        return KeysetPage(
            object_list=rows,
            next_cursor=encode_cursor(keys, rows[-1]),
            previous_cursor=encode_cursor(keys, rows[0]) if more_before else None,
        )
    values = decode_cursor(keys, after) if after else None
    rows = fetch(values, backwards=False)
    more_after = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        object_list=rows,
        next_cursor=encode_cursor(keys, rows[-1]) if more_after else None,
        previous_cursor=(encode_cursor(keys, rows[0]) if rows else after) if after else None,
    )


def _ordering(keys, *, backwards):
    return [f"{'-' if key.descending != backwards else ''}{key.name}" for key in keys]


def _fetch(queryset, keys, values, *, backwards, limit, parts):
    """Up to ``limit`` rows after ``values`` (or before them, ``backwards``; from the start if None).

    Two queries: the page's ids and sort keys from narrow rows, then those rows by primary key,
    with the queryset's select_related and only() or defer(). Sorting thousands of wide, joined
    rows to keep twenty-five costs more than the search itself; and the second query does not
    repeat the filters, which may be costly (a search) and have done their work.
    """
    names = ["pk", *(key.name for key in keys)]
    pieces = [piece.values_list(*names) for piece in _pieces(queryset, keys, values, backwards, limit, parts)]
    if len(pieces) > 1:
        page = pieces[0].union(*pieces[1:], all=True).order_by(*_ordering(keys, backwards=backwards))[:limit]
    else:
        page = pieces[0] if pieces else []
    with custom_plans(queryset.db):  # a search's or a filter's best plan depends on its values
        page = list(page)
    rows = queryset.model._default_manager.filter(pk__in=[pk for pk, *_values in page]).order_by()
    rows.query.select_related = queryset.query.select_related
    rows.query.deferred_loading = queryset.query.deferred_loading
    by_pk = {row.pk: row for row in rows}
    found = []
    for pk, *key_values in page:
        row = by_pk[pk]
        for key, value in zip(keys, key_values, strict=True):
            setattr(row, key.name, value)
        found.append(row)
    return found


def _pieces(queryset, keys, values, backwards, limit, parts):
    """The ordered, limited queries whose rows make up the page: one per part and, for a ``Tiers``
    sort key, per tier, each walking its own index and stopping at the page's end. Where the
    database cannot unite such queries, just one."""
    tiers = queryset.query.annotations.get(keys[0].name)
    if not connections[queryset.db].features.supports_slicing_ordering_in_compound:
        tiers, parts = None, None
    splits = parts or [queryset]
    if not isinstance(tiers, Tiers):
        seek = _seek(keys, values, backwards=backwards) if values is not None else Q()
        ordering = _ordering(keys, backwards=backwards)
        return [split.filter(seek).order_by(*ordering)[:limit] for split in splits]
    rest, pieces = keys[1:], []
    ordering = _ordering(rest, backwards=backwards)
    for rank, tier_filter in enumerate(tiers.tier_filters()):
        seek = Q()
        if values is not None:
            if (rank > values[0]) if backwards else (rank < values[0]):
                continue  # a tier the cursor has left behind
            if rank == values[0]:
                seek = _seek(rest, values[1:], backwards=backwards)
        pieces += [split.filter(tier_filter, seek).order_by(*ordering)[:limit] for split in splits]
    return pieces


def count_up_to(queryset, limit):
    """How many rows ``queryset`` holds, or None when more than ``limit``: for a list that says "312
    clients" or "more than 1,000" without counting a million rows.

    One query, which stops at the row after ``limit``: a list its B-tree indexes serve (an office, a
    status, an officer, the ids a number search read) costs the same with a thousand rows or a
    million. Not for a search through a trigram index, whose bitmap holds every match in the table
    before the first is counted.
    """
    rows = queryset.order_by().values_list("pk")  # no sort, no annotations: the rows alone
    with custom_plans(queryset.db):  # as the page's own queries: the best plan depends on the values
        counted = rows[: limit + 1].count()
    return counted if counted <= limit else None


class EstimatedCountPaginator(Paginator):
    """Django's paginator, for Django admin's lists of a table that may hold a million rows.

    Admin counts the rows of a list to number its pages; counting a million rows takes PostgreSQL
    a tenth of a second or more on every page, and a filter that matches most of twenty million
    transactions a second. Unfiltered, such a list takes the planner's estimate of the table's size
    (kept by ANALYZE and autovacuum). Filtered or searched, it is counted up to ``exact_below``
    rows; beyond, its size is the planner's estimate for the filter, as admin's page numbers need
    no more.
    """

    exact_below = 10_000

    @cached_property
    def count(self):
        estimate = _estimated_rows(self.object_list)
        if estimate is not None and estimate >= self.exact_below:
            return estimate
        if connections[self.object_list.db].vendor != "postgresql":
            return super().count
        rows = self.object_list.order_by().values("pk")  # the rows alone: no sort, no annotations
        counted = rows[: self.exact_below + 1].count()
        if counted <= self.exact_below:
            return counted
        return max(counted, _planned_rows(self.object_list))


def _planned_rows(queryset):
    """The rows PostgreSQL's planner expects ``queryset`` to give."""
    plan = json.loads(queryset.explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def _estimated_rows(queryset):
    """PostgreSQL's estimate of the rows of an unfiltered ``queryset``'s table, or None."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or queryset.query.where:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
        )
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] >= 0 else None  # -1: never analysed
