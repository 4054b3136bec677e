import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients import lifecycle
from clients.choices import ClientStatus
from clients.lifecycle import TransitionError
from clients.models import OfficerAssignment
from groups import services
from groups.choices import GroupKind, GroupStatus, MembershipEnd
from groups.models import Group, GroupRules, Membership
from tests.clients.factories import ActiveClientFactory, ClientFactory, OfficerAssignmentFactory
from tests.groups.factories import (
    ActiveCenterFactory,
    ActiveGroupFactory,
    CenterFactory,
    GroupClosureReasonFactory,
    GroupFactory,
    GroupRoleFactory,
    MembershipEndReasonFactory,
    MembershipFactory,
)
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    OfficeFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
TOMORROW = "tomorrow"  # worked out when a test runs, which may be after midnight
JOINED = datetime.date(2024, 2, 15)
LATER = datetime.date(2024, 6, 1)


@pytest.fixture
def user():
    return BranchManagerUserFactory()


def members(group):
    return set(group.memberships.current().values_list("client", flat=True))


def as_date(on):
    return timezone.localdate() + DAY if on == TOMORROW else on


def set_rules(min_members=3, max_members=30):
    GroupRules(min_members=min_members, max_members=max_members).save()


# --- The status table -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", GroupStatus.values)
@pytest.mark.parametrize("action", services.ACTIONS)
def test_each_status_allows_only_its_actions(status, action):
    allowed = action in services.ALLOWED_ACTIONS[status]

    refusal = services.refusal(GroupFactory.build(status=status), action)

    assert (refusal is None) is allowed


def test_closed_groups_take_no_action_and_pending_ones_every_one():
    assert services.ALLOWED_ACTIONS[GroupStatus.CLOSED] == set()
    assert services.ALLOWED_ACTIONS[GroupStatus.PENDING] == set(services.ACTIONS)


def test_pages_offer_only_the_actions_the_users_role_allows(user):
    group = GroupFactory()

    assert "activate" in services.allowed_actions(group, user)
    assert "activate" not in services.allowed_actions(group, BranchStaffUserFactory())
    assert "add_member" in services.allowed_actions(group, BranchStaffUserFactory())


# --- Creating ---------------------------------------------------------------------------------------


def test_create_registers_a_pending_group_and_names_the_user_in_its_history(user):
    office = OfficeFactory()
    group = Group(name="Umoja", office=office, staff=StaffFactory(office=office), submitted_on=JOINED)

    services.create(group, by=user)

    assert group.status == GroupStatus.PENDING
    assert group.created_by == user
    assert group.history.get().history_user == user


# --- Editing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("kind", GroupKind.CENTER, "A group stays a group and a center a center."),
        ("status", GroupStatus.CLOSED, "The status changes only through the actions Activate and Close."),
        ("activated_on", LATER, "The activation date is set by the action Activate."),
        ("closed_on", LATER, "The closure date is set by the action Close."),
        ("closure_note", "Dissolved", "The closure note is set by the action Close."),
    ],
)
def test_editing_refuses_what_only_the_actions_change(field, value, message, user):
    group = ActiveGroupFactory()
    setattr(group, field, value)
    group.name = "Renamed"

    with pytest.raises(ValidationError) as refused:
        services.update(group, by=user)

    assert refused.value.message_dict == {field: [message]}
    group.refresh_from_db()
    assert group.name != "Renamed"


def test_editing_refuses_a_change_of_office(office_tree, user):
    group = GroupFactory(office=office_tree["n1"], staff=StaffFactory(office=office_tree["n1"]))
    group.office = office_tree["n2"]

    with pytest.raises(ValidationError) as refused:
        services.update(group, by=user)

    assert refused.value.message_dict == {
        "office": ["A group or center stays in the office it was created in."]
    }
    group.refresh_from_db()
    assert group.office == office_tree["n1"]


def test_editing_refuses_a_change_of_officer_which_has_its_own_action(user):
    group = GroupFactory()
    group.staff = StaffFactory(office=group.office)

    with pytest.raises(ValidationError) as refused:
        services.update(group, by=user)

    assert "Change credit officer" in refused.value.message_dict["staff"][0]


def test_editing_saves_the_details_and_names_the_user(user):
    group = GroupFactory()
    group.name, group.meeting_day, group.meeting_frequency = "Renamed", "monday", "weekly"

    services.update(group, by=user)

    group.refresh_from_db()
    assert (group.name, group.meeting_day, group.meeting_frequency) == ("Renamed", "monday", "weekly")
    assert group.history.first().history_user == user


# --- Joining ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, allowed",
    [
        (ClientStatus.PENDING, True),
        (ClientStatus.ACTIVE, True),
        (ClientStatus.REJECTED, False),
        (ClientStatus.WITHDRAWN, False),
        (ClientStatus.CLOSED, False),
        (ClientStatus.TRANSFER_IN_PROGRESS, False),
        (ClientStatus.TRANSFER_ON_HOLD, False),
    ],
)
def test_only_pending_or_active_clients_can_join(status, allowed, user):
    group = GroupFactory()
    client = ClientFactory(office=group.office, status=status)

    if allowed:
        services.add_member(group, client, on=JOINED, by=user)
        assert members(group) == {client.pk}
    else:
        with pytest.raises(TransitionError, match="Only pending or active clients can join"):
            services.add_member(group, client, on=JOINED, by=user)
        assert members(group) == set()


def test_members_must_be_clients_of_the_groups_office(office_tree, user):
    group = GroupFactory(office=office_tree["n1"])
    # Not even a client of an office below or above the group's office.
    for office in (office_tree["n2"], office_tree["north"]):
        with pytest.raises(TransitionError, match="is a client of"):
            services.add_member(group, ActiveClientFactory(office=office), on=JOINED, by=user)


def test_clients_can_be_assigned_directly_to_a_center(user):
    center = CenterFactory()
    client = ActiveClientFactory(office=center.office)

    membership = services.add_member(center, client, on=JOINED, by=user)

    assert membership.group == center
    assert membership.created_by_name == user.get_full_name()


def test_a_client_cannot_join_the_same_group_twice(user):
    membership = MembershipFactory()

    with pytest.raises(TransitionError, match="already a member"):
        services.add_member(membership.group, membership.client, on=LATER, by=user)


def test_a_client_may_belong_to_a_group_and_its_center(user):
    center = CenterFactory()
    group = GroupFactory(office=center.office, parent=center)
    client = ActiveClientFactory(office=center.office)

    services.add_member(center, client, on=JOINED, by=user)
    services.add_member(group, client, on=JOINED, by=user)

    assert client.group_memberships.current().count() == 2


def test_adding_past_the_maximum_is_refused(user):
    set_rules(min_members=1, max_members=3)
    group = GroupFactory()
    MembershipFactory.create_batch(3, group=group)

    with pytest.raises(TransitionError, match="The group is full: a group has at most 3 members."):
        services.add_member(group, ActiveClientFactory(office=group.office), on=JOINED, by=user)


def test_the_maximum_counts_current_members_only(user):
    set_rules(min_members=1, max_members=3)
    group = GroupFactory()
    MembershipFactory.create_batch(2, group=group)
    MembershipFactory(group=group, left_on=LATER)

    services.add_member(group, ActiveClientFactory(office=group.office), on=LATER, by=user)

    assert len(members(group)) == 3


def test_adding_several_clients_is_all_or_nothing(user):
    set_rules(min_members=1, max_members=2)
    group = GroupFactory()
    clients = ActiveClientFactory.create_batch(3, office=group.office)

    with pytest.raises(TransitionError, match="full"):
        services.add_members(group, clients, on=JOINED, by=user)

    assert members(group) == set()


@pytest.mark.parametrize(
    "on, message",
    [
        (TOMORROW, "The date cannot be in the future."),
        (datetime.date(2024, 1, 19), "The date cannot be before the group's submission date"),
    ],
)
def test_the_joining_date_is_checked(on, message, user):
    on = as_date(on)
    group = GroupFactory()

    with pytest.raises(TransitionError, match=message):
        services.add_member(group, ActiveClientFactory(office=group.office), on=on, by=user)


def test_a_former_member_rejoins_only_after_leaving(user):
    old = MembershipFactory(joined_on=JOINED, left_on=datetime.date(2024, 4, 1))

    with pytest.raises(TransitionError, match="the day the client last left this group"):
        services.add_member(old.group, old.client, on=datetime.date(2024, 3, 31), by=user)
    services.add_member(old.group, old.client, on=datetime.date(2024, 4, 1), by=user)

    assert old.client.group_memberships.count() == 2


def test_nobody_joins_a_closed_group(user):
    group = GroupFactory(status=GroupStatus.CLOSED)

    with pytest.raises(TransitionError, match="Clients cannot join a closed group or center"):
        services.add_member(group, ActiveClientFactory(office=group.office), on=JOINED, by=user)


# --- Leaving and moving -------------------------------------------------------------------------------


def test_removing_a_member_keeps_the_date_reason_and_user(user):
    membership = MembershipFactory()
    reason = MembershipEndReasonFactory()

    services.remove_member(
        membership.group, membership.client, on=LATER, reason=reason, note="Moved away", by=user
    )

    membership.refresh_from_db()
    assert (membership.left_on, membership.end_cause) == (LATER, MembershipEnd.REMOVED)
    assert membership.end_reason == reason
    assert membership.end_note == "Moved away"
    assert membership.ended_by == user
    assert membership.history.latest().history_user == user


def test_removing_needs_a_reason_and_a_date_after_joining(user):
    membership = MembershipFactory(joined_on=JOINED)

    with pytest.raises(TransitionError, match="Choose a reason."):
        services.remove_member(membership.group, membership.client, on=LATER, reason=None, by=user)
    with pytest.raises(TransitionError, match="before the joining date"):
        services.remove_member(
            membership.group, membership.client, on=JOINED - DAY, reason=MembershipEndReasonFactory(), by=user
        )


def test_only_a_current_member_can_be_removed(user):
    former = MembershipFactory(left_on=LATER)

    with pytest.raises(TransitionError, match="is not a current member"):
        services.remove_member(
            former.group, former.client, on=LATER, reason=MembershipEndReasonFactory(), by=user
        )


def move(membership, to_group, user):
    return services.move_member(
        membership.client, from_group=membership.group, to_group=to_group, on=LATER, by=user
    )


def test_a_member_moves_to_another_group_of_the_same_branch(user):
    membership = MembershipFactory()
    other = GroupFactory(office=membership.group.office)

    moved = move(membership, other, user)

    membership.refresh_from_db()
    assert (membership.left_on, membership.end_cause) == (LATER, MembershipEnd.MOVED)
    assert (moved.group, moved.joined_on, moved.left_on) == (other, LATER, None)


def test_moving_to_a_group_of_another_branch_is_refused(office_tree, user):
    membership = MembershipFactory(group=GroupFactory(office=office_tree["n1"]))
    elsewhere = GroupFactory(office=office_tree["n2"])

    with pytest.raises(TransitionError, match="same branch"):
        move(membership, elsewhere, user)

    assert members(membership.group) == {membership.client_id}


def test_a_refused_move_leaves_the_member_where_they_were(user):
    set_rules(min_members=1, max_members=1)
    membership = MembershipFactory()
    full = GroupFactory(office=membership.group.office)
    MembershipFactory(group=full)

    with pytest.raises(TransitionError, match="full"):
        move(membership, full, user)

    membership.refresh_from_db()
    assert membership.left_on is None


def test_clients_move_between_groups_not_into_a_center(user):
    membership = MembershipFactory()
    center = CenterFactory(office=membership.group.office)

    with pytest.raises(TransitionError, match="Choose the group"):
        move(membership, center, user)


# --- Roles ------------------------------------------------------------------------------------------------


def test_a_leader_must_be_a_current_member(user):
    group = GroupFactory()
    leader = GroupRoleFactory(name="Leader")
    former = MembershipFactory(group=group, left_on=LATER)

    for client in (ActiveClientFactory(office=group.office), former.client):
        with pytest.raises(TransitionError, match="Only a current member can hold a role such as Leader."):
            services.set_role(group, client, leader, by=user)


def test_a_role_has_one_holder_and_passes_to_the_new_one(user):
    group = GroupFactory()
    leader = GroupRoleFactory(name="Leader")
    first, second = MembershipFactory.create_batch(2, group=group)

    services.set_role(group, first.client, leader, by=user)
    services.set_role(group, second.client, leader, by=user)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.role, second.role) == (None, leader)


def test_a_role_can_be_taken_away(user):
    membership = MembershipFactory(role=GroupRoleFactory())

    services.set_role(membership.group, membership.client, None, by=user)

    membership.refresh_from_db()
    assert membership.role is None


def test_a_leader_who_leaves_is_remembered_as_the_leader_of_that_time(user):
    leader = GroupRoleFactory(name="Leader")
    membership = MembershipFactory(role=leader)

    services.remove_member(
        membership.group, membership.client, on=LATER, reason=MembershipEndReasonFactory(), by=user
    )
    successor = MembershipFactory(group=membership.group)
    services.set_role(membership.group, successor.client, leader, by=user)

    membership.refresh_from_db()
    assert membership.role == leader
    assert membership.group.memberships.current().get(role=leader) == successor


# --- Activation ---------------------------------------------------------------------------------------


def test_a_group_with_the_minimum_of_active_members_is_activated(user):
    group = GroupFactory()
    MembershipFactory.create_batch(3, group=group)

    services.activate(group, on=LATER, by=user)

    group.refresh_from_db()
    assert (group.status, group.activated_on) == (GroupStatus.ACTIVE, LATER)
    assert group.history.latest().history_user == user


def test_activation_needs_the_minimum_of_active_members_on_that_date(user):
    group = GroupFactory()
    MembershipFactory.create_batch(2, group=group)
    MembershipFactory(group=group, client=ClientFactory(office=group.office))  # pending client
    MembershipFactory(group=group, joined_on=LATER)  # not yet a member on the date
    MembershipFactory(group=group, left_on=JOINED + DAY)  # no longer a member on the date

    with pytest.raises(TransitionError, match="needs at least 3 active members to be activated; it has 2"):
        services.activate(group, on=LATER - DAY, by=user)

    group.refresh_from_db()
    assert group.status == GroupStatus.PENDING


def test_the_minimum_comes_from_the_group_rules(user):
    set_rules(min_members=1, max_members=30)
    group = GroupFactory()
    MembershipFactory(group=group)

    services.activate(group, on=LATER, by=user)

    assert group.status == GroupStatus.ACTIVE


def test_a_center_is_activated_without_members(user):
    center = CenterFactory()

    services.activate(center, on=LATER, by=user)

    assert center.status == GroupStatus.ACTIVE


@pytest.mark.parametrize(
    "on, message",
    [
        (TOMORROW, "The date cannot be in the future."),
        (datetime.date(2024, 1, 19), "before the submission date"),
    ],
)
def test_activation_dates_are_checked(on, message, user):
    on = as_date(on)
    center = CenterFactory()

    with pytest.raises(TransitionError, match=message):
        services.activate(center, on=on, by=user)


def test_activation_is_not_before_the_office_opened(user):
    # A group loaded from elsewhere may say it was submitted before its office opened.
    center = CenterFactory(office=OfficeFactory(opening_date=datetime.date(2024, 3, 1)))

    with pytest.raises(TransitionError, match="before the office's opening date"):
        services.activate(center, on=datetime.date(2024, 2, 1), by=user)


def test_a_group_in_a_center_waits_for_the_center(user):
    set_rules(min_members=1)
    center = CenterFactory()
    group = GroupFactory(office=center.office, parent=center)
    MembershipFactory(group=group)

    with pytest.raises(TransitionError, match=f"Activate the center {center} first."):
        services.activate(group, on=LATER, by=user)
    services.activate(center, on=LATER, by=user)
    with pytest.raises(TransitionError, match="before the center's activation date"):
        services.activate(group, on=LATER - DAY, by=user)
    services.activate(group, on=LATER, by=user)


def test_an_active_group_cannot_be_activated_again(user):
    with pytest.raises(TransitionError, match="Only a pending group or center can be activated"):
        services.activate(ActiveGroupFactory(), on=LATER, by=user)


# --- Closure ----------------------------------------------------------------------------------------


def test_a_group_with_active_members_cannot_be_closed(user):
    group = ActiveGroupFactory()
    MembershipFactory(group=group)

    with pytest.raises(TransitionError, match="still has 1 active member"):
        services.close(group, on=LATER, reason=GroupClosureReasonFactory(), by=user)

    group.refresh_from_db()
    assert group.status == GroupStatus.ACTIVE


def test_closing_a_group_ends_the_memberships_of_its_inactive_members(user):
    group = ActiveGroupFactory()
    pending = MembershipFactory(group=group, client=ClientFactory(office=group.office))
    reason = GroupClosureReasonFactory()

    services.close(group, on=LATER, reason=reason, note="Dissolved", by=user)

    group.refresh_from_db()
    pending.refresh_from_db()
    assert (group.status, group.closed_on, group.closure_reason, group.closure_note) == (
        GroupStatus.CLOSED,
        LATER,
        reason,
        "Dissolved",
    )
    assert (pending.left_on, pending.end_cause) == (LATER, MembershipEnd.GROUP_CLOSED)


def test_closing_needs_a_reason_and_a_date_after_activation(user):
    group = ActiveGroupFactory()

    with pytest.raises(TransitionError, match="Choose a reason."):
        services.close(group, on=LATER, reason=None, by=user)
    with pytest.raises(TransitionError, match="before the last status change"):
        services.close(group, on=group.activated_on - DAY, reason=GroupClosureReasonFactory(), by=user)


def test_a_center_with_open_groups_cannot_be_closed(user):
    center = ActiveCenterFactory()
    group = ActiveGroupFactory(office=center.office, parent=center)
    reason = GroupClosureReasonFactory()

    with pytest.raises(TransitionError, match="The center still has 1 open group"):
        services.close(center, on=LATER, reason=reason, by=user)
    services.close(group, on=LATER, reason=reason, by=user)
    services.close(center, on=LATER, reason=reason, by=user)

    assert center.status == GroupStatus.CLOSED


def test_a_center_with_active_clients_assigned_cannot_be_closed(user):
    center = ActiveCenterFactory()
    MembershipFactory(group=center)

    with pytest.raises(TransitionError, match="active member"):
        services.close(center, on=LATER, reason=GroupClosureReasonFactory(), by=user)


# --- Credit officer -----------------------------------------------------------------------------------


def test_the_new_officer_must_serve_the_groups_office(user):
    group = GroupFactory()

    with pytest.raises(TransitionError, match="is not an active credit officer"):
        services.change_officer(group, staff=StaffFactory(), on=LATER, by=user)


def test_changing_the_officer_leaves_the_members_officers_unless_asked(user):
    group = GroupFactory()
    membership = MembershipFactory(group=group)
    before = membership.client.staff
    officer = StaffFactory(office=group.office)

    services.change_officer(group, staff=officer, on=LATER, by=user)

    group.refresh_from_db()
    membership.client.refresh_from_db()
    assert group.staff == officer
    assert membership.client.staff == before


def test_changing_the_officer_can_move_the_members_officer_too(user):
    group = GroupFactory()
    assignments = [
        OfficerAssignmentFactory(client=membership.client)
        for membership in MembershipFactory.create_batch(2, group=group)
    ]
    officer = StaffFactory(office=group.office)

    services.change_officer(group, staff=officer, on=LATER, move_members=True, by=user)

    for assignment in assignments:
        assignment.client.refresh_from_db()
        assert assignment.client.staff == officer
        assert OfficerAssignment.objects.get(client=assignment.client, end_date=None).start_date == LATER


def test_members_who_are_closed_clients_keep_their_officer(user):
    group = GroupFactory()
    closed = MembershipFactory(group=group, client__status=ClientStatus.CLOSED)
    before = closed.client.staff
    officer = StaffFactory(office=group.office)

    services.change_officer(group, staff=officer, on=LATER, move_members=True, by=user)

    closed.client.refresh_from_db()
    assert closed.client.staff == before


# --- History and transfers ------------------------------------------------------------------------


def test_the_members_on_a_past_date_are_those_of_that_day(user):
    group = GroupFactory()
    reason = MembershipEndReasonFactory()
    first, second, third = ActiveClientFactory.create_batch(3, office=group.office)
    services.add_member(group, first, on=datetime.date(2024, 2, 1), by=user)
    services.add_member(group, second, on=datetime.date(2024, 3, 1), by=user)
    services.remove_member(group, first, on=datetime.date(2024, 4, 1), reason=reason, by=user)
    services.add_member(group, third, on=datetime.date(2024, 5, 1), by=user)

    def on(month):
        return {m.client for m in group.memberships.on(datetime.date(2024, month, 15))}

    assert [on(month) for month in (1, 2, 3, 4, 5)] == [
        set(),
        {first},
        {first, second},
        {second},
        {second, third},
    ]


def test_a_transferred_client_leaves_their_groups_on_the_transfer_date(
    office_tree, django_capture_on_commit_callbacks
):
    head_admin = BranchManagerUserFactory(office=office_tree["head"])
    membership = MembershipFactory(group=GroupFactory(office=office_tree["n1"]))
    other = MembershipFactory(group=CenterFactory(office=office_tree["n1"]), client=membership.client)
    unrelated = MembershipFactory(group=membership.group)

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.transfer(membership.client, to_office=office_tree["s1"], on=LATER, by=head_admin)

    for transferred in (membership, other):
        transferred.refresh_from_db()
        assert (transferred.left_on, transferred.end_cause) == (LATER, MembershipEnd.TRANSFERRED)
        assert transferred.ended_by == head_admin
    unrelated.refresh_from_db()
    assert unrelated.left_on is None
    assert Membership.objects.filter(client=membership.client, left_on=None).count() == 0
