"""Addresses of pages, worked out once per process where they can be.

An address depends only on the URLconf, the script prefix and its arguments, and reverse() works
it out by trying the URLconf's patterns each time: the dozen addresses of a client's tab bar and
actions were a tenth of the tab. ``url()`` answers as reverse() does; the pages' templates call it
as ``{{ url("clients:client_detail", client.pk) }}``, and Python code that builds a page's links
calls it too. What it keeps is code (the URLconf), the same on every server.
"""

import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


def url(name, *args, **kwargs):
    """The address of the page ``name`` for ``args``, as ``reverse(name, args=args)`` gives it.

    An address without arguments (the menu's, a form's action) is worked out once per process;
    one whose arguments are ids (whole numbers) once per process as a pattern the ids are then
    written into. Other arguments (a file format, a legal form) go to reverse() each time.
    """
    urlconf, prefix = get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
    if kwargs or not all(type(arg) is int and arg >= 0 for arg in args):
        return reverse(name, args=args or None, kwargs=kwargs or None)
    if not args:
        return _plain_url(urlconf, prefix, name)
    pattern = _id_url_pattern(urlconf, prefix, name, len(args))
    if pattern is None:
        return reverse(name, args=args)
    return pattern.format(*args)


@functools.cache
def _plain_url(urlconf, prefix, name):
    return reverse(name, urlconf=urlconf)


# Stand-ins for the ids while the address is worked out: long enough to appear nowhere else in it.
_ID_MARKERS = (7_301_946_658_213, 7_301_946_658_214, 7_301_946_658_215, 7_301_946_658_216)


@functools.cache
def _id_url_pattern(urlconf, prefix, name, count):
    """The address of ``name`` for ``count`` ids, as a str.format pattern; None (then reverse()
    answers each time) if the stand-ins do not fit the URL's pattern, appear more than once, or
    the pattern does not give reverse()'s address for other ids (a converter that pads them)."""
    if count > len(_ID_MARKERS):
        return None
    markers = [str(marker) for marker in _ID_MARKERS[:count]]
    others = tuple(range(1, count + 1))
    try:
        address = reverse(name, urlconf=urlconf, args=_ID_MARKERS[:count])
        check = reverse(name, urlconf=urlconf, args=others)
    except NoReverseMatch:
        return None
    address = address.replace("{", "{{").replace("}", "}}")
    if any(address.count(marker) != 1 for marker in markers):
        return None
    for index, marker in enumerate(markers):
        address = address.replace(marker, f"{{{index}}}")
    return address if address.format(*others) == check else None
