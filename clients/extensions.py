"""What other apps add to the clients' file and dashboard, so that clients never imports them.

An app registers its pieces from its ``AppConfig.ready()``, the way it adds filters with
``clients.filters.add_filter`` and listens to ``clients.signals``: groups gives the names of a
client's current groups to the client file, its groups waiting for activation to the
dashboard's work waiting, and the dates of a client's memberships to the lifecycle.
"""

_related_names = {}
_waiting_work = []
_leaving_bounds = []


def add_related_names(column, names_of):
    """``names_of(client_ids)`` returns {client id: [names]} for the client file's ``column``."""
    _related_names[column] = names_of


def related_names(column, client_ids):
    names_of = _related_names.get(column)
    return names_of(client_ids) if names_of else {}


def add_waiting_work(items_for):
    """``items_for(user)`` returns (label, count, url) rows for the dashboard's work waiting."""
    if items_for not in _waiting_work:
        _waiting_work.append(items_for)


def waiting_work(user):
    return [item for items_for in _waiting_work for item in items_for(user)]


def add_leaving_bounds(bounds_of):
    """``bounds_of(client)`` returns (date, what it is) pairs: dates of the client's records in another
    app that the client's leaving (closure, rejection, withdrawal, transfer) cannot be dated before."""
    if bounds_of not in _leaving_bounds:
        _leaving_bounds.append(bounds_of)


def leaving_bounds(client):
    return [bound for bounds_of in _leaving_bounds for bound in bounds_of(client)]
