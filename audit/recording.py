"""``record()``: the one way any app writes an event to the activity log."""

from datetime import UTC

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from . import chain
from .models import ChainHead, Event


def record(actor, event, *, obj=None, office=None, **details):
    """Append one event to the activity log and return it.

    ``actor`` is the request (its user and address are kept), a user, or None for the system.
    ``event`` is a dotted name such as "clients.client.activated". ``obj`` is the model instance it
    concerns (its kind, id and description are kept as text). ``office`` is the office it concerns,
    for scoping (default: ``obj.office``, ``obj.client.office`` or ``obj.group.office``).
    ``details`` is JSON-able extra data (file name, row count, filter). Never pass a password.

    Runs inside the caller's transaction: if that rolls back, so does the event. Events are
    chained one at a time (the chain head's row is locked until the transaction ends).
    """
    user, address = _actor(actor)
    entry = Event(
        actor_id=user.pk if user is not None else None,
        actor_name=user.get_username()[:150] if user is not None else "",
        event=event,
        office_id=_office_id(office, obj),
        details=chain.canonical_details(details),
        remote_addr=address,
    )
    if obj is not None:
        entry.content_type_id = ContentType.objects.get_for_model(obj, for_concrete_model=False).pk
        entry.object_id = "" if obj.pk is None else str(obj.pk)
        entry.object_repr = str(obj)[:200]
    # No savepoint: an error here must fail the caller's transaction anyway.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        entry.sequence = head.sequence + 1
        # Taken under the lock, so the log's times follow its order. Stored as UTC with microseconds
        # by every database, so the hash recomputes from what is read back.
        entry.created_at = timezone.now().astimezone(UTC)
        entry.previous_hash = head.hash
        entry.hash = chain.digest(entry, head.hash)
        entry.save(force_insert=True)
        ChainHead.objects.filter(pk=head.pk).update(sequence=entry.sequence, hash=entry.hash)
    return entry


def _locked_head():
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # A fresh (or flushed) database: the head starts from the last event, if any.
        last = Event.objects.order_by("-sequence").only("sequence", "hash").first()
        head, _created = ChainHead.objects.get_or_create(
            pk=1, defaults={"sequence": last.sequence if last else 0, "hash": last.hash if last else ""}
        )
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def _actor(actor):
    """(user or None, address or None) of a request, a user or None."""
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


def office_id_of(obj):
    """The id of the office ``obj`` belongs to: its own, its client's or its group's; else None."""
    if hasattr(obj, "office_id"):
        return obj.office_id
    for owner in ("client", "group"):
        if getattr(obj, f"{owner}_id", None) is not None:
            return getattr(obj, owner).office_id
    return None
