"""Django's authentication middleware, reading the signed-in user with the session."""

from django.contrib import auth
from django.contrib.auth import middleware
from django.utils.functional import SimpleLazyObject

from .backends import reading_user_of


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    """``request.user`` as Django's, read by Django's ``auth.get_user`` (so the session's checks stay
    Django's own), but from the row the session store read with the session (offices/sessions.py)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))


def get_user(request):
    if not hasattr(request, "_cached_user"):
        with reading_user_of(request.session):
            request._cached_user = auth.get_user(request)
    return request._cached_user
