"""The language of the pages: the user's own setting, else the browser's, else the institution's.

Django's LocaleMiddleware has already chosen from the language cookie, the browser's
Accept-Language and LANGUAGE_CODE; a signed-in user's own setting (their profile page) wins over
those, on whichever computer they sign in.
"""

from django.utils import translation


class UserLanguageMiddleware:
    """Put after AuthenticationMiddleware; costs nothing more, as the user is loaded anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
