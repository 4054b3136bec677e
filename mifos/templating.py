"""The Jinja2 environment of every page under ``templates/``; Django admin keeps Django's engine.

In the Django template language each variable, filter, tag and include is an object walked on
every render; Jinja2 compiles a template to Python once per process. Counted with callgrind, the
client list costs a quarter fewer instructions a request for it, the client's tabs 5 to 30 % fewer
(their cost is mostly the ORM's). Django supports Jinja2 as a second backend; this module gives it
what the Django template language gave our pages:

- ``url``, ``static``, ``querystring`` and the language list as functions;
- Django's own filters where Jinja2 has none or another (``date`` in the active language and the
  institution's time zone, ``filesizeformat`` in binary units with translated names, ...);
- the pieces other apps show on a page (``record_stamps``, ``client_totals``, ...) from each app's
  ``templating`` module, so that the clients app needs no import of the ledger's views;
- gettext with Jinja2's i18n extension: ``{{ _("Text") }}`` and ``{% trans %}...{% endtrans %}``,
  which ``manage.py makemessages`` reads (mifos/management/commands/makemessages.py).
"""

import datetime
import functools
from decimal import Decimal

import jinja2
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.template.backends.utils import csrf_input
from django.templatetags.static import static
from django.utils import translation
from django.utils.formats import localize
from django.utils.functional import SimpleLazyObject
from django.utils.timezone import template_localtime

from audit.templating import record_stamps
from clients.templating import client_actions
from documents.templating import client_photo, with_supporting_documents
from ledger.templating import client_totals
from mifos.addresses import url
from mifos.money import money

# --- gettext ---------------------------------------------------------------------------------------
# A page's texts are looked up by the language its context names (LANGUAGE_CODE, set from the
# active language when the page is rendered) and kept per process: a catalogue is code, the same
# on every server. Django's gettext finds the active language and walks the catalogue's fallbacks
# on each call: the menu's and the header's texts were a tenth of a signed-in page. Without a
# request (no LANGUAGE_CODE), Django's own functions answer; so do the plural forms, which
# depend on a number.


@functools.lru_cache(maxsize=20_000)
def _translated(language, function, *args):
    with translation.override(language):
        return function(*args)


@receiver(setting_changed)
def _forget_translations(*, setting, **kwargs):
    """Tests that change the languages or the catalogues' places see the change, as Django's do."""
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _translated.cache_clear()


def _in_page_language(function):
    @jinja2.pass_context
    def translate(context, *args):
        language = context.get("LANGUAGE_CODE")
        if language is None or not all(type(arg) is str for arg in args):
            return function(*args)
        return _translated(language, function, *args)

    return translate


@jinja2.pass_context
def querystring(context, **changes):
    """This page's query string with ``changes`` made (None removes a key), as ``{% querystring %}``."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode()


def languages():
    """Each language the product speaks, with its name in that language ("Español")."""
    return [translation.get_language_info(code) for code, _name in settings.LANGUAGES]


def date(value, format=None):
    """Django's ``date`` filter, in the active language, after the move to the institution's time zone."""
    return defaultfilters.date(template_localtime(value), format)


def time(value, format=None):
    """Django's ``time`` filter, after the move to the institution's time zone."""
    return defaultfilters.time(template_localtime(value), format)


def default_if_none(value, default):
    """``{{ value|default_if_none("—") }}``: ``default`` for None only (0 and "" stay)."""
    return default if value is None else value


def localized(value):
    """Each printed value as Django's language prints it: a date, a time or a decimal number in the
    institution's time zone and the active language's format, the rest as it is."""
    if isinstance(value, (datetime.date, datetime.time, Decimal, float)):
        return localize(template_localtime(value))
    return value


def csrf(request):
    """A context processor of the Jinja2 engine: the CSRF field made once per page.

    Django's Jinja2 backend gives ``csrf_input`` as a lazy value that masks a new token wherever
    it is printed, and a signed-in page prints it thrice (sign-out, language, the page's form):
    6 % of the password page's time. One masked token serves every form of a page.
    """
    return {"csrf_input": SimpleLazyObject(lambda: csrf_input(request))}


def environment(**options):
    """The environment of settings.TEMPLATES' Jinja2 engine (its ``environment`` option)."""
    options.setdefault("extensions", []).extend(["jinja2.ext.i18n", "jinja2.ext.do"])
    # A missing variable, or an attribute of one, is blank as in Django's language, in DEBUG too
    # (where Django's default would write the expression out).
    options["undefined"] = jinja2.ChainableUndefined
    options["finalize"] = localized
    env = jinja2.Environment(**options)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _in_page_language(translation.gettext),
        translation.ngettext,
        newstyle=True,
        pgettext=_in_page_language(translation.pgettext),
        npgettext=translation.npgettext,
    )
    env.globals.update(
        url=url,
        static=static,
        querystring=querystring,
        languages=languages,
        get_language=translation.get_language,
        record_stamps=record_stamps,
        client_actions=client_actions,
        client_totals=client_totals,
        client_photo=client_photo,
        with_supporting_documents=with_supporting_documents,
    )
    env.filters.update(
        date=date,
        time=time,
        default_if_none=default_if_none,
        capfirst=defaultfilters.capfirst,
        filesizeformat=defaultfilters.filesizeformat,
        floatformat=defaultfilters.floatformat,
        stringformat=defaultfilters.stringformat,
        linebreaksbr=defaultfilters.linebreaksbr,
        truncatechars=defaultfilters.truncatechars,
        money=money,
    )
    return env
