"""The one filter set of the client list, reused by the export and bulk actions.

Scoping is in every query the list runs: the rows are limited to ``Client.objects.visible_to(user)``
(or, for the "Transferred" status, to the clients that left the user's offices), and every choice a
user can pick (offices, officers) is limited to what that user may see. An invalid value
is reported next to its filter and left out; it never breaks the page.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from groups.filters import MembersOfGroupFilter
from mifos.widgets import MAX_LISTED_CHOICES, PlainSelect, list_choices
from offices.filters import OfficeFilter, OfficerFilter
from offices.models import Office, Staff

from . import search
from .choices import ClientStatus, Gender, LegalForm
from .models import Client

TRANSFERRED = "transferred"
STATUS_CHOICES = [*ClientStatus.choices, (TRANSFERRED, _("Transferred to another office"))]

# Each sort ends with the id so that every row has one place (keyset pagination needs it).
SORT_ORDERS = {
    "name": (search.SORT_NAME, "id"),
    "-name": (f"-{search.SORT_NAME}", "-id"),
    "number": ("account_no", "id"),
    "-number": ("-account_no", "-id"),
    "submitted": ("submitted_on", "id"),
    "-submitted": ("-submitted_on", "-id"),
}
SORT_CHOICES = [
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("number", _("Client number, ascending")),
    ("-number", _("Client number, descending")),
    ("-submitted", _("Submitted, newest first")),
    ("submitted", _("Submitted, oldest first")),
]
RELEVANCE_ORDER = (search.RANK, search.SORT_NAME, "id")


class SearchField(forms.CharField):
    """The search box: collapsed spaces, and a message when there is too little to search for."""

    def clean(self, value):
        value = super().clean(value)
        if value and search.parse(value) is None:
            raise forms.ValidationError(search.TOO_SHORT_MESSAGE, code="too_short")
        return value


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


def date_range_widget():
    return django_filters.widgets.DateRangeWidget(attrs={"type": "date"})


class ClientFilterSet(django_filters.FilterSet):
    """Search, filters and sort order of the client list; the user comes from ``request``."""

    q = SearchFilter(label=_("Search"), method="filter_search", max_length=search.MAX_LENGTH)
    office = OfficeFilter(label=_("Office"), queryset=Office.objects.none(), method="filter_office")
    officer = OfficerFilter(label=_("Credit officer"), field_name="staff", queryset=Staff.objects.none())
    group = MembersOfGroupFilter()
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, method="filter_status")
    legal_form = django_filters.ChoiceFilter(label=_("Legal form"), choices=LegalForm.choices)
    gender = django_filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices)
    submitted = django_filters.DateFromToRangeFilter(
        label=_("Submitted between"), field_name="submitted_on", widget=date_range_widget()
    )
    activated = django_filters.DateFromToRangeFilter(
        label=_("Activated between"), field_name="activated_on", widget=date_range_widget()
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="keep", empty_label=_("Best match, then name")
    )

    class Meta:
        model = Client
        fields = []

    def __init__(self, data=None, queryset=None, *, request, prefix=None):
        self.user = request.user
        super().__init__(
            data, queryset if queryset is not None else Client.objects.all(), request=request, prefix=prefix
        )
        self.filters["office"].queryset = Office.objects.visible_to(self.user)
        self.filters["officer"].queryset = Staff.objects.visible_to(self.user).filter(is_credit_officer=True)

    @property
    def form(self):
        """The filter form: validated, its selects written plainly, officers and groups listed for the
        chosen office."""
        if not hasattr(self, "_form"):
            form = super().form
            for field in form.fields.values():
                if type(field.widget) is forms.Select:
                    field.widget = PlainSelect(attrs=field.widget.attrs, choices=field.choices)
            if self.is_bound:
                form.is_valid()
            self.list_choices(form.cleaned_data if self.is_bound else {})
        return self._form

    def list_choices(self, values):
        """A head office has hundreds of officers and thousands of groups: the selects list those of
        the chosen office (officers of the offices above it too, who may serve its clients), a
        hundred at most, and say so when there are more."""
        fields = self._form.fields
        office = values.get("office")
        if office is not None:
            fields["officer"].queryset = fields["officer"].queryset.filter(
                Q(office__path__startswith=office.path) | Q(office__in=Office.objects.above(office))
            )
            fields["group"].queryset = fields["group"].queryset.filter(office__path__startswith=office.path)
        for name in ("officer", "group"):
            if list_choices(fields[name], selected=values.get(name)):
                # On the bound field too: validation made it, and it copied the help text then.
                fields[name].help_text = self._form[name].help_text = _(
                    "Only the first %(count)d are listed: choose an office to narrow the list."
                ) % {"count": MAX_LISTED_CHOICES}

    @property
    def shows_transferred(self):
        return self.is_bound and self.data.get("status") == TRANSFERRED

    @property
    def cleaned_data(self):
        """The valid filter values (invalid ones are left out and reported on the form)."""
        return self.form.cleaned_data if self.is_bound else {}

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self._qs = self.scoped(self.matches)
        return self._qs

    @cached_property
    def matches(self):
        """The rows the search and filters select, in the list's order, before scoping: built once,
        then scoped as a whole (``qs``) or in parts (``qs_parts``). Never listed as it is."""
        self.form.is_valid()  # so that cleaned_data holds the valid values
        return self.filtered(self.queryset.all())

    def scoped(self, queryset):
        """``queryset`` limited to what the user may see: the clients of their offices, or, for the
        "Transferred" status, those that left them."""
        if self.shows_transferred:
            return queryset.transferred_away(self.user, from_office=self.cleaned_data.get("office"))
        return queryset.visible_to(self.user)

    def filtered(self, queryset):
        """``queryset`` narrowed by the search and filters, in the list's order."""
        queryset = search.with_sort_name(queryset)
        if self.is_bound:
            queryset = super().filter_queryset(queryset)
        return queryset.order_by(*self.ordering())

    def qs_parts(self):
        """``qs`` as disjoint querysets, one per part of the user's scope (``Client.visible_parts``),
        for ``mifos.pagination.paginate``: apart, each walks its own index. None: ``qs`` is one."""
        parts = None if self.shows_transferred else Client.objects.visible_parts(self.user)
        if parts is None:
            return None
        return [self.matches.filter(part) for part in parts]

    def ordering(self):
        sort = self.cleaned_data.get("sort")
        if sort in SORT_ORDERS:
            return SORT_ORDERS[sort]
        if self.search_terms() is not None:
            return RELEVANCE_ORDER
        return SORT_ORDERS["name"]

    def search_terms(self):
        """What the search box holds, read (None when empty, too short or invalid)."""
        return search.parse(self.cleaned_data.get("q") or "")

    # --- filter methods ------------------------------------------------------------------------

    def filter_search(self, queryset, name, value):
        terms = search.parse(value)
        return search.search(queryset, terms) if terms else queryset

    def filter_office(self, queryset, name, office):
        if self.shows_transferred:
            return queryset  # the office they left, already applied to the base rows
        return queryset.in_office_tree(office)

    def filter_status(self, queryset, name, value):
        if value == TRANSFERRED:
            return queryset
        return queryset.filter(status=value)

    def keep(self, queryset, name, value):
        return queryset  # the sort order is applied last, by ordering()
