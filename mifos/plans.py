"""Plans made for a query's own values, where one plan for any values would be slow.

Settings have psycopg prepare a query the fifth time a connection sends it (``DATABASES`` in
settings). PostgreSQL then plans it for its values five times more and may keep a generic plan,
made once for any values. That is what a page's repeated queries want (the session, the user, a
client by its id): planning was most of PostgreSQL's work on them. It is wrong for a list's search
and filters, whose best plan depends on the values: a generic plan cannot tell that the names
from "garcia" to "garcib" are few, and a branch's search for a common name took 24 ms instead of 6
(``bench/search.py``). The queries run inside ``custom_plans()`` are sent unprepared, so planned
for their own values as they were before; psycopg's switch for that sends nothing to the server.
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections


def prepares_statements(connection):
    """Whether psycopg prepares the queries ``connection`` sends (not on SQLite, nor when turned off)."""
    return connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is not None


@contextmanager
def custom_plans(using=DEFAULT_DB_ALIAS):
    """Send the queries run inside unprepared, each planned for its own values."""
    connection = connections[using]
    if not prepares_statements(connection):
        yield  # nothing is prepared: every plan is made for its values already
        return
    connection.ensure_connection()
    psycopg_connection = connection.connection
    before = psycopg_connection.prepare_threshold  # None inside another custom_plans()
    psycopg_connection.prepare_threshold = None  # psycopg: None prepares nothing
    try:
        yield
    finally:
        psycopg_connection.prepare_threshold = before
