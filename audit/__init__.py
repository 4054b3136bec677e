"""The audit app: the one way to record an event, the append-only activity log, client history.

``from audit import record`` is importable before the app registry is ready: the function is looked
up lazily, so importing the package does not import the models.
"""


def record(actor, event, *, obj=None, office=None, **details):
    """Record ``event`` done by ``actor`` (a request, a user or None). See ``audit.recording.record``."""
    from .recording import record as _record

    return _record(actor, event, obj=obj, office=office, **details)
