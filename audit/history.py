"""A client's history: every history row of the client and of its parts, as readable field-level diffs.

Each tracked model's history table is read on its own, by the client's id and newest first (an index
on (client id, history_date, history_id) per table, migration 0004), and the tables are merged into
one page with UNION ALL. Then each model's rows of the page are read with their previous versions in
two queries, and the ids they name (offices, officers, lookup entries, users) are turned into names
with one query per related model. The number of queries depends on the models, not on the history.

The queries of the first page's rows, of each model's rows and of a record's stamps take only ids:
their SQL is written by the ORM once per process, for stand-in ids, and then run with the real ones
(``_sql_for_stand_ins``, ``_first_page_sql``, and mifos/compiled.py for the stamps).

A page reads ahead (``READ_AHEAD``) and leaves out changes with nothing a person would see (only a
hidden field changed): still a fixed number of queries, and its cursor is the last row it read past.
Values read as on the pages: amounts and dates in the language's format, names rather than ids, a
file's size in kB rather than bytes, and no storage internals (stored names, checksums).
"""

import base64
import binascii
import functools
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.db import connections, models
from django.db.models import IntegerField, OuterRef, Q, Subquery, Value
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mifos.compiled import STAND_IN, CompiledQuery
from mifos.pagination import InvalidCursor
from offices.models import SYSTEM_USERNAME

from . import kinds

PER_PAGE = 20
# How many rows a page reads per row it shows, to fill it although some rows show no change.
READ_AHEAD = 3

# Kept by the models themselves or repeated elsewhere: showing them would only add noise.
HIDDEN_FIELDS = {
    "id",
    "created_at",
    "created_by",
    "created_by_name",
    "updated_at",
    "updated_by",
    "display_name",
    "search_name",
    "number_normalized",
    "status_changed_on",
    # How a file is stored, not what a person uploaded.
    "stored_name",
    "thumbnail_name",
    "sha256",
}
# A count of bytes, shown as "10.6 KB" under this label rather than "Size in bytes: 10861".
SIZE_FIELDS = {"size"}

# The activity log's names of the same changes ("clients.identification.created"): a whole sentence
# per kind of record, so that a translation agrees in gender ("Pièce d'identité ajoutée").
_VERBS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    """One history row as a person reads it: who, when, what, and each changed field."""

    when: datetime
    who: str
    title: str  # what happened to which kind of record: "Identification added"
    what: str  # the object's description
    action: str  # "+", "~" or "-"
    changes: list = field(default_factory=list)

    @property
    def shows_nothing(self):
        """A change of hidden fields only (a saved record, a thumbnail made): nothing to read."""
        return self.action == "~" and not self.changes


@functools.cache
def tracked_models():
    """(rank, model, name of the field holding the client) for the client and each of its parts.

    A part is any model with history and a foreign key (or one-to-one) named ``client`` to Client;
    documents and group memberships join by themselves when their apps track them.
    """
    client_model = apps.get_model("clients", "Client")
    found = [(client_model, "id")]
    for model in apps.get_models():
        if model is client_model or not hasattr(model, "history") or not _has_history(model):
            continue
        try:
            client_field = model._meta.get_field("client")
        except Exception:  # noqa: BLE001 -- no such field: not a part of a client
            continue
        if getattr(client_field, "related_model", None) is client_model:
            found.append((model, "client_id"))
    found.sort(key=lambda item: item[0]._meta.label)
    return tuple((rank, model, column) for rank, (model, column) in enumerate(found))


def _has_history(model):
    manager = getattr(model, "history", None)
    return manager is not None and hasattr(manager, "model") and manager.model is not model


@functools.cache
def _history(model):
    return model.history.model


# --- The page of rows -----------------------------------------------------------------------------


def encode_cursor(row):
    values = [row[0].isoformat(), row[1], row[2]]
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor):
    try:
        date, rank, history_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return datetime.fromisoformat(date), int(rank), int(history_id)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise InvalidCursor(cursor) from None


def _seek(rank, after):
    """Rows of the table ranked ``rank`` that come after ``after`` (newest first: date, rank, id)."""
    if after is None:
        return Q()
    date, after_rank, history_id = after
    if rank < after_rank:
        return Q(history_date__lte=date)
    if rank > after_rank:
        return Q(history_date__lt=date)
    return Q(history_date__lt=date) | Q(history_date=date, history_id__lt=history_id)


def viewable_ranks(user):
    """The ranks of the tracked models whose records ``user`` may view (their model's view permission,
    as each part's own tab asks): the client's always, as its History tab asks for the client's."""
    client_model = apps.get_model("clients", "Client")
    return tuple(
        rank
        for rank, model, _column in tracked_models()
        if model is client_model
        or user.has_perm(f"{model._meta.app_label}.{get_permission_codename('view', model._meta)}")
    )


def page_rows(client, *, after=None, per_page=PER_PAGE, using="default", ranks=None):
    """(rows of the page as (history_date, rank, history_id), cursor of the next page or None)."""
    rows = _read_rows(client, after, per_page + 1, using, ranks)
    next_cursor = encode_cursor(rows[per_page - 1]) if len(rows) > per_page else None
    return rows[:per_page], next_cursor


def _read_rows(client, after, limit, using="default", ranks=None):
    """Up to ``limit`` rows (history_date, rank, history_id) after ``after``, newest first, of the
    tables ranked ``ranks`` (None: every tracked table)."""
    ranks = _all_ranks() if ranks is None else tuple(ranks)
    if after is None:
        return _first_page(client.pk, limit, using, ranks)
    return list(_page_query(client.pk, after, limit, using, ranks))


def _all_ranks():
    return tuple(rank for rank, _model, _column in tracked_models())


def _page_query(client_pk, after, limit, using, ranks=None):
    """The client's rows of the tracked tables ranked ``ranks`` (None: every one) after ``after``,
    merged newest first, ``limit`` of them."""
    ranks = _all_ranks() if ranks is None else ranks
    # A single table (a role that may view the client alone) is no UNION: it is ordered once, below.
    per_table_limit = len(ranks) > 1 and connections[using].features.supports_slicing_ordering_in_compound
    pieces = []
    for rank, model, column in tracked_models():
        if rank not in ranks:
            continue
        piece = (
            _history(model)
            .objects.using(using)
            .filter(**{column: client_pk})
            .filter(_seek(rank, after))
            .annotate(rank=Value(rank, output_field=IntegerField()))
            .values_list("history_date", "rank", "history_id")
        )
        if per_table_limit:  # each table walks its own index and stops at the page's end
            piece = piece.order_by("-history_date", "-history_id")[:limit]
        else:
            piece = piece.order_by()
        pieces.append(piece)
    merged = pieces[0].union(*pieces[1:], all=True) if len(pieces) > 1 else pieces[0]
    return merged.order_by("-history_date", "-rank", "-history_id")[:limit]


def _first_page(client_pk, limit, using, ranks):
    """The first page, the one nearly every visit reads, by the SQL of ``_first_page_sql``."""
    sql, params, slots = _first_page_sql(limit, using, ranks)
    params = list(params)
    for slot in slots:
        params[slot] = client_pk
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(_aware(when, connection), rank, history_id) for when, rank, history_id in cursor.fetchall()]


@functools.cache
def _first_page_sql(limit, using, ranks):
    """(SQL, parameters, the parameters' places of the client id) of the first page's query, written
    by the ORM once per process (and set of tables a role may view) for a stand-in client: building
    and compiling a UNION of every tracked table cost more than running it. Its other parameters are
    the tables' ranks (0 and up)."""
    stand_in = -1
    sql, params = _page_query(stand_in, None, limit, using, ranks).query.get_compiler(using).as_sql()
    return sql, tuple(params), tuple(index for index, param in enumerate(params) if param == stand_in)


# --- Reading the rows and their previous versions --------------------------------------------------


def entries(client, *, after=None, per_page=PER_PAGE, user=None):
    """(Entries of one page of the client's history, newest first; cursor of the next page).

    With ``user``, only the kinds of record that user may view (``viewable_ranks``): a role that may
    not open the Notes tab does not read the notes here either.

    Rows that show no change are left out: the page reads ``READ_AHEAD`` times its length and stops
    at its ``per_page``-th entry that shows something. Its cursor is the last row it went past, so
    the next page starts after the rows left out; a page of rows that all show nothing is empty
    but for its cursor.
    """
    if isinstance(after, str):
        after = decode_cursor(after)
    limit = per_page * READ_AHEAD + 1
    rows = _read_rows(client, after, limit, ranks=None if user is None else viewable_ranks(user))
    models_by_rank = {rank: model for rank, model, _column in tracked_models()}
    wanted = {}
    for _date, rank, history_id in rows:
        wanted.setdefault(rank, []).append(history_id)
    versions = {}  # (rank, history_id) -> historical row, its previous version attached
    for rank, ids in wanted.items():
        versions.update({(rank, row.history_id): row for row in _with_previous(models_by_rank[rank], ids)})
    names = _names([row for row in versions.values()] + [row._previous for row in versions.values()])
    shown, last_read = [], None
    for page_row in rows:
        _date, rank, history_id = page_row
        entry = _entry(models_by_rank[rank], versions[(rank, history_id)], names, client)
        if entry.shows_nothing:
            last_read = page_row
            continue
        if len(shown) == per_page:
            return shown, encode_cursor(last_read)
        shown.append(entry)
        last_read = page_row
    # Every row read was taken or passed over: more may follow only if the read was full.
    return shown, encode_cursor(last_read) if len(rows) == limit else None


def every_entry(client):
    """Every entry of the client's history, oldest first, worded as the History tab words them: for
    the client's own record (clients.record), which holds it all. A query per tracked model, each
    row's previous version found among the rows read, then a query per related model it names."""
    read = []
    for rank, model, column in tracked_models():
        history = _history(model)
        key = history.instance_type._meta.pk.attname
        latest = {}  # object's id -> its latest row read so far
        for row in history.objects.filter(**{column: client.pk}).order_by("history_date", "history_id"):
            row._previous = latest.get(getattr(row, key))
            latest[getattr(row, key)] = row
            read.append((row.history_date, rank, row.history_id, model, row))
    read.sort(key=lambda item: item[:3])
    names = _names([row for *_order, _model, row in read])
    shown = (_entry(model, row, names, client) for *_order, model, row in read)
    return [entry for entry in shown if not entry.shows_nothing]


def _with_previous(model, history_ids):
    """The history rows ``history_ids`` of ``model``, each with ``_previous`` (or None): two queries.

    The page's rows with the id of their previous version first, then those previous versions by
    id: both walk primary keys. Asking for both at once ("these ids, or the previous of these") made
    PostgreSQL read the whole history table, seconds at a million clients. Both queries' SQL is
    written by the ORM once per model and number of ids (``_by_ids_sql``) and then run with the ids:
    for the client's own history, building and compiling them cost about 8 of 13.6 million instructions.
    """
    history = _history(model)
    history_ids = list(dict.fromkeys(history_ids))
    sql, slots = _by_ids_sql(history, len(history_ids), with_previous=True)
    rows = list(history.objects.raw(sql, [history_ids[slot] for slot in slots]))
    wanted = sorted({row.previous_id for row in rows} - {None})
    by_id = {}
    if wanted:
        sql, slots = _by_ids_sql(history, len(wanted), with_previous=False)
        by_id = {row.history_id: row for row in history.objects.raw(sql, [wanted[slot] for slot in slots])}
    for row in rows:
        row._previous = by_id.get(row.previous_id)
    return rows


@functools.cache
def _by_ids_sql(history, count, *, with_previous):
    """``_sql_for_stand_ins`` of the ``count`` rows of ``history`` with the ids it is given, with the
    id of each one's previous version as ``previous_id`` if ``with_previous``."""
    stand_ins = [-1 - index for index in range(count)]
    rows = history.objects.filter(history_id__in=stand_ins)
    if with_previous:
        key = history.instance_type._meta.pk.attname
        previous = (
            # The same object's earlier rows (its key may be the client itself: a photo).
            history.objects.filter(**{key: OuterRef(key)})
            .filter(
                Q(history_date__lt=OuterRef("history_date"))
                | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
            )
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        rows = rows.annotate(previous_id=Subquery(previous))
    return _sql_for_stand_ins(rows, stand_ins)


def _sql_for_stand_ins(queryset, stand_ins):
    """(SQL of ``queryset``, which of ``stand_ins`` each of its parameters is): the queryset is built
    for stand-in ids no row has, and run with the real ones put in their places. Building and
    compiling a query cost several times running it; the SQL is code, the same on every server.
    Refuses a queryset with any other parameter, which could not be put in its place."""
    sql, params = queryset.query.sql_with_params()
    if not params or any(param not in stand_ins for param in params):
        raise ValueError(f"a query of {queryset.model.__name__} takes more than its ids: {params}")
    return sql, tuple(stand_ins.index(param) for param in params)


@functools.cache
def _fields(model):
    """(field, its copy as text or None) of each field shown. A name kept as text beside its foreign
    key ("uploaded by (name)" beside "uploaded by") is shown once, as the foreign key's, and named
    by the text when the related record is gone."""
    fields = [
        each
        for each in _history(model)._meta.concrete_fields
        if not each.name.startswith("history_") and each.name not in HIDDEN_FIELDS
    ]
    relations = {each.name: each for each in fields if each.is_relation}
    copies = {f"{name}_name": name for name in relations}
    by_relation = {copies[each.name]: each for each in fields if each.name in copies}
    return tuple(
        (each, by_relation.get(each.name) if each.is_relation else None)
        for each in fields
        if each.name not in copies
    )


def _names(rows):
    """{(related model, pk): object} for the foreign keys and authors of ``rows``: a query per model."""
    wanted = {}
    for row in rows:
        if row is None:
            continue
        for each in type(row)._meta.concrete_fields:
            # The client itself is known already; its parts name it, the page need not read it.
            if each.is_relation and each.name not in HIDDEN_FIELDS and each.name not in ("client", "id"):
                value = getattr(row, each.attname)
                if value is not None:
                    wanted.setdefault(each.related_model, set()).add(value)
    names = {}
    for related, ids in wanted.items():
        # select_related(): a name may be made of the object's own required relations (an
        # identification's type), read in the same query.
        for obj in related._default_manager.select_related().filter(pk__in=ids):
            names[(related, obj.pk)] = obj
    return names


def _name(obj):
    if hasattr(obj, "get_full_name"):
        return obj.get_full_name() or obj.get_username()
    return str(obj)


def _display(model_field, value, names, copy=""):
    """``value`` of ``model_field`` as the pages show it; ``copy`` names a related record that is gone."""
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        obj = names.get((model_field.related_model, value))
        return _name(obj) if obj is not None else copy or f"#{value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(model_field, models.DateTimeField):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(model_field, models.DateField):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(model_field, models.DecimalField):
        return formats.number_format(
            value, decimal_pos=model_field.decimal_places, use_l10n=True, force_grouping=True
        )
    if model_field.name in SIZE_FIELDS and isinstance(value, int):
        return filesizeformat(value)
    return str(value)


def _label(model_field):
    label = _("Size") if model_field.name in SIZE_FIELDS else str(model_field.verbose_name)
    return label[:1].upper() + label[1:]


def _title(model, action):
    return str(kinds.label(f"{model._meta.label_lower}.{_VERBS.get(action, 'changed')}"))


def _entry(model, row, names, client):
    user_field = type(row)._meta.get_field("history_user")
    user = names.get((user_field.related_model, row.history_user_id))
    entry = Entry(
        when=row.history_date,
        who=_name(user) if user is not None else _("the system"),
        title=_title(model, row.history_type),
        what=_describe(model, row, names, client),
        action=row.history_type,
    )
    if row.history_type == "-":
        return entry
    previous = row._previous
    for each, copy in _fields(model):
        if each.attname == "client_id" or (each.name == "client"):
            continue
        new = getattr(row, each.attname)
        new_copy = getattr(row, copy.attname) if copy else ""
        if row.history_type == "+" or previous is None:
            if new in (None, ""):
                continue
            entry.changes.append(Change(_label(each), "", _display(each, new, names, new_copy)))
            continue
        old = getattr(previous, each.attname)
        if old != new:
            old_copy = getattr(previous, copy.attname) if copy else ""
            shown = (_display(each, old, names, old_copy), _display(each, new, names, new_copy))
            entry.changes.append(Change(_label(each), *shown))
    return entry


def _describe(model, row, names, client):
    """The part's own description (its __str__), with the related objects already read."""
    if model is apps.get_model("clients", "Client"):
        return ""
    instance = row.instance
    for each in model._meta.concrete_fields:
        if each.name == "client":
            instance._state.fields_cache["client"] = client
        elif each.is_relation:
            obj = names.get((each.related_model, getattr(row, each.attname, None)))
            if obj is not None:
                instance._state.fields_cache[each.name] = obj
    try:
        return str(instance)
    except Exception:  # noqa: BLE001 -- a description that needs what is gone: the kind alone
        return ""


@dataclass(frozen=True)
class Stamp:
    """When a record was written, and by whom: "" for the system (an import or a command)."""

    when: datetime
    author: str


def stamps(obj):
    """(first Stamp, latest Stamp) of ``obj``, or (None, None) if it has no history: one query.

    The "created by / last changed by" of a record page, for records created by pages, admin,
    imports and commands alike. The query's SQL is written by the ORM once per model
    (``_stamps_query``, mifos/compiled.py) and then only run with the record's id: building and
    compiling its two subqueries cost fifteen times running it, a seventh of a client page.
    """
    # _history(type(obj)): obj.history would build a manager class.
    rows = _stamps_query(_history(type(obj)), obj._state.db or "default").rows(obj.pk)
    found = [
        Stamp(when, _author(first_name, last_name, username))
        for when, first_name, last_name, username in rows
    ]
    return (found[0], found[-1]) if found else (None, None)


def _author(first_name, last_name, username):
    """A stamp's author: "" for none and for the system user, whom the page names in its language
    (as ``User.get_full_name`` does)."""
    if username is None or username == SYSTEM_USERNAME:
        return ""
    return f"{first_name or ''} {last_name or ''}".strip() or username


@functools.cache
def _stamps_query(history, using):
    """The first and latest rows of one record of ``history``, with their authors, for its id."""
    rows = history.objects.filter(**{history.instance_type._meta.pk.attname: STAND_IN})
    ends = Q(history_id=Subquery(rows.order_by("history_date", "history_id").values("history_id")[:1]))
    ends |= Q(history_id=Subquery(rows.order_by("-history_date", "-history_id").values("history_id")[:1]))
    shown = ["history_date", "history_user__first_name", "history_user__last_name", "history_user__username"]
    query = rows.filter(ends).order_by("history_date", "history_id").values_list(*shown)
    return CompiledQuery.of(query, using)


def _aware(when, connection):
    # SQLite gives a naive datetime in the database's time zone, as the ORM's own converter would see it.
    if when is not None and timezone.is_naive(when):
        return timezone.make_aware(when, connection.timezone)
    return when
