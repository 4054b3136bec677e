import django_filters
from django.utils.translation import gettext_lazy as _

from mifos.widgets import ValuesChoiceIterator
from offices.filters import OfficeFilter
from offices.models import Office

from .choices import GroupKind, GroupStatus
from .models import Group, Membership


def visible_offices(request):
    return Office.objects.visible_to(request.user) if request else Office.objects.none()


class GroupFilterSet(django_filters.FilterSet):
    """The filters of the group and center list; the queryset it receives is already scoped."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    kind = django_filters.ChoiceFilter(
        choices=GroupKind.choices, label=_("Kind"), empty_label=_("Groups and centers")
    )
    status = django_filters.ChoiceFilter(
        choices=GroupStatus.choices, label=_("Status"), empty_label=_("Any status")
    )
    office = OfficeFilter(
        queryset=visible_offices, label=_("Office"), method="filter_office", empty_label=_("All my offices")
    )

    class Meta:
        model = Group
        fields = ["q", "kind", "status", "office"]

    def filter_office(self, queryset, name, value):
        """An office and every office below it, as a region manager expects."""
        return queryset.in_office_tree(value)


class GroupChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ValuesChoiceIterator
    label_fields = ("name", "kind", "office__name")

    @staticmethod
    def label_from_values(name, kind, office):
        return f"{name} ({GroupKind(kind).label}, {office})"


def open_groups_in_scope(request):
    if request is None:
        return Group.objects.none()
    return Group.objects.visible_to(request.user).open().order_by("name", "id")


class MembersOfGroupFilter(django_filters.ModelChoiceFilter):
    """The client list's filter: current members of a group (added by ``GroupsConfig.ready()``).

    For a center: the clients assigned to it and the members of its groups.
    """

    field_class = GroupChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Group or center"))
        kwargs.setdefault("queryset", open_groups_in_scope)
        kwargs.setdefault("empty_label", _("Any"))
        super().__init__(*args, **kwargs)

    @staticmethod
    def choices_in_office(queryset, office):
        """With an office chosen on the client list, its groups and those of the offices below it."""
        return queryset.filter(office__in=Office.objects.in_tree_of(office))

    def filter(self, queryset, value):
        if value is None:
            return queryset
        return queryset.filter(pk__in=Membership.objects.current().in_group_or_center(value).values("client"))
