"""Keyset ("seek") pagination for lists that may hold a million rows.

A page is found by the sort key of the row before it, not by its position: each page is one
indexed range scan, page 4,000 costs what page 1 costs, and nothing counts the whole table.
The price is that a list can step to the next or previous page only, which is how people
read a filtered list anyway.

The queryset must be ordered explicitly by names of fields or annotations (no ``__``
lookups, no NULLs), the last of them unique, for example ``order_by("search_name", "id")``.
A cursor is those values of one row, in an opaque, URL-safe string.
"""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db.models import Q

DEFAULT_PAGE_SIZE = 25


class InvalidCursor(ValueError):
    """A cursor that this list did not write (edited by hand, or from another sort order)."""


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
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidCursor(cursor) from None
    if not isinstance(values, list) or len(values) != len(keys):
        raise InvalidCursor(cursor)
    try:
        values = [key.field.to_python(value) for key, value in zip(keys, values, strict=True)]
    except (ValidationError, TypeError, ValueError):
        raise InvalidCursor(cursor) from None
    if None in values:  # sort keys are never NULL, so this list wrote no such cursor
        raise InvalidCursor(cursor)
    return values


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


def paginate(queryset, *, after=None, before=None, per_page=DEFAULT_PAGE_SIZE):
    """The page of ``queryset`` after the cursor ``after``, before ``before``, or the first page.

    One query, whatever the page. Raises InvalidCursor for a cursor this list did not write.
    """
    keys = sort_keys(queryset)
    if before:
        values = decode_cursor(keys, before)
        reverse = [f"{'' if key.descending else '-'}{key.name}" for key in keys]
        rows = list(queryset.filter(_seek(keys, values, backwards=True)).order_by(*reverse)[: per_page + 1])
        if not rows:  # the rows before were deleted meanwhile: start again
            return paginate(queryset, per_page=per_page)
        more_before = len(rows) > per_page
        rows = rows[:per_page][::-1]
        return KeysetPage(
            object_list=rows,
            next_cursor=encode_cursor(keys, rows[-1]),
            previous_cursor=encode_cursor(keys, rows[0]) if more_before else None,
        )
    if after:
        queryset = queryset.filter(_seek(keys, decode_cursor(keys, after), backwards=False))
    rows = list(queryset[: per_page + 1])
    more_after = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        object_list=rows,
        next_cursor=encode_cursor(keys, rows[-1]) if more_after else None,
        previous_cursor=(encode_cursor(keys, rows[0]) if rows else after) if after else None,
    )
