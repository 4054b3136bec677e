"""One cheap middleware for what every request and response shares: refusing NUL characters, ending
idle sessions, and the headers that keep a client's data out of caches and the browser's features
out of reach.

One class rather than four: each middleware is a function call and a frame on every request.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

LAST_ACTIVITY = "_last_activity"

# Touch the session at most this often (seconds): a write on every page would cost a query each.
ACTIVITY_RESOLUTION = 60

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


def has_nul(querydict):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in querydict.lists())


class HardeningMiddleware:
    """Put after MessageMiddleware (it signs an idle user out with a message)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # PostgreSQL refuses NUL in text. No address holds one: a bad request. In a query string (a
        # search, a filter) it is dropped, so the page answers as for what a person meant to type.
        if "\x00" in request.path:
            raise BadRequest(_("The address contains a NUL character."))
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            request.META["QUERY_STRING"] = query.replace("%00", "").replace("\x00", "")
            request.__dict__.pop("GET", None)  # parsed again from the cleaned string
        self.end_idle_session(request)
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Every signed-in page may carry a client's personal data: no copy in any cache.
            response["Cache-Control"] = "no-store"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # CsrfViewMiddleware has read the form already, so this costs no parsing of its own.
        if request.method == "POST" and has_nul(request.POST):
            raise BadRequest(_("The form contains a NUL character."))
        return None

    def end_idle_session(self, request):
        if not request.user.is_authenticated:
            return
        now = int(time.time())
        last = request.session.get(LAST_ACTIVITY)
        if isinstance(last, int) and now - last > settings.SESSION_IDLE_TIMEOUT:
            logout(request)
            messages.info(request, _("You were signed out after a while without activity; sign in again."))
        elif not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION:
            request.session[LAST_ACTIVITY] = now
