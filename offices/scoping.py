"""The one place that decides what a user may see: office-hierarchy scoping.

A user sees the objects of their own office and of every office below it; a user of
the head office (the root of the tree) sees everything. Every list, detail page,
action, export and search starts from ``Model.objects.visible_to(user)``; anything
outside it answers 404 so that ids do not leak.
"""

from django.db import models


def user_office(user):
    """The office a signed-in user works in, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "office", None)


def sees_everything(user):
    office = user_office(user)
    return bool(getattr(user, "is_superuser", False) or (office is not None and office.parent_id is None))


class OfficeScopedQuerySet(models.QuerySet):
    """A queryset of objects that belong to an office.

    Subclasses name the path from their model to its office in ``office_field``
    (for example ``"client__office"``).
    """

    office_field = "office"

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if sees_everything(user):
            # Skipping the filter spares a join on the largest tables.
            return self.all()
        office = user_office(user)
        if office is None:
            return self.none()
        return self.filter(**{f"{self.office_field}__path__startswith": office.path})

    def in_office_tree(self, office):
        """Objects of ``office`` and every office below it (a filter, not a permission)."""
        return self.filter(**{f"{self.office_field}__path__startswith": office.path})
