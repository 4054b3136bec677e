"""Sessions in the database, read with their user in one plain query.

Every signed-in page reads its session, then its user. Django's database store reads the session
through the ORM, whose building and compiling of that one query cost more Python than the rest of
the read; this store sends the SQL as text, and as the session row names its user
(``offices.models.Session``) it reads the user, their office, its tree and their permissions in
the same query, for the authentication backend to take (``offices.backends.reading_user_of``):
one round trip where there were three (for the head office's users, two). Sessions stay in the
database that every server shares (see "When one machine is not enough" in DESIGN.md): signing out
or a changed password ends a session everywhere at once, which neither signed cookies nor a
per-process cache would.
"""

import functools

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from .backends import user_query


class SessionStore(db.SessionStore):
    #: The user read with the session (a row of ``offices.backends.user_query()``), if it has one.
    user_row = None

    @classmethod
    def get_model_class(cls):
        from offices.models import Session

        return Session

    def load(self):
        self.user_row = None
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
        if row[1] is not None:
            self.user_row = row[1:]
        return self.decode(row[0])

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        session.user_id = None if user_id is None else get_user_model()._meta.pk.to_python(user_id)
        return session


@functools.cache
def _session_sql(alias):
    """The data of an unexpired session by its key, then its user's row (two parameters: the key,
    now)."""
    from offices.models import Session

    quote = connections[alias].ops.quote_name
    field = Session._meta.get_field
    user = user_query()
    return (
        f"SELECT s.{quote(field('session_data').column)}, {user.columns}"
        f" FROM {quote(Session._meta.db_table)} s LEFT JOIN {user.table}"
        f" ON u.{quote(get_user_model()._meta.pk.column)} = s.{quote(field('user').column)} {user.joins}"
        f" WHERE s.{quote(field('session_key').column)} = %s AND s.{quote(field('expire_date').column)} > %s"
    )


def delete_expired_sessions(sender, user, **kwargs):
    """At each sign-in, the user's own expired sessions go, so the table holds little more than who
    is signed in without IT scheduling ``clearsessions``."""
    SessionStore.get_model_class().objects.filter(user=user, expire_date__lte=timezone.now()).delete()
