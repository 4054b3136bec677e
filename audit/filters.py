"""The one filter set of the activity log, used by its page and by its CSV export.

Every query starts from ``Event.objects.visible_to(user)``: a manager sees the events about their
offices and the offices below, and those of other offices that concern theirs too (a transfer to
them); other events, including those about no office, are head office's.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mifos.widgets import DateRangeWidget, PlainSelect
from offices.filters import OfficeFilter
from offices.models import Office
from offices.scoping import office_tree_ids, visible_office_ids

from .models import Event


class UserChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.username})"


class UserFilter(django_filters.ModelChoiceFilter):
    field_class = UserChoiceField


# The largest id of an integer primary key on every database (PostgreSQL's integer).
MAX_ID = 2**31 - 1


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number (an id), not django-filter's decimal: "1e30" is no id."""

    field_class = forms.IntegerField


class EventFilterSet(django_filters.FilterSet):
    """Who, where, what kind, which object and when; the user comes from ``request``."""

    actor = UserFilter(label=_("User"), queryset=get_user_model().objects.none())
    office = OfficeFilter(label=_("Office"), queryset=Office.objects.none(), method="filter_office")
    event = django_filters.CharFilter(
        label=_("Kind of event"),
        method="filter_event",
        max_length=100,
        help_text=_("For example clients.client.changed; end with * for every kind that starts so."),
    )
    object = django_filters.CharFilter(
        label=_("Object"), field_name="object_repr", lookup_expr="icontains", max_length=100
    )
    # Out of an id column's range, an error next to it as for any other bad value, not a server error.
    content_type = WholeNumberFilter(
        label=_("Kind of object"),
        widget=forms.HiddenInput,
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "min_value": _("No kind of object has this number."),
            "max_value": _("No kind of object has this number."),
        },
    )
    object_id = django_filters.CharFilter(widget=forms.HiddenInput, max_length=64)
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Between"), widget=DateRangeWidget(until_label=_("Until"))
    )

    class Meta:
        model = Event
        fields = []

    def __init__(self, data=None, queryset=None, *, request, prefix=None):
        self.user = request.user
        super().__init__(
            data, queryset if queryset is not None else Event.objects.all(), request=request, prefix=prefix
        )
        self.filters["office"].queryset = Office.objects.visible_to(self.user)
        users = get_user_model().objects.order_by("first_name", "last_name", "username")
        office_ids = visible_office_ids(self.user)
        if office_ids is not None:
            users = users.filter(office__in=office_ids)
        self.filters["actor"].queryset = users

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for each in form.fields.values():
                if type(each.widget) is forms.Select:
                    each.widget = PlainSelect(attrs=each.widget.attrs, choices=each.choices)
            form.fields["event"].widget.attrs["list"] = "event-kinds"
            if self.is_bound:
                form.is_valid()
        return self._form

    @property
    def qs(self):
        return self._filtered(Event.objects.visible_to(self.user))

    def qs_parts(self):
        """``qs`` as disjoint querysets (``Event.visible_parts``) for ``mifos.pagination.paginate``:
        apart, each walks its own index. None: ``qs`` is one."""
        parts = Event.objects.visible_parts(self.user)
        return None if parts is None else [self._filtered(Event.objects.filter(part)) for part in parts]

    def _filtered(self, queryset):
        # Invalid values are shown next to their field and left out, never an error page.
        form = self.form
        for name, value in getattr(form, "cleaned_data", {}).items():
            if name in self.filters and value not in (None, "") and name not in form.errors:
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by("-created_at", "-id")

    def filter_office(self, queryset, name, office):
        """Events that concern ``office`` or an office below it, as their office or their second."""
        tree = office_tree_ids(office)
        return queryset.filter(Q(office__in=tree) | Q(other_office__in=tree))

    def filter_event(self, queryset, name, value):
        value = value.strip()
        if value.endswith("*"):
            return queryset.filter(event__startswith=value.rstrip("*"))
        return queryset.filter(event=value)

    def applied(self):
        """The filter as plain data, for the record of an export."""
        form = self.form
        return {
            name: str(getattr(value, "pk", value))
            for name, value in getattr(form, "cleaned_data", {}).items()
            if value not in (None, "") and not isinstance(value, slice)
        } | self._range()

    def _range(self):
        value = getattr(self.form, "cleaned_data", {}).get("created_at")
        if isinstance(value, slice):
            return {"created_at": f"{value.start or ''}..{value.stop or ''}"}
        return {}
