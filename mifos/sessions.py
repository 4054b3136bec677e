"""Sessions in the database, read with one plain query.

Every signed-in page reads its session first. Django's database store reads it through the ORM,
whose building and compiling of that one query cost more Python than the rest of the read; this
store sends the same SQL as text. Sessions stay in the database that every server shares (see
"When one machine is not enough" in DESIGN.md): signing out or a changed password ends a
session everywhere at once, which neither signed cookies nor a per-process cache would.
"""

import functools

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self):
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(
                _session_sql(alias),
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's store does: a new key if anything is saved
            return {}
        return self.decode(row[0])


@functools.cache
def _session_sql(alias):
    """The data of an unexpired session by its key (two parameters: the key, now)."""
    from django.contrib.sessions.models import Session

    quote = connections[alias].ops.quote_name
    field = Session._meta.get_field
    return (
        f"SELECT {quote(field('session_data').column)} FROM {quote(Session._meta.db_table)}"
        f" WHERE {quote(field('session_key').column)} = %s AND {quote(field('expire_date').column)} > %s"
    )
