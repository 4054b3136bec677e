"""django-filter filters that pick an office or a credit officer, with the choices of offices.forms."""

import django_filters

from .forms import OfficeChoices, OfficerChoices


class OfficeFilterField(OfficeChoices, django_filters.fields.ModelChoiceField):
    pass


class OfficerFilterField(OfficerChoices, django_filters.fields.ModelChoiceField):
    pass


class OfficeFilter(django_filters.ModelChoiceFilter):
    field_class = OfficeFilterField


class OfficerFilter(django_filters.ModelChoiceFilter):
    field_class = OfficerFilterField
