"""The institution's date today, read once for bulk work.

``timezone.localdate()`` costs a few microseconds (the active time zone is a context-local), and the
rules of one client ask for it five times: a million-row import asked for it five million times.
Within ``kept()`` the date read on entering is the answer, as ``ClientRules.kept()`` keeps the rules.
"""

import contextlib
import threading

from django.utils import timezone

_kept = threading.local()


def today():
    """``timezone.localdate()``, or the date kept by ``kept()`` in this thread."""
    kept = getattr(_kept, "date", None)
    return kept if kept is not None else timezone.localdate()


@contextlib.contextmanager
def kept():
    previous = getattr(_kept, "date", None)
    _kept.date = today()
    try:
        yield _kept.date
    finally:
        _kept.date = previous
