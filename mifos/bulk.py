"""Writing many rows fast: COPY on PostgreSQL, bulk_create elsewhere.

For loads of hundreds of thousands of rows (demo data, imports). Rows are plain lists in the
order of a Table's columns; they skip ``save()``, signals and history, so the caller computes
whatever ``save()`` would have (with the same functions).

On PostgreSQL, inside ``BulkWriter.loading()``:

- the COPY runs in a second thread while the caller makes the next rows (two cores, two jobs);
- a writer made with ``binary=True`` sends COPY's binary format, for rows that hold their fields'
  Python types (dates as dates, amounts as Decimal), as model instances do: nothing is turned into
  text and parsed back (a client's row costs half as much on each side);
- when the load at least doubles the tables, their secondary indexes and foreign keys are
  dropped and built again at the end: building an index once is many times faster than
  updating twenty of them row by row, and one join checks a foreign key for every row.

All of it happens in the caller's transaction: a failure leaves the tables as they were (the ids
drawn from a sequence are not given back: it leaves a gap).
"""

import contextlib
import queue
import threading
from operator import itemgetter

from django.db import connection
from django.db.models.base import ModelState

# Below this many new rows, indexes are updated as rows go in rather than built again.
DEFERRED_INDEX_THRESHOLD = 50_000


class Table:
    """The columns of one model for bulk writing, and a row of their defaults to fill in."""

    def __init__(self, model, *, with_id=False):
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields if with_id or not field.primary_key]
        self.position = {field.attname: index for index, field in enumerate(self.fields)}
        self.defaults = [_plain(field.get_default()) for field in self.fields]
        self._plans = {}
        self._types = None  # the columns' type oids in the database, for the binary format
        self._with_choices = [index for index, field in enumerate(self.fields) if field.choices]
        self._values_of = itemgetter(*self.position)

    def row(self, values):
        """A row of the defaults with ``values`` (a dict of attribute names) filled in."""
        row = self.defaults.copy()
        position = self.position
        for name, value in values.items():
            row[position[name]] = value
        return row

    def row_of(self, instance):
        """A row of ``instance``'s own values, its model being this table's and none of its fields
        deferred. Read from the instance's dict in one step: a getattr() per field went through
        the descriptor of each foreign key, and took seven times as long."""
        row = list(self._values_of(vars(instance)))
        for index in self._with_choices:
            row[index] = _plain(row[index])
        return row

    def row_from(self, source, row, values):
        """A row of this table from ``row``, a row of ``source`` whose columns this table repeats (as a
        history table repeats its model's), with ``values`` (a dict) for the others."""
        plan = self._plans.get(source)
        if plan is None:
            # One step per row: pick each column from the source row, or from the defaults after it.
            after = len(source.fields)
            plan = self._plans[source] = itemgetter(
                *(source.position.get(name, after + index) for index, name in enumerate(self.position))
            )
        out = list(plan(row + self.defaults))
        position = self.position
        for name, value in values.items():
            out[position[name]] = value
        return out

    def copy_statement(self, *, binary=False):
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        options = " (FORMAT BINARY)" if binary else ""
        return f"COPY {quote(self.model._meta.db_table)} ({columns}) FROM STDIN{options}"

    def types(self, cursor):
        """The type oids of the columns, read once from the catalogue: binary COPY needs them."""
        if self._types is None:
            cursor.execute(
                "SELECT attribute.atttypid FROM unnest(%s::text[]) WITH ORDINALITY AS wanted(name, position)"
                " JOIN pg_attribute attribute ON attribute.attrelid = %s::regclass"
                " AND attribute.attname = wanted.name ORDER BY wanted.position",
                [[field.column for field in self.fields], self.model._meta.db_table],
            )
            self._types = [oid for (oid,) in cursor.fetchall()]
        return self._types


class Blank:
    """New instances of ``model`` that all start as ``model(*args, **kwargs)`` would, for checking many
    rows with the model's own rules (``full_clean``) before writing them in bulk.

    ``Model(...)`` sets each field through its descriptor: 13 µs for a client, an import's cost of
    a row twice over. A blank copies the attributes of one instance so made (1 µs). The defaults
    must not be mutable (a JSONField's dict would be shared): the constructor refuses them.
    """

    def __init__(self, model, *args, **kwargs):
        first = model(*args, **kwargs)
        self.model = model
        self.values = {name: value for name, value in vars(first).items() if name != "_state"}
        self.related = dict(first._state.fields_cache)
        mutable = [name for name, value in self.values.items() if isinstance(value, (list, dict, set))]
        if mutable:
            raise ValueError(f"{model.__name__}: mutable defaults would be shared: {', '.join(mutable)}")

    def __call__(self):
        instance = self.model.__new__(self.model)
        state = ModelState()
        state.fields_cache = self.related.copy()
        vars(instance).update(self.values, _state=state)
        return instance


def relate(instance, field, related):
    """``instance.<field> = related`` for a new ``instance`` of a bulk load, ``field`` a foreign key:
    the id and the cached object, without the descriptor's checks of the related object's model
    and database, which cost four times as much (nine relations a row on an import)."""
    vars(instance)[field.attname] = None if related is None else related.pk
    field.set_cached_value(instance, related)


def _plain(value):
    """Choices' enum members as their plain values, which every database driver understands."""
    return value.value if isinstance(value, str) and hasattr(value, "value") else value


def _copy(raw_connection, table, rows, binary=False):
    with raw_connection.cursor() as cursor:
        types = table.types(cursor) if binary else None
        with cursor.copy(table.copy_statement(binary=binary)) as copy:
            if binary:
                copy.set_types(types)
            for row in rows:
                copy.write_row(row)


class BulkWriter:
    """Writes lists of rows; see the module's docstring."""

    batch_size = 500

    def __init__(self, *, binary=False):
        self.copies = connection.vendor == "postgresql"
        self.binary = binary
        self._pipe = None
        self._sequences = {}

    def reserve_ids(self, model, count):
        """``count`` new primary keys of ``model``, so that rows can point at rows not written yet.

        On PostgreSQL drawn from the table's sequence in one query, without a lock: each draw is
        atomic and never rolled back, so an id is never handed out twice, and others keep inserting
        rows meanwhile (a table lock held to the end of a long import stopped every office's edits).
        The ids of a call follow one another unless someone else drew one in between."""
        if count <= 0:
            return []
        if self.copies:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(%s::regclass) AS id FROM generate_series(1, %s) ORDER BY id",
                    [self._sequence(model), count],
                )
                return [value for (value,) in cursor.fetchall()]
        # SQLite: one writer at a time, and the caller's transaction is it.
        start = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        return list(range(start, start + count))

    def _sequence(self, model):
        """The oid of the sequence of ``model``'s primary key, read once: named by its oid, the draw
        of a million ids takes a sixth of the time it takes when the name is looked up for each."""
        if model not in self._sequences:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)::regclass::oid",
                    [model._meta.db_table, model._meta.pk.column],
                )
                self._sequences[model] = cursor.fetchone()[0]
        return self._sequences[model]

    def write(self, table, rows):
        if not rows:
            return
        if self._pipe is not None:
            self._pipe.put(table, rows, self.binary)
        elif self.copies:
            _copy(connection.connection, table, rows, self.binary)
        else:
            names = [field.attname for field in table.fields]
            table.model.objects.bulk_create(
                [table.model(**dict(zip(names, row, strict=True))) for row in rows],
                batch_size=self.batch_size,
            )

    def drain(self):
        """Wait for the COPYs handed to the second thread so far: the connection is free again."""
        if self._pipe is not None:
            self._pipe.drain()

    def _after_copies(self, execute, sql, params, many, context):
        self.drain()
        return execute(sql, params, many, context)

    @contextlib.contextmanager
    def loading(self, models, *, rows_added, rows_there, threaded=True, keep_indexes=()):
        """A load of ``rows_added`` rows into tables holding ``rows_there``: the fast path, then statistics.

        When ``threaded``, the COPYs run in a second thread, and a query through Django's
        connection first waits for the COPYs handed so far (an execute wrapper): the caller may
        query between writes (the importer's duplicate checks), while PostgreSQL takes in one
        batch the caller checks the next. Work on the raw connection calls ``drain()`` first.
        ``keep_indexes`` names the indexes such queries need.
        """
        if not self.copies:
            yield self
            return
        tables = [model._meta.db_table for model in models]
        defer = rows_added >= max(rows_there, DEFERRED_INDEX_THRESHOLD)
        with DeferredIndexes(tables, keep=keep_indexes) if defer else contextlib.nullcontext():
            connection.ensure_connection()
            self._pipe = CopyPipe(connection.connection) if threaded else None
            try:
                with connection.execute_wrapper(self._after_copies):
                    yield self
            except BaseException:
                if self._pipe is not None:
                    self._pipe.close(failed=True)
                raise
            else:
                if self._pipe is not None:
                    self._pipe.close()
            finally:
                self._pipe = None
        with connection.cursor() as cursor:
            # Fresh planner statistics, so that the first searches after the load use the indexes.
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


class CopyPipe:
    """A second thread that runs the COPYs in order while the main thread makes more rows."""

    def __init__(self, raw_connection):
        self.raw_connection = raw_connection
        self.jobs = queue.Queue(maxsize=4)  # bounded, so memory stays flat on a long load
        self.error = None
        self.thread = threading.Thread(target=self._run, name="bulk-copy", daemon=True)
        self.thread.start()

    def put(self, table, rows, binary=False):
        if self.error is not None:
            raise self.error
        self.jobs.put((table, rows, binary))

    def _run(self):
        while (job := self.jobs.get()) is not None:
            try:
                if self.error is None:
                    _copy(self.raw_connection, *job)
            except Exception as error:  # handed to the main thread, which raises it
                self.error = error
            finally:
                self.jobs.task_done()

    def drain(self):
        self.jobs.join()
        if self.error is not None:
            raise self.error

    def close(self, *, failed=False):
        self.jobs.put(None)
        self.thread.join()
        if self.error is not None and not failed:
            raise self.error


class DeferredIndexes:
    """Drops the secondary indexes and foreign keys of some PostgreSQL tables, and builds them again on exit.

    The definitions are read from the catalogue and written back as they were; primary keys, unique
    constraints and the indexes named in ``keep`` stay. Other sessions wait for these tables until
    the transaction ends.
    """

    def __init__(self, tables, *, keep=()):
        self.tables = tables
        self.keep = set(keep)
        self.indexes = []
        self.foreign_keys = []

    def __enter__(self):
        quote = connection.ops.quote_name
        # Checks still pending from earlier in the transaction would forbid ALTER TABLE: run them
        # now, as Django's check_constraints() does.
        connection.check_constraints()
        with connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                    " WHERE conrelid = %s::regclass AND contype = 'f'",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    self.foreign_keys.append((table, name, definition))
                    cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                cursor.execute(
                    "SELECT index.relname, pg_get_indexdef(pg_index.indexrelid) FROM pg_index"
                    " JOIN pg_class index ON index.oid = pg_index.indexrelid"
                    " WHERE pg_index.indrelid = %s::regclass AND NOT pg_index.indisprimary"
                    " AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = pg_index.indexrelid)",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    if name in self.keep:
                        continue
                    self.indexes.append(definition)
                    cursor.execute(f"DROP INDEX {quote(name)}")
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is not None:
            return  # the transaction is rolled back, and the indexes with it
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for definition in self.indexes:
                cursor.execute(definition)
            for table, name, definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


def in_ids(field, ids, *, array_type="bigint"):
    """``field IN ids`` for ``filter()``; on PostgreSQL ``field = ANY(array)`` with one array parameter.

    Django prepares each of two thousand ids of an IN list one by one, which took a fifth of the
    client export's time; whole numbers go as one array literal (``{1,2,3}``), which PostgreSQL
    parses faster than psycopg quotes a list of them, and ``= ANY`` lets it walk an index in the
    array's order (a sixth faster than joining the array's rows). ``array_type`` "text" for a
    list of strings (the importer's external ids and numbers)."""
    from django.db.models import BooleanField, F, Func, Q, Value

    if connection.vendor != "postgresql":
        return Q(**{f"{field}__in": ids})
    if array_type == "bigint":
        values = "{" + ",".join(map(str, map(int, ids))) + "}"
    else:
        values = list(ids)
    # "field = ANY(%s::bigint[])": the two expressions joined by " = ANY(".
    return Func(
        F(field),
        Value(values),
        arg_joiner=" = ANY(",
        template=f"%(expressions)s::{array_type}[])",
        output_field=BooleanField(),
    )
