"""Walks the activity log's hash chain and names the first event that was altered or removed."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import chain
from .models import ChainHead, Event


@dataclass(frozen=True)
class Break:
    """Where the chain breaks: the event's sequence number and what is wrong with it."""

    sequence: int
    message: str


def verify(*, batch_size=2000):
    """(number of events checked, first Break or None), reading the log in sequence order by batches."""
    checked, expected, previous_hash = 0, 1, ""
    last_seen = 0
    while True:
        batch = list(Event.objects.filter(sequence__gt=last_seen).order_by("sequence")[:batch_size])
        if not batch:
            break
        for event in batch:
            if event.sequence != expected:
                return checked, Break(
                    expected,
                    _("Event number %(number)d is missing (the next one is number %(next)d).")
                    % {"number": expected, "next": event.sequence},
                )
            if event.previous_hash != previous_hash or chain.digest(event, previous_hash) != event.hash:
                return checked, Break(
                    event.sequence,
                    _("Event number %(number)d (id %(id)d, %(event)s at %(at)s) was altered.")
                    % {
                        "number": event.sequence,
                        "id": event.pk,
                        "event": event.event,
                        "at": event.created_at,
                    },
                )
            checked += 1
            expected, previous_hash = expected + 1, event.hash
        last_seen = batch[-1].sequence
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.sequence >= expected:
        return checked, Break(
            expected,
            _("The last events, from number %(number)d to %(last)d, are missing.")
            % {"number": expected, "last": head.sequence},
        )
    return checked, None
