"""A group page names every member it had, but links only to the clients the user may open: a member
who left by transfer belongs to another office, whose client page answers 404 here."""

import datetime

import pytest

from clients import lifecycle
from tests.groups.factories import GroupFactory, MembershipFactory
from tests.offices.factories import BranchManagerUserFactory, BranchStaffUserFactory, StaffFactory

pytestmark = pytest.mark.django_db

MOVED = datetime.date(2024, 6, 1)


def transfer(client, office_tree, django_capture_on_commit_callbacks):
    admin = BranchManagerUserFactory(office=office_tree["head"])
    with django_capture_on_commit_callbacks(execute=True):  # the client leaves its groups on commit
        lifecycle.transfer(client, to_office=office_tree["s1"], on=MOVED, by=admin)


@pytest.fixture
def group(office_tree, django_capture_on_commit_callbacks):
    """A group of n1 with one member who stayed and one, Halima, transferred to s1 and given an
    officer there."""
    group = GroupFactory(office=office_tree["n1"], name="Umoja")
    MembershipFactory(group=group, client__first_name="Stayed")
    moved = MembershipFactory(group=group, client__first_name="Halima").client
    transfer(moved, office_tree, django_capture_on_commit_callbacks)
    lifecycle.assign_officer(
        moved,
        staff=StaffFactory(office=office_tree["s1"], first_name="Maria", last_name="Fernandez"),
        on=MOVED,
        by=BranchManagerUserFactory(office=office_tree["s1"]),
    )
    group.moved = moved
    return group


def test_a_former_member_now_in_another_office_is_named_without_a_link(client, group, office_tree):
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"]))

    page = client.get(group.get_absolute_url()).content.decode()

    assert str(group.moved) in page
    assert group.moved.get_absolute_url() not in page
    assert client.get(group.moved.get_absolute_url()).status_code == 404  # what the link led to


def test_the_members_on_a_past_date_show_nothing_of_their_life_in_the_other_office(
    client, group, office_tree
):
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"]))

    page = client.get(group.get_absolute_url(), {"on": "2024-03-01"}).content.decode()

    assert str(group.moved) in page
    assert group.moved.get_absolute_url() not in page
    assert "Fernandez" not in page


def test_a_user_who_sees_both_offices_keeps_the_link(client, group, office_tree):
    client.force_login(BranchStaffUserFactory(office=office_tree["head"]))

    page = client.get(group.get_absolute_url()).content.decode()

    assert group.moved.get_absolute_url() in page


@pytest.mark.parametrize("moved", [1, 5])
def test_the_page_asks_no_query_per_former_member(
    client, office_tree, django_capture_on_commit_callbacks, django_assert_num_queries, moved
):
    group = GroupFactory(office=office_tree["n1"])
    for membership in MembershipFactory.create_batch(moved, group=group):
        transfer(membership.client, office_tree, django_capture_on_commit_callbacks)
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"]))

    with django_assert_num_queries(7):  # as for current members (test_views)
        response = client.get(group.get_absolute_url())

    assert len(response.context["former_members"]) == moved
