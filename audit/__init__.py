"""The audit app: the one way to record an event, the append-only activity log, client history.

``from audit import record`` is importable before the app registry is ready: the function is looked
up lazily, so importing the package does not import the models.
"""


def record(actor, event, *, obj=None, office=None, **details):
    """Record ``event`` done by ``actor`` (a request, a user or None). See ``audit.recording.record``."""
    from .recording import record as _record

    return _record(actor, event, obj=obj, office=office, **details)


def without_history_event(instance):
    """Mark ``instance``: its next save or delete writes a history row but no event of its own, since
    the caller records a better one (a document's upload, with the file's name, size and checksum).
    Every change that no caller speaks for (the admin, a script, a cascade) still has its event."""
    from .receivers import RECORDED_BY_CALLER

    setattr(instance, RECORDED_BY_CALLER, True)
    return instance
