"""Lookup lists head office keeps in admin (identification types, reasons, roles...): one base for all.

An app's list subclasses ``LookupItem`` (abstract: each list is its own table) and registers
``LookupAdmin`` for it. Forms offer ``Model.objects.active()`` plus the entry already chosen.
"""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .admin import InstitutionWideAdminMixin


class LookupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class LookupItem(models.Model):
    """One entry of a list that head office keeps in admin (not hard-coded choices)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = LookupQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class LookupAdmin(InstitutionWideAdminMixin, admin.ModelAdmin):
    """The admin of a lookup list: reorder and retire entries from the list itself. Every office uses
    the list, so head office keeps it (``InstitutionWideAdminMixin``)."""

    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
