"""A group's name is unique in its office and kind whatever its case and spaces; a meeting has a frequency."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from groups import services
from groups.choices import GroupKind
from groups.models import Group
from tests.groups.factories import CenterFactory, GroupFactory
from tests.offices.factories import BranchStaffUserFactory, OfficeFactory, StaffFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("groups.migrations.0004_group_names_unique_ignoring_case")


@pytest.fixture
def umoja():
    return GroupFactory(name="Umoja Women's Group")


def refusal(group):
    with pytest.raises(ValidationError) as caught:
        group.full_clean()
    return caught.value.message_dict


def test_a_name_in_another_case_with_spaces_is_refused_on_the_name(umoja):
    twin = Group(kind=GroupKind.GROUP, name="  umoja women's group ", office=umoja.office, staff=umoja.staff)

    assert refusal(twin)["name"] == ["This office already has a group or center of this kind with this name."]


def test_the_same_name_is_free_in_another_office_and_for_a_center(umoja):
    elsewhere = GroupFactory.build(name="UMOJA WOMEN'S GROUP", office=OfficeFactory(), staff=None)
    center = CenterFactory.build(name="Umoja Women's Group", office=umoja.office, staff=umoja.staff)

    elsewhere.full_clean()
    center.full_clean()


def test_a_group_may_change_the_case_of_its_own_name(umoja):
    umoja.name = "UMOJA Women's Group"

    services.update(umoja, by=None)

    umoja.refresh_from_db()
    assert umoja.name == "UMOJA Women's Group"


def test_a_name_is_saved_without_its_surrounding_spaces():
    group = GroupFactory(name="  Tumaini Farmers \t")

    group.refresh_from_db()
    assert group.name == "Tumaini Farmers"


def test_the_database_refuses_a_name_in_another_case_whatever_skips_the_checks(umoja):
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupFactory(name="UMOJA WOMEN'S GROUP ", office=umoja.office)


def test_the_page_refuses_a_duplicate_in_another_case_next_to_the_name(client, umoja):
    client.force_login(BranchStaffUserFactory(office=umoja.office))

    response = client.post(
        reverse("groups:group_add") + "?kind=group",
        {"name": "umoja women's group ", "office": umoja.office.pk, "submitted_on": "2024-03-01"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["name"] == ["This office already has a group or center of this kind with this name."]
    assert not form.non_field_errors()
    assert Group.objects.filter(office=umoja.office).count() == 1


def test_the_page_refuses_the_same_name_next_to_the_name(client, umoja):
    client.force_login(BranchStaffUserFactory(office=umoja.office))

    response = client.post(
        reverse("groups:group_add") + "?kind=group",
        {"name": "Umoja Women's Group", "office": umoja.office.pk, "submitted_on": "2024-03-01"},
    )

    assert "name" in response.context["form"].errors
    assert not response.context["form"].non_field_errors()


def test_admin_refuses_a_rename_into_another_groups_name_next_to_the_name(admin_client, umoja):
    other = GroupFactory(name="Tumaini", office=umoja.office)
    url = reverse("admin:groups_group_change", args=[other.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}

    response = admin_client.post(
        url, {k: v for k, v in data.items() if v is not None} | {"name": "UMOJA women's group"}
    )

    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    other.refresh_from_db()
    assert other.name == "Tumaini"


# --- Meetings ------------------------------------------------------------------------------------------


def unsaved_group(**fields):
    office = OfficeFactory()
    return GroupFactory.build(office=office, staff=StaffFactory(office=office), **fields)


@pytest.mark.parametrize(
    ("day", "time", "frequency", "fields"),
    [
        ("monday", "09:00", "", {"meeting_frequency"}),
        ("monday", None, "", {"meeting_frequency"}),
        ("", None, "weekly", {"meeting_day"}),
        ("", "09:00", "", {"meeting_day", "meeting_frequency"}),
    ],
    ids=["day-and-time", "day-alone", "frequency-alone", "time-alone"],
)
def test_a_meeting_needs_its_day_and_how_often(day, time, frequency, fields):
    group = unsaved_group(meeting_day=day, meeting_time=time, meeting_frequency=frequency)

    assert set(refusal(group)) == fields


@pytest.mark.parametrize(
    ("day", "time", "frequency"), [("", None, ""), ("monday", None, "weekly"), ("friday", "14:30", "monthly")]
)
def test_no_meeting_or_a_whole_one_is_accepted(day, time, frequency):
    group = unsaved_group(meeting_day=day, meeting_time=time, meeting_frequency=frequency)

    group.full_clean()


def test_the_page_asks_how_often_a_group_meets(client):
    office = OfficeFactory()
    client.force_login(BranchStaffUserFactory(office=office))

    response = client.post(
        reverse("groups:group_add") + "?kind=group",
        {
            "name": "Upendo",
            "office": office.pk,
            "submitted_on": "2024-03-01",
            "meeting_day": "monday",
            "meeting_time": "09:00",
        },
    )

    assert response.status_code == 200
    assert "meeting_frequency" in response.context["form"].errors
    assert not Group.objects.filter(name="Upendo").exists()


# --- The migration ----------------------------------------------------------------------------------


def test_the_migration_renames_later_namesakes_and_strips_names(umoja):
    """Groups saved before the constraint: the oldest keeps the name, later ones get a number."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name('groups_group_unique_name_in_office')}")
    office = umoja.office
    twin = GroupFactory(office=office, name="placeholder one")
    third = GroupFactory(office=office, name="placeholder two")
    taken = GroupFactory(office=office, name="Umoja Women's Group (2)")
    center = CenterFactory(office=office, name="Umoja Women's Group")
    Group.objects.filter(pk=twin.pk).update(name="umoja women's group ")
    Group.objects.filter(pk=third.pk).update(name="UMOJA WOMEN'S GROUP")

    MIGRATION.make_names_unique(apps, SimpleNamespace(connection=connection))

    names = dict(Group.objects.filter(office=office).values_list("pk", "name"))
    assert names == {
        umoja.pk: "Umoja Women's Group",
        twin.pk: "umoja women's group (3)",
        third.pk: "UMOJA WOMEN'S GROUP (4)",
        taken.pk: "Umoja Women's Group (2)",
        center.pk: "Umoja Women's Group",
    }
    assert twin.history.filter(history_change_reason=MIGRATION.REASON).exists()
