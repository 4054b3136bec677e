"""Receivers of sign-in signals: the idle clock starts at sign-in, and a lockout is in the log."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from audit import record

from .middleware import LAST_ACTIVITY


@receiver(user_logged_in)
def start_idle_clock(sender, request, user, **kwargs):
    # Set here, the first page after sign-in has nothing to write to the session.
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY] = int(time.time())


@receiver(user_locked_out)
def record_lockout(sender, request, username=None, ip_address=None, **kwargs):
    record(request, "auth.user.locked_out", username=username or "", address=ip_address or "")
