"""Tabs of an object page, declared once by the app that owns each tab.

An app adds a tab to another app's page (Documents, Accounts, History on the client page) by
registering it in its ``AppConfig.ready()``; the page's template lists ``tabs_for(...)`` and no
template names another app's tab. A tab's URL takes the object's primary key as its one argument.
"""

from dataclasses import dataclass

_TABS = {}


@dataclass(frozen=True)
class Tab:
    """One tab: ``name`` is what a view sets as its ``active_tab``; ``permission`` hides it when missing."""

    name: str
    label: str
    url_name: str
    permission: str | None = None
    order: int = 100


def register(page, tab):
    """Add ``tab`` to ``page`` (for example "clients.client"); registering a name again replaces it."""
    tabs = [existing for existing in _TABS.get(page, ()) if existing.name != tab.name]
    _TABS[page] = sorted([*tabs, tab], key=lambda each: each.order)


def tabs_for(page, user):
    """The tabs of ``page`` that ``user`` may open, in order."""
    return [tab for tab in _TABS.get(page, ()) if tab.permission is None or user.has_perm(tab.permission)]
