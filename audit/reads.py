"""Records of sensitive reads: who took client data away (downloads, exports) or, if head office asks,
who opened a client's page.

Downloads and exports are always recorded by the app that serves them, through ``record_export``
(or ``record`` itself); a view of any page of a client's (its tabs, its forms, admin's) only when
``AuditRules.record_client_views`` is on.
"""

import functools

from django.db import connection
from django.http import QueryDict

from .models import AuditRules
from .recording import record


def record_export(request, event, *, rows, filter=None, obj=None, office=None, **details):
    """Record an export or a download: the filter used (a QueryDict or a dict) and the row count.

    For example ``record_export(request, "clients.client.exported", rows=120, filter=request.GET)``.
    """
    return record(request, event, obj=obj, office=office, rows=rows, filter=plain_filter(filter), **details)


def plain_filter(data):
    """A filter as JSON-able data: a single value as itself, several as a list; empty values left out."""
    if data is None:
        return {}
    if isinstance(data, QueryDict):
        items = ((key, data.getlist(key)) for key in data)
    else:
        items = ((key, value if isinstance(value, list) else [value]) for key, value in data.items())
    plain = {}
    for key, values in items:
        values = [str(getattr(value, "pk", value)) for value in values if value not in (None, "")]
        if values and key not in ("after", "before", "csrfmiddlewaretoken"):
            plain[key] = values[0] if len(values) == 1 else values
    return plain


def record_client_view(request, client, *, page):
    """Record that ``request``'s user opened ``page`` of ``client`` (a tab, or admin's), if head office
    turned that on: every page that shows the client's data, since any of them can be opened alone."""
    if _records_client_views():
        record(request, "clients.client.viewed", obj=client, page=page)


def _records_client_views():
    """Head office's choice, read without creating the row (a page view writes nothing unless asked).
    Every page of every client reads it: its query is compiled once, since the ORM's compiling of it
    cost several times its running."""
    sql, params = _client_views_rule_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bool(row and row[0])


@functools.cache
def _client_views_rule_sql(vendor):
    rule = AuditRules.objects.filter(pk=1).values_list("record_client_views", flat=True)[:1]
    return rule.query.get_compiler(connection=connection).as_sql()
