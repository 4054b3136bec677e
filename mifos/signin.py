"""Sign-in throttling (django-axes): after a handful of failures for one user name, or many more from
one address, sign-in pauses for a while, and our sign-in page says so."""

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class ThrottlingBackend(AxesStandaloneBackend):
    """Axes' check before the project's own backend (offices.backends.OfficeModelBackend).

    A sign-in without a request (a management command, the test client's ``login``) does not come
    over the network and is not throttled; axes' own backend would refuse it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class ThrottlingHandler(AxesDatabaseHandler):
    """Axes' database handler, which counts failures by user name (AXES_LOCKOUT_PARAMETERS), that also
    locks an address once SIGN_IN_ADDRESS_FAILURE_LIMIT failures came from it within the cool-off.

    Axes applies one limit to every parameter it locks by. Five failures from one address would
    lock out a whole branch behind one router for one person's typos; ten times that many is a
    machine guessing, not staff mistyping.
    """

    def get_failures(self, request, credentials=None):
        # Counted as at the limit once the address is: axes then locks and signals as for a user name.
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def address_failures(request):
    """Failed sign-ins from the request's address, whatever the user name, within the cool-off."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address, attempt_time__gte=since)
    return attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0


def client_address(request):
    """The caller's address: REMOTE_ADDR, or the one the trusted proxies in front of us saw
    (TRUSTED_PROXY_COUNT of them), so that a proxy's own address does not lock everyone out."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """Our sign-in page with the reason and the wait, answered 429 (Too Many Requests)."""
    cool_off = get_cool_off(request)
    form = AuthenticationForm(request)
    if cool_off:
        minutes = max(1, round(cool_off.total_seconds() / 60))
        message = ngettext(
            "Too many failed sign-ins for this user name or from this address. Wait %(minutes)d minute.",
            "Too many failed sign-ins for this user name or from this address. Wait %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    else:
        message = _("Too many failed sign-ins for this user name or from this address. Ask an administrator.")
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": message, "next": request.POST.get("next", "")},
        status=429,
    )
