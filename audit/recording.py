"""``record()``: the one way any app writes an event to the activity log."""

from datetime import UTC

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from simple_history.models import HistoricalRecords

from offices.scoping import visible_office_ids

from . import chain
from .models import ChainHead, Event


def record(actor, event, *, obj=None, office=None, other_office=None, **details):
    """Append one event to the activity log and return it.

    ``actor`` is the request (its user and address are kept), a user (with the address of the request
    being served, when it is that user's), or None for the system.
    ``event`` is a dotted name such as "clients.client.activated". ``obj`` is the model instance it
    concerns (its kind, id and description are kept as text). ``office`` is the office it concerns,
    for scoping (default: ``obj.office``, ``obj.client.office`` or ``obj.group.office``).
    ``other_office`` is a second office it concerns, which sees it too (a transfer's receiving office;
    default: the actor's office when ``office`` is not one of theirs, as when the receiving office
    reads a client on its way in).
    ``details`` is JSON-able extra data (file name, row count, filter). Never pass a password.

    One INSERT inside the caller's transaction: if that rolls back, so does the event. The event
    joins the hash chain once the transaction has committed (``seal``), in a short transaction of
    its own, so that a long one (an import) never holds up other users' writes, and no lock is
    taken in the middle of a caller's work (where it could deadlock against theirs).
    """
    user, address = _actor(actor)
    office_id = _office_id(office, obj)
    entry = Event(
        created_at=timezone.now().astimezone(UTC),
        actor_id=user.pk if user is not None else None,
        actor_name=user.get_username()[:150] if user is not None else "",
        event=event,
        office_id=office_id,
        other_office_id=_other_office_id(other_office, user, office_id),
        details=chain.canonical_details(details),
        remote_addr=address,
    )
    if obj is not None:
        entry.content_type_id = ContentType.objects.get_for_model(obj, for_concrete_model=False).pk
        entry.object_id = "" if obj.pk is None else str(obj.pk)
        # Written once and kept, so in the institution's language rather than the actor's: a log read
        # by auditors in one language said "Depósito 1250" beside "Deposit 300".
        with translation.override(settings.LANGUAGE_CODE):
            entry.object_repr = str(obj)[:200]
    entry.save(force_insert=True)
    _seal_after_commit()
    return entry


def _seal_after_commit():
    """Seal once the transaction commits (at once without one); once per transaction, not per event."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(func is seal for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(seal, robust=True)


def seal(*, batch_size=1000):
    """Chain the events that wait for it, in the order they were written, and return how many.

    Each gets the next sequence number and a hash over its content as stored (read back from the
    database) and the previous event's hash. The chain head's row is locked for this short
    transaction only; a writer that finds the work done by another returns at once.
    """
    sealed = 0
    while True:
        with transaction.atomic():
            _without_waiting_for_disk()
            head = _locked_head()
            waiting = list(Event.objects.filter(sequence__isnull=True).order_by("id")[:batch_size])
            if not waiting:
                return sealed
            sequence, previous = head.sequence, head.hash
            for event in waiting:
                sequence += 1
                event.sequence, event.previous_hash = sequence, previous
                event.hash = previous = chain.digest(event, previous)
            Event.objects.bulk_update(waiting, ["sequence", "previous_hash", "hash"])
            ChainHead.objects.filter(pk=head.pk).update(sequence=sequence, hash=previous)
            sealed += len(waiting)
        if len(waiting) < batch_size:
            return sealed


def _without_waiting_for_disk():
    """On PostgreSQL, the sealing commits without waiting for its disk write.

    Safe here: the events themselves were committed (durably) by their own transaction; a seal lost
    in a crash loses the head's move with it, and the events are sealed again by the next one.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _locked_head():
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # A fresh (or flushed) database: the head starts from the last event, if any.
        last = (
            Event.objects.filter(sequence__isnull=False)
            .order_by("-sequence")
            .only("sequence", "hash")
            .first()
        )
        head, _created = ChainHead.objects.get_or_create(
            pk=1, defaults={"sequence": last.sequence if last else 0, "hash": last.hash if last else ""}
        )
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def current_request():
    """The request being served in this thread (kept by simple-history's middleware), or None."""
    return getattr(HistoricalRecords.context, "request", None)


def _actor(actor):
    """(user or None, address or None) of a request, a user or None.

    A user who is the one making the current request gets its address: services are given the user
    (``by=request.user``), and the address is still where the action came from."""
    if not isinstance(actor, HttpRequest) and getattr(actor, "pk", None) is not None:
        request = current_request()
        if request is not None and getattr(getattr(request, "user", None), "pk", None) == actor.pk:
            actor = request
    if isinstance(actor, HttpRequest):
        user = getattr(actor, "user", None)
        address = actor.META.get("REMOTE_ADDR") or None
    else:
        user, address = actor, None
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return user, address


def _office_id(office, obj):
    if office is not None:
        return getattr(office, "pk", office)
    return office_id_of(obj) if obj is not None else None


def _other_office_id(other_office, user, office_id):
    """The second office an event concerns: the one given, else the actor's when the event's office
    is not among theirs (their scope is known already: the request read it to find the object)."""
    if other_office is not None:
        other = getattr(other_office, "pk", other_office)
    elif user is not None and office_id is not None:
        office_ids = visible_office_ids(user)
        other = None if office_ids is None or office_id in office_ids else user.office_id
    else:
        other = None
    return other if other != office_id else None


def office_id_of(obj):
    """The id of the office ``obj`` belongs to: its own, its client's or its group's; else None."""
    if hasattr(obj, "office_id"):
        return obj.office_id
    for owner in ("client", "group"):
        if getattr(obj, f"{owner}_id", None) is not None:
            return getattr(obj, owner).office_id
    return None
