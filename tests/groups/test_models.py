import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from groups.choices import GroupKind, GroupStatus
from groups.models import Group, GroupRules, Membership
from tests.groups.factories import (
    ActiveCenterFactory,
    ActiveGroupFactory,
    CenterFactory,
    GroupFactory,
    MembershipFactory,
)
from tests.offices.factories import OfficeFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def new_group(**fields):
    """An unsaved group with valid details, to check what validation says about one field."""
    office = fields.pop("office", None) or OfficeFactory()
    values = {
        "kind": GroupKind.GROUP,
        "name": "Umoja",
        "office": office,
        "staff": StaffFactory(office=office),
        "submitted_on": datetime.date(2024, 1, 20),
    }
    values.update(fields)
    return Group(**values)


def errors_of(group):
    with pytest.raises(ValidationError) as raised:
        group.full_clean()
    return raised.value.message_dict


def test_a_valid_group_passes_validation():
    new_group().full_clean()


def test_names_are_unique_within_an_office_and_kind():
    existing = GroupFactory(name="Umoja")

    assert (
        "This office already has a group or center of this kind with this name."
        in errors_of(new_group(name="Umoja", office=existing.office))["name"]
    )
    new_group(name="Umoja", office=existing.office, kind=GroupKind.CENTER).full_clean()
    new_group(name="Umoja").full_clean()


def test_the_database_refuses_a_duplicate_name_too():
    existing = GroupFactory(name="Umoja")

    with pytest.raises(IntegrityError), transaction.atomic():
        GroupFactory(name="Umoja", office=existing.office)


def test_a_group_in_a_center_must_be_in_the_centers_office():
    center = CenterFactory()

    errors = errors_of(new_group(parent=center))

    assert errors["parent"] == [
        f"The center belongs to {center.office}; a group must be in its center's office."
    ]
    new_group(parent=center, office=center.office).full_clean()


def test_a_center_cannot_belong_to_a_center():
    center = CenterFactory()

    errors = errors_of(new_group(kind=GroupKind.CENTER, parent=center, office=center.office))

    assert errors["parent"] == ["A center cannot belong to another center."]


def test_a_group_cannot_belong_to_another_group():
    other = GroupFactory()

    assert errors_of(new_group(parent=other, office=other.office))["parent"] == ["Choose a center."]


def test_an_active_group_cannot_be_moved_into_a_pending_center():
    """Activation waits for the center; an edit may not reach the same state the other way round."""
    group = ActiveGroupFactory()
    pending = CenterFactory(office=group.office, name="Center Three")
    group.parent = pending

    assert errors_of(group)["parent"] == [
        "The center Center Three is still pending: activate it before an active group joins it."
    ]
    group.parent = ActiveCenterFactory(office=group.office)
    group.full_clean()


def test_a_pending_group_may_wait_in_a_pending_center():
    center = CenterFactory()

    new_group(office=center.office, parent=center, status=GroupStatus.PENDING).full_clean()


def test_the_credit_officer_must_serve_the_groups_office():
    office = OfficeFactory()

    errors = errors_of(new_group(office=office, staff=StaffFactory()))

    assert "is not an active credit officer of" in errors["staff"][0]
    # An officer of an office above the branch may look after its groups.
    new_group(office=office, staff=StaffFactory(office=office.parent)).full_clean()


@pytest.mark.parametrize(
    "submitted_on, message",
    [
        ("tomorrow", "The date cannot be in the future."),
        (datetime.date(2014, 12, 31), "The date cannot be before the office opened (01/01/2015)."),
    ],
)
def test_the_submission_date_is_neither_in_the_future_nor_before_the_office_opened(submitted_on, message):
    if submitted_on == "tomorrow":  # worked out when the test runs, which may be after midnight
        submitted_on = timezone.localdate() + datetime.timedelta(days=1)
    assert errors_of(new_group(submitted_on=submitted_on))["submitted_on"] == [message]


def test_group_rules_keep_the_minimum_at_or_below_the_maximum():
    rules = GroupRules.load()
    assert (rules.min_members, rules.max_members) == (3, 30)

    rules.min_members = 31
    with pytest.raises(ValidationError, match="cannot be above the maximum"):
        rules.full_clean()


def test_group_rules_stay_one_row():
    GroupRules(min_members=2, max_members=10).save()
    GroupRules(min_members=4, max_members=12).save()

    assert GroupRules.objects.count() == 1
    assert GroupRules.load().min_members == 4


def test_groups_are_scoped_by_office(office_tree):
    north_group = GroupFactory(office=office_tree["n1"])
    south_group = GroupFactory(office=office_tree["s1"])
    region_user = UserFactory(office=office_tree["north"])

    assert list(Group.objects.visible_to(region_user)) == [north_group]
    head_user = UserFactory(office=office_tree["head"])
    assert set(Group.objects.visible_to(head_user)) == {north_group, south_group}
    assert list(Membership.objects.visible_to(region_user)) == []


def test_membership_on_a_date_counts_the_joining_day_but_not_the_leaving_day():
    group = GroupFactory()
    stayed = MembershipFactory(group=group, joined_on=datetime.date(2024, 2, 1))
    left = MembershipFactory(
        group=group, joined_on=datetime.date(2024, 2, 1), left_on=datetime.date(2024, 4, 1)
    )
    joined_late = MembershipFactory(group=group, joined_on=datetime.date(2024, 5, 1))

    def members_on(day):
        return set(group.memberships.on(datetime.date(2024, *day)))

    assert members_on((1, 31)) == set()
    assert members_on((2, 1)) == {stayed, left}
    assert members_on((3, 31)) == {stayed, left}
    assert members_on((4, 1)) == {stayed}
    assert members_on((5, 1)) == {stayed, joined_late}


def test_a_center_includes_the_members_of_its_groups():
    center = CenterFactory()
    group = GroupFactory(office=center.office, parent=center)
    direct = MembershipFactory(group=center)
    in_group = MembershipFactory(group=group)
    MembershipFactory()

    assert set(Membership.objects.in_group_or_center(center)) == {direct, in_group}
    assert list(Membership.objects.in_group_or_center(group)) == [in_group]


def test_a_date_in_a_message_reads_as_the_pages_write_it():
    """Not ISO: the language's own date, as in every other message and on the pages."""
    group = new_group(submitted_on=datetime.date(2024, 3, 2), activated_on=datetime.date(2024, 2, 27))

    assert errors_of(group)["submitted_on"] == ["The date cannot be after the activation date (27/02/2024)."]
    with translation.override("fr"):
        assert errors_of(group)["submitted_on"] == [
            "La date ne peut pas être postérieure à la date d'activation (27/02/2024)."
        ]
