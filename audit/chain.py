"""The hash chain of the activity log: what an event's hash covers, and how it is computed."""

import hashlib
import json
import re

from django.core.serializers.json import DjangoJSONEncoder

LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def canonical_details(details):
    """``details`` as the database gives them back (plain JSON types), so the hash can be recomputed.
    A lone surrogate (bytes a terminal could not decode, in a command's argument) becomes U+FFFD:
    no database stores it, nor can the hash encode it."""
    text = json.dumps(details or {}, cls=DjangoJSONEncoder, ensure_ascii=False)
    return json.loads(LONE_SURROGATE.sub("\ufffd", text))


def content(event):
    """Everything an event says, as canonical JSON text (keys sorted, no spaces).

    The second office an event may concern is covered when it has one: events sealed before there
    was such an office keep the content, and so the hash, they were sealed with."""
    said = {
        "sequence": event.sequence,
        "at": event.created_at.isoformat(),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "event": event.event,
        "type": event.content_type_id,
        "object_id": event.object_id,
        "object": event.object_repr,
        "office": event.office_id,
        "details": event.details,
        "address": event.remote_addr,
    }
    if event.other_office_id is not None:
        said["other_office"] = event.other_office_id
    return json.dumps(
        said,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        cls=DjangoJSONEncoder,
    )


def digest(event, previous_hash):
    """The event's hash: sha256 of its content and the previous event's hash."""
    return hashlib.sha256(f"{previous_hash}\n{content(event)}".encode()).hexdigest()
