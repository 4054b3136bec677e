"""Groups record their actions as clients do: one history entry per action, with its date, user and why."""

import datetime

import pytest

from clients import lifecycle
from groups import services
from groups.choices import GroupAction
from groups.models import GroupEvent
from tests.clients.factories import ActiveClientFactory
from tests.groups.factories import (
    GroupClosureReasonFactory,
    GroupFactory,
    GroupRoleFactory,
    MembershipEndReasonFactory,
    MembershipFactory,
)
from tests.offices.factories import BranchManagerUserFactory, OfficeFactory, StaffFactory

pytestmark = pytest.mark.django_db

JOINED = datetime.date(2024, 2, 15)
LATER = datetime.date(2024, 6, 1)


@pytest.fixture
def user():
    return BranchManagerUserFactory(first_name="Grace", last_name="Otieno")


def actions(group):
    return list(group.events.order_by("id").values_list("action", flat=True))


def test_creating_activating_and_closing_are_recorded_with_date_user_and_reason(user):
    office = OfficeFactory()
    group = services.create(
        GroupFactory.build(office=office, staff=StaffFactory(office=office), submitted_on=JOINED), by=user
    )
    reason = GroupClosureReasonFactory(name="Group dissolved")

    services.close(group, on=LATER, reason=reason, by=user, note="All moved away")

    closed = group.events.get(action=GroupAction.CLOSED)
    assert actions(group) == [GroupAction.SUBMITTED, GroupAction.CLOSED]
    assert (closed.effective_date, closed.note, closed.details["reason"]) == (
        LATER,
        "All moved away",
        "Group dissolved",
    )
    assert (closed.created_by, closed.created_by_name, closed.office) == (user, "Grace Otieno", office)
    assert closed.action == "groups.group.closed"


def test_activation_is_recorded_on_its_date(user):
    group = GroupFactory()
    for _ in range(3):
        MembershipFactory(group=group)

    services.activate(group, on=LATER, by=user)

    event = group.events.get(action=GroupAction.ACTIVATED)
    assert (event.action, event.effective_date) == ("groups.group.activated", LATER)


def test_members_joining_moving_leaving_and_roles_are_recorded(user):
    group = GroupFactory()
    other = GroupFactory(office=group.office)
    staying, moving = ActiveClientFactory(office=group.office), ActiveClientFactory(office=group.office)
    services.add_members(group, [staying, moving], on=JOINED, by=user)
    services.set_role(group, staying, GroupRoleFactory(name="Leader"), by=user)

    services.move_member(moving, from_group=group, to_group=other, on=LATER, by=user)
    services.remove_member(group, staying, on=LATER, reason=MembershipEndReasonFactory(), by=user)

    assert actions(group) == [
        GroupAction.MEMBER_JOINED,
        GroupAction.MEMBER_JOINED,
        GroupAction.ROLE_CHANGED,
        GroupAction.MEMBER_MOVED,
        GroupAction.MEMBER_LEFT,
    ]
    moved = group.events.get(action=GroupAction.MEMBER_MOVED)
    assert (moved.details["client"], moved.details["to_group"]) == (str(moving), str(other))
    assert group.events.get(action=GroupAction.ROLE_CHANGED).details["role"] == "Leader"
    assert actions(other) == [GroupAction.MEMBER_JOINED]


def test_a_change_of_officer_names_both_officers(user):
    group = GroupFactory()
    before, after = group.staff, StaffFactory(office=group.office)

    services.change_officer(group, staff=after, on=LATER, by=user)

    event = group.events.get()
    assert event.action == GroupAction.OFFICER_ASSIGNED
    assert (event.details["staff"], event.details["previous_staff"]) == (str(after), str(before))


def test_a_refused_action_records_nothing(user):
    group = GroupFactory()

    with pytest.raises(services.TransitionError):
        services.activate(group, on=LATER, by=user)

    assert not GroupEvent.objects.exists()


@pytest.mark.parametrize("count", [1, 25])
def test_the_group_page_shows_its_history_in_the_same_queries(client, django_assert_num_queries, count, user):
    group = GroupFactory()
    for _ in range(count):
        services.record(group, GroupAction.OFFICER_ASSIGNED, on=LATER, by=user, staff=group.staff)
    client.force_login(BranchManagerUserFactory(office=group.office))

    with django_assert_num_queries(7):  # with its edits, and who created and last changed the group
        page = client.get(group.get_absolute_url()).content.decode()

    assert "History" in page and "Credit officer assigned" in page and "Grace Otieno" in page


def test_a_client_who_leaves_by_transfer_is_recorded_in_each_group(
    office_tree, django_capture_on_commit_callbacks
):
    head_admin = BranchManagerUserFactory(office=office_tree["head"])
    membership = MembershipFactory(group=GroupFactory(office=office_tree["n1"]))

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.transfer(membership.client, to_office=office_tree["s1"], on=LATER, by=head_admin)

    event = membership.group.events.get()
    assert (event.action, event.effective_date, event.office) == (
        GroupAction.MEMBER_LEFT,
        LATER,
        office_tree["n1"],
    )
    assert event.details == {"client": str(membership.client), "cause": "transferred"}
    assert event.summary == f"{membership.client} · Client transferred to another office"
