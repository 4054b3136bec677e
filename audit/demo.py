"""Demo history and activity for seed_demo: a few client changes by default; with
``--clients N``, history rows and events in bulk, so the History tab and the activity log can be
measured at scale (bench/pages.py). Idempotent: what is there already is not added again.

The few changes go through ``save()`` like any other, so they leave history rows and events the
normal way. The bulk clients are inserted without history (clients/demo_clients.py); here each
gets its "created" history row, and its parts (identifications, family) theirs, copied inside the
database (INSERT ... SELECT), plus one "changed" row for every third client; and an event for each.
"""

import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client, FamilyMember, Identification
from offices.models import get_system_user

from . import chain
from .models import ChainHead, Event

DEMO_REASON = "demo history"
EVENT_BATCH = 5000


def seed(stdout=None, clients=0, **options):
    _seed_changes(stdout)
    if clients:
        _seed_bulk_history(stdout)


def _seed_changes(stdout):
    """A phone changed and an address completed, so every demo client page has some history."""
    if Client.history.filter(history_change_reason=DEMO_REASON).exists():
        return
    # A data load acts as the system user, as every seed does (tests/clients/test_history.py).
    system = get_system_user()
    changed = 0
    for client in Client.objects.exclude(external_id__startswith="GEN-").order_by("pk")[:20]:
        client._history_user = system
        client._change_reason = DEMO_REASON
        client.mobile_phone = (
            client.mobile_phone[:-2] + "42" if len(client.mobile_phone) > 4 else "+255712000042"
        )
        client.city = client.city or "Arusha"
        client.save()
        changed += 1
    if stdout and changed:
        stdout.write(_("Demo history: %(count)d client changes.") % {"count": changed})


def _seed_bulk_history(stdout):
    """History rows for clients and parts that have none, inside the database; then their events."""
    before = Event.objects.count()
    with transaction.atomic():
        created = sum(
            _copy_history(model, change_reason=DEMO_REASON)
            for model in (Client, Identification, FamilyMember)
        )
        changes = _copy_changes()
        if connection.vendor == "postgresql":
            # Fresh planner statistics, as mifos.bulk takes after its loads: with the counts of the
            # empty tables, PostgreSQL walked a million rows by date for one client's History tab.
            with connection.cursor() as cursor:
                for model in (Client, Identification, FamilyMember):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model.history.model._meta.db_table)}")
    events = _bulk_events()
    if stdout:
        stdout.write(
            _("Demo history: %(rows)d history rows, %(events)d events (there were %(before)d).")
            % {"rows": created + changes, "events": events, "before": before}
        )


def _columns(model):
    history = model.history.model
    own = {each.column for each in model._meta.concrete_fields}
    return [each.column for each in history._meta.concrete_fields if each.column in own]


def _copy_history(model, *, change_reason):
    """A "created" history row for each row of ``model`` that has none, dated when it was created."""
    history = model.history.model._meta.db_table
    table = model._meta.db_table
    columns = _columns(model)
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    source = ", ".join(f"src.{connection.ops.quote_name(column)}" for column in columns)
    if "created_at" in columns:
        created_at, params = "src.created_at", [change_reason]
    else:
        created_at, params = "%s", [timezone.now(), change_reason]
    sql = (
        f"INSERT INTO {history} ({quoted}, history_date, history_type, history_change_reason) "
        f"SELECT {source}, {created_at}, '+', %s FROM {table} src "
        f"WHERE NOT EXISTS (SELECT 1 FROM {history} h WHERE h.id = src.id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _copy_changes():
    """A "changed" row (the phone, a month after creation) for every third client without one."""
    history = Client.history.model._meta.db_table
    columns = [column for column in _columns(Client) if column != "mobile_phone"]
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    source = ", ".join(f"h.{connection.ops.quote_name(column)}" for column in columns)
    later = (
        "h.history_date + interval '30 days'"
        if connection.vendor == "postgresql"
        else "datetime(h.history_date, '+30 days')"
    )
    sql = (
        f"INSERT INTO {history} ({quoted}, mobile_phone, history_date, history_type, history_change_reason) "
        f"SELECT {source}, h.mobile_phone || '0', {later}, '~', %s FROM {history} h "
        f"WHERE h.history_type = '+' AND h.history_change_reason = %s AND h.id %% 3 = 0 "
        f"AND NOT EXISTS (SELECT 1 FROM {history} c WHERE c.id = h.id AND c.history_type = '~')"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [DEMO_REASON, DEMO_REASON])
        return cursor.rowcount


def _bulk_events():
    """An event per demo history row that has none yet, chained like any other, in batches."""
    history = Client.history.model
    last_done = (
        Event.objects.filter(
            event__in=["clients.client.created", "clients.client.changed"], details__demo=True
        )
        .order_by("-sequence")
        .values_list("details__history_id", flat=True)
        .first()
    ) or 0
    rows = (
        history.objects.filter(history_change_reason=DEMO_REASON, history_id__gt=last_done)
        .order_by("history_id")
        .values_list(
            "history_id", "id", "office_id", "display_name", "account_no", "history_date", "history_type"
        )
    )
    from django.contrib.contenttypes.models import ContentType

    client_type = ContentType.objects.get_for_model(Client).pk
    written = 0
    batch = []
    for row in rows.iterator(chunk_size=EVENT_BATCH):
        batch.append(row)
        if len(batch) == EVENT_BATCH:
            written += _write_events(batch, client_type)
            batch = []
    if batch:
        written += _write_events(batch, client_type)
    return written


def _write_events(rows, client_type):
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            from .recording import _locked_head

            head = _locked_head()
        events, previous = [], head.hash
        sequence = head.sequence
        for history_id, client_id, office_id, name, number, when, kind in rows:
            sequence += 1
            event = Event(
                sequence=sequence,
                created_at=(when or timezone.now()).astimezone(datetime.UTC),
                actor_name="",
                event="clients.client.created" if kind == "+" else "clients.client.changed",
                content_type_id=client_type,
                object_id=str(client_id),
                object_repr=f"{name} ({number})"[:200],
                office_id=office_id,
                details={"history_id": history_id, "demo": True},
                previous_hash=previous,
            )
            event.hash = chain.digest(event, previous)
            previous = event.hash
            events.append(event)
        Event.objects.bulk_create(events)
        ChainHead.objects.filter(pk=1).update(sequence=sequence, hash=previous)
    return len(events)
