"""Queries whose SQL the ORM writes once per process, then only runs.

Building a queryset and compiling it to SQL costs several times running the SQL on a warm
connection. A query that a page varies by one id only (the client's, say) is therefore written once,
for a stand-in id that no row has, and kept; each page runs that SQL with its id put in the
stand-in's places, and the ORM's converters applied to what comes back, so values read as the
ORM would return them (a Decimal from SQLite's floats, an aware datetime). The SQL is code, the
same on every server: keeping it cannot make two servers disagree (DESIGN.md, "When one machine is
not enough").

    @functools.cache
    def _totals_query(using):
        return CompiledQuery.of(Account.objects.filter(client=STAND_IN).values(...), using)

    savings, loans = _totals_query("default").first_row(client.pk) or (0, 0)

A query of model instances (``select_related`` included) gives them back as the queryset would,
through ``objects``: mifos/views.py reads every object page's object so.
"""

from dataclasses import dataclass, field

from django.db import connections
from django.db.models.query import ModelIterable, get_related_populators

# No table holds a negative id, and no query written this way may take -1 for anything else.
STAND_IN = -1


@dataclass(frozen=True)
class CompiledQuery:
    sql: str
    params: tuple
    slots: tuple  # where the stand-in is among ``params``
    converters: tuple  # (column, its converters, its expression), as the ORM's compiler gives them
    using: str
    # How a row makes a model instance and its select_related objects (a query of instances only).
    klass_info: dict | None = field(default=None, compare=False)
    select: tuple = field(default=(), compare=False)
    annotations: tuple = field(default=(), compare=False)  # (attribute, column)

    @classmethod
    def of(cls, queryset, using="default"):
        """``queryset`` (filtered on ``STAND_IN`` and on constants only), compiled for ``using``.
        Refuses a query that does not take the stand-in: it would run the same for every id."""
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots = tuple(index for index, param in enumerate(params) if _is_stand_in(param))
        if not slots:
            raise ValueError(f"a query of {queryset.model.__name__} does not take the stand-in id")
        selected = [expression for expression, _sql, _alias in compiler.select[: compiler.col_count]]
        converters = tuple(
            (column, tuple(functions), expression)
            for column, (functions, expression) in compiler.get_converters(selected).items()
        )
        if queryset._iterable_class is not ModelIterable:  # values() or values_list(): rows only
            return cls(sql, tuple(params), slots, converters, using)
        annotations = tuple((compiler.annotation_col_map or {}).items())
        return cls(
            sql,
            tuple(params),
            slots,
            converters,
            using,
            compiler.klass_info,
            tuple(compiler.select),
            annotations,
        )

    def rows(self, value):
        """Every row the query returns with ``value`` in the stand-in's places, as tuples."""
        params = list(self.params)
        for slot in self.slots:
            params[slot] = type(params[slot])(value)  # psycopg's Int8, say, as the ORM wrote it
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if not self.converters:
            return rows
        return [self._convert(list(row), connection) for row in rows]

    def first_row(self, value):
        rows = self.rows(value)
        return rows[0] if rows else None

    def objects(self, value):
        """The model instances the queryset would give with ``value``, related objects filled in:
        what Django's ``ModelIterable`` does with the rows, without compiling the query again."""
        if not self.klass_info:
            raise ValueError("this query gives values, not model instances")
        model = self.klass_info["model"]
        fields = self.klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        names = [column.target.attname for column, _sql, _alias in self.select[start:end]]
        populators = get_related_populators(self.klass_info, list(self.select), self.using)
        instances = []
        for row in self.rows(value):
            instance = model.from_db(self.using, names, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for attribute, column in self.annotations:
                setattr(instance, attribute, row[column])
            instances.append(instance)
        return instances

    def _convert(self, row, connection):
        for column, functions, expression in self.converters:
            for function in functions:
                row[column] = function(row[column], expression, connection)
        return tuple(row)


def _is_stand_in(param):
    # An int, or psycopg's Int8 (an int) when the database binds parameters; not a bool.
    return isinstance(param, int) and not isinstance(param, bool) and param == STAND_IN
