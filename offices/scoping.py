"""The one place that decides what a user may see: office-hierarchy scoping.

A user sees the objects of their own office and of every office below it; a user of
the head office (the root of the tree) sees everything. Every list, detail page,
action, export and search starts from ``Model.objects.visible_to(user)``; anything
outside it answers 404 so that ids do not leak.

The office tree is turned into a list of ids (one small query, kept on the user for the
request) rather than a join on the offices' path: with the ids in the query, PostgreSQL
knows that a branch holds 5,000 clients of a million and picks its plan accordingly.
"""

from django.apps import apps
from django.db import models


def user_office(user):
    """The office a signed-in user works in, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "office", None)


def sees_everything(user):
    office = user_office(user)
    return bool(getattr(user, "is_superuser", False) or (office is not None and office.parent_id is None))


def covers(user, office):
    """True when ``office`` lies inside the user's scope (their office or below; head office: all)."""
    if office is None:
        return False
    if sees_everything(user):
        return True
    own = user_office(user)
    return own is not None and office.is_within(own)


def office_tree_ids(office):
    """Ids of ``office`` and of every office below it."""
    Office = apps.get_model("offices", "Office")
    return list(Office.objects.filter(path__startswith=office.path).values_list("pk", flat=True))


def visible_office_ids(user):
    """Ids of the offices whose objects ``user`` may see; None means every office."""
    if not getattr(user, "is_authenticated", False):
        return []
    if sees_everything(user):
        return None
    office = user_office(user)
    if office is None:
        return []
    cached = getattr(user, "_visible_office_ids", None)
    if cached is None or cached[0] != office.path:
        cached = (office.path, office_tree_ids(office))
        user._visible_office_ids = cached
    return cached[1]


def scope_key(user):
    """What ``visible_to(user)`` depends on, as a dictionary key: the ids of the user's offices, or
    None for everything. Object pages keep their query's SQL by it (mifos/views.py)."""
    office_ids = visible_office_ids(user)
    return None if office_ids is None else tuple(office_ids)


class OfficeScopedQuerySet(models.QuerySet):
    """A queryset of objects that belong to an office.

    Subclasses name the path from their model to its office in ``office_field``
    (for example ``"client__office"``). ``visible_to(user)`` depends on ``visible_office_ids(user)``
    alone, whatever a subclass adds: two users of the same offices see the same (``scope_key``).
    """

    office_field = "office"

    def visible_to(self, user):
        office_ids = visible_office_ids(user)
        if office_ids is None:
            # Skipping the filter spares work on the largest tables.
            return self.all()
        return self.filter(**{f"{self.office_field}__in": office_ids})

    def in_office_tree(self, office):
        """Objects of ``office`` and every office below it (a filter, not a permission)."""
        return self.filter(**{f"{self.office_field}__in": office_tree_ids(office)})
