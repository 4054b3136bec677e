"""The one filter set of the client list, reused by the export and bulk actions.

The FilterSet receives the rows the user may see (``client_scope``: ``Client.objects.visible_to(user)``,
or, for the "Transferred" status, the clients that left the user's offices) and only narrows them;
every choice a user can pick (offices, officers) is limited to what that user may see. An invalid
value is reported next to its filter and left out; it never breaks the page.

Other apps add their filters with ``add_filter`` from their ``AppConfig.ready()`` (groups adds
"Group or center"), the way they listen to ``clients.signals``: clients never imports them.
"""

import django_filters
from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from mifos.widgets import MAX_LISTED_CHOICES, DateRangeWidget, PlainSelect, list_choices
from offices.filters import OfficeFilter, OfficerFilter
from offices.models import Office, Staff

from . import quality, search
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


def date_range_widget(until_label):
    return DateRangeWidget(until_label=until_label)


class ServingOfficerFilter(OfficerFilter):
    """A credit officer: with an office chosen, those who may serve its clients (its own and above)."""

    @staticmethod
    def choices_in_office(queryset, office):
        return queryset.filter(office__in=Office.objects.in_tree_of(office) | Office.objects.above(office))


def client_scope(user, data):
    """The clients ``user`` may list for the list's query ``data``, and the same as disjoint parts
    (``Client.visible_parts``, for ``mifos.pagination.paginate``), or None when they are one.

    The "Transferred" status lists the clients that left the user's offices, read-only.
    """
    if data is not None and data.get("status") == TRANSFERRED:
        return Client.objects.transferred_away(user), None
    parts = Client.objects.visible_parts(user)
    return Client.objects.visible_to(user), parts and [Client.objects.filter(part) for part in parts]


class ClientFilterSet(django_filters.FilterSet):
    """Search, filters and sort order of the client list; the user comes from ``request``."""

    q = SearchFilter(label=_("Search"), method="filter_search", max_length=search.MAX_LENGTH)
    office = OfficeFilter(label=_("Office"), queryset=Office.objects.none(), method="filter_office")
    officer = ServingOfficerFilter(
        label=_("Credit officer"), field_name="staff", queryset=Staff.objects.none()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, method="filter_status")
    legal_form = django_filters.ChoiceFilter(label=_("Legal form"), choices=LegalForm.choices)
    gender = django_filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices)
    submitted = django_filters.DateFromToRangeFilter(
        label=_("Submitted between"),
        field_name="submitted_on",
        widget=date_range_widget(_("Submitted until")),
    )
    activated = django_filters.DateFromToRangeFilter(
        label=_("Activated between"),
        field_name="activated_on",
        widget=date_range_widget(_("Activated until")),
    )
    # The data quality page and the dashboard link here (clients.quality says what each finds).
    check = django_filters.ChoiceFilter(
        label=_("Needs attention"), choices=quality.CHECK_CHOICES, method="filter_check"
    )
    transfer = django_filters.ChoiceFilter(
        label=_("Transfer"), choices=quality.TRANSFER_CHOICES, method="filter_transfer"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="keep", empty_label=_("Best match, then name")
    )

    class Meta:
        model = Client
        fields = []

    def __init__(self, data=None, queryset=None, *, request, prefix=None, parts=None):
        """``queryset``: the clients the user may see (``parts``: the same, in disjoint parts);
        a caller that passes none gets the list's own, ``client_scope``."""
        self.user = request.user
        if queryset is None:
            queryset, parts = client_scope(self.user, data)
        self.parts = parts
        super().__init__(data, queryset, request=request, prefix=prefix)
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
        """A head office has hundreds of officers and thousands of groups: the selects of filters
        that say how (``choices_in_office``) list those of the chosen office, a hundred at most,
        and say so when there are more."""
        fields = self._form.fields
        office = values.get("office")
        for name, filter_ in self.filters.items():
            if not hasattr(filter_, "choices_in_office"):
                continue
            if office is not None:
                fields[name].queryset = filter_.choices_in_office(fields[name].queryset, office)
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
            self._qs = self.matches & self.queryset
        return self._qs

    @cached_property
    def matches(self):
        """The rows of the whole table that the search and filters select, in the list's order: built
        once (a number search reads its ids then), then met with the rows received, whole (``qs``)
        or in parts (``qs_parts``), each a plain AND. Never listed as it is."""
        self.form.is_valid()  # so that cleaned_data holds the valid values
        return self.filtered(self.queryset.model._default_manager.all())

    def filtered(self, queryset):
        """``queryset`` narrowed by the search and filters, in the list's order."""
        queryset = search.with_sort_name(queryset)
        if self.is_bound:
            queryset = super().filter_queryset(queryset)
        return queryset.order_by(*self.ordering())

    def qs_parts(self):
        """``qs`` as disjoint querysets, one per part received, for ``mifos.pagination.paginate``:
        apart, each walks its own index. None: ``qs`` is one."""
        if self.parts is None:
            return None
        return [self.matches & part for part in self.parts]

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
        """The clients that left by transfer are found by what the list shows of them (name and
        numbers): their phone and identifications are their new office's now, and a match would
        tell what they hold."""
        terms = search.parse(value)
        return search.search(queryset, terms, shown_only=self.shows_transferred) if terms else queryset

    def filter_office(self, queryset, name, office):
        if self.shows_transferred:
            return queryset.transferred_away(self.user, from_office=office)  # the office they left
        return queryset.in_office_tree(office)

    def filter_status(self, queryset, name, value):
        if value == TRANSFERRED:
            return queryset
        return queryset.filter(status=value)

    def filter_check(self, queryset, name, value):
        return quality.filter_check(queryset, self.user, value)

    def filter_transfer(self, queryset, name, value):
        return quality.filter_transfer(queryset, self.user, value)

    def keep(self, queryset, name, value):
        return queryset  # the sort order is applied last, by ordering()


def add_filter(name, filter_, *, after):
    """Add another app's filter to the client list, placed after the filter ``after`` in the form.

    Called from that app's ``AppConfig.ready()``. A filter may say how to narrow its choices to
    the chosen office with ``choices_in_office(queryset, office)``.
    """
    filter_.field_name = filter_.field_name or name
    filters = [(key, value) for key, value in ClientFilterSet.base_filters.items() if key != name]
    position = [key for key, _value in filters].index(after) + 1
    filters.insert(position, (name, filter_))
    ClientFilterSet.base_filters = type(ClientFilterSet.base_filters)(filters)
