"""Counts of clients that the database keeps as clients change, so that the dashboard and the data
quality page read a few hundred summary rows instead of counting a million clients.

Triggers on clients_client (migration 0014_client_summaries) write two tables: clients per office,
status, "no phone" and "no credit officer"; and per office and month the clients submitted ("new")
and closed. Every write path keeps them right, COPY bulk loads included. ``rebuild()`` (the command
``manage.py rebuild_summaries``) counts them again from the clients, should they ever drift.
"""

import datetime
from collections import defaultdict

from django.db import connection, transaction

from offices.scoping import visible_office_ids

NEW = "new"
CLOSED = "closed"

_MONTH_OF = {
    "postgresql": "date_trunc('month', {column})::date",
    "sqlite": "date({column}, 'start of month')",
}


def _rebuild_statements():
    month = _MONTH_OF[connection.vendor]
    submitted, closed = month.format(column="submitted_on"), month.format(column="closed_on")
    return [
        "DELETE FROM clients_summary_status",
        "DELETE FROM clients_summary_month",
        """INSERT INTO clients_summary_status (office_id, status, no_phone, no_officer, n)
           SELECT office_id, status, mobile_phone = '', staff_id IS NULL, count(*) FROM clients_client
           GROUP BY office_id, status, mobile_phone = '', staff_id IS NULL""",
        f"""INSERT INTO clients_summary_month (office_id, month, kind, n)
            SELECT office_id, {submitted}, '{NEW}', count(*) FROM clients_client
            GROUP BY office_id, {submitted}""",
        f"""INSERT INTO clients_summary_month (office_id, month, kind, n)
            SELECT office_id, {closed}, '{CLOSED}', count(*) FROM clients_client
            WHERE closed_on IS NOT NULL GROUP BY office_id, {closed}""",
    ]


def rebuild():
    """Count both tables again from the clients; other writers wait for the lock meanwhile."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("LOCK TABLE clients_client IN SHARE MODE")
        for statement in _rebuild_statements():
            cursor.execute(statement)


def _office_filter(office_ids):
    """A WHERE clause and its parameters for the offices ``office_ids`` (None: every office)."""
    if office_ids is None:
        return "", []
    if not office_ids:
        return " WHERE false", []
    return f" WHERE office_id IN ({', '.join(['%s'] * len(office_ids))})", list(office_ids)


def status_rows(office_ids):
    """(office_id, status, no_phone, no_officer, count) of the offices ``office_ids`` (None: all)."""
    where, params = _office_filter(office_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT office_id, status, no_phone, no_officer, n FROM clients_summary_status"
            f"{where}{' AND' if where else ' WHERE'} n <> 0",
            params,
        )
        return [
            (office, status, bool(phone), bool(officer), n) for office, status, phone, officer, n in cursor
        ]


def month_rows(office_ids, since):
    """(month, kind, count) summed over the offices ``office_ids`` (None: all), from ``since`` on."""
    where, params = _office_filter(office_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT month, kind, sum(n) FROM clients_summary_month{where}"
            f"{' AND' if where else ' WHERE'} month >= %s GROUP BY month, kind",
            [*params, since],
        )
        rows = []
        for month, kind, count in cursor:
            if isinstance(month, str):  # SQLite gives the text it stores
                month = datetime.date.fromisoformat(month)
            rows.append((month, kind, int(count or 0)))
        return rows


class Counts:
    """The summary counts a user may see: their offices only (``offices.scoping``)."""

    def __init__(self, user):
        self.office_ids = visible_office_ids(user)
        self.rows = status_rows(self.office_ids)

    def by_status(self):
        totals = defaultdict(int)
        for _office, status, _phone, _officer, count in self.rows:
            totals[status] += count
        return dict(totals)

    def by_office(self, statuses=None, *, no_phone=None, no_officer=None):
        """Clients per office id, of ``statuses`` (all when None), with the flags asked for."""
        totals = defaultdict(int)
        for office, status, phone, officer, count in self.rows:
            if statuses is not None and status not in statuses:
                continue
            if (no_phone is not None and phone != no_phone) or (
                no_officer is not None and officer != no_officer
            ):
                continue
            totals[office] += count
        return dict(totals)


def month_starts(today, months=12):
    """The first days of the last ``months`` months, the current one last."""
    year, month = today.year, today.month
    starts = []
    for _index in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def monthly(user, today, months=12):
    """[(month start, new, closed)] over the last ``months`` months, for the user's offices."""
    starts = month_starts(today, months)
    found = {(month, kind): count for month, kind, count in month_rows(visible_office_ids(user), starts[0])}
    return [(start, found.get((start, NEW), 0), found.get((start, CLOSED), 0)) for start in starts]
