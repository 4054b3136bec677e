import datetime

import pytest
from django.urls import reverse

from groups.choices import GroupKind, GroupStatus, MembershipEnd
from groups.models import Group, GroupRules, Membership
from tests.access import assert_access
from tests.clients.factories import ActiveClientFactory, ClientFactory
from tests.clients.pages import form_on
from tests.groups.factories import (
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
    HeadOfficeAdminUserFactory,
    OfficeFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LATER = datetime.date(2024, 6, 1)


@pytest.fixture
def membership(office_tree):
    return MembershipFactory(group=GroupFactory(office=office_tree["n1"]))


def url(name, membership):
    args = {
        "client_groups": [membership.client_id],
        "group_remove_member": [membership.group_id, membership.client_id],
        "group_move_member": [membership.group_id, membership.client_id],
    }.get(name, [membership.group_id])
    return reverse(f"groups:{name}", args=args)


@pytest.mark.parametrize(
    "name",
    [
        "group_detail",
        "group_edit",
        "group_activate",
        "group_close",
        "group_assign_officer",
        "group_add_member",
        "group_set_role",
        "group_remove_member",
        "group_move_member",
        "client_groups",
    ],
)
def test_every_group_page_is_scoped_and_needs_its_permission(client, office_tree, membership, name):
    assert_access(
        client,
        url(name, membership),
        permitted=BranchManagerUserFactory(office=office_tree["north"]),
        without_permission=UserFactory(office=office_tree["n1"]),
        other_office=BranchManagerUserFactory(office=office_tree["n2"]),
    )


@pytest.mark.parametrize("name", ["group_activate", "group_close", "group_assign_officer"])
def test_branch_staff_cannot_take_a_managers_decisions(client, membership, name):
    client.force_login(BranchStaffUserFactory(office=membership.group.office))

    assert client.get(url(name, membership)).status_code == 403
    assert client.post(url(name, membership), {"on": LATER}).status_code == 403


def test_the_group_page_shows_only_the_actions_a_user_may_take(client, membership):
    detail = url("group_detail", membership)
    client.force_login(BranchStaffUserFactory(office=membership.group.office))
    as_staff = client.get(detail).content.decode()
    client.force_login(BranchManagerUserFactory(office=membership.group.office))
    as_manager = client.get(detail).content.decode()

    assert url("group_activate", membership) not in as_staff
    assert url("group_add_member", membership) in as_staff
    assert url("group_activate", membership) in as_manager


def test_a_closed_group_offers_no_action(client):
    group = GroupFactory(status=GroupStatus.CLOSED)
    client.force_login(BranchManagerUserFactory(office=group.office))

    page = client.get(group.get_absolute_url()).content.decode()

    assert reverse("groups:group_edit", args=[group.pk]) not in page
    assert reverse("groups:group_add_member", args=[group.pk]) not in page


def test_action_pages_change_nothing_on_get(client, membership):
    client.force_login(BranchManagerUserFactory(office=membership.group.office))

    client.get(url("group_activate", membership), {"on": LATER})
    client.get(url("group_remove_member", membership), {"on": LATER})

    membership.refresh_from_db()
    assert membership.group.status == GroupStatus.PENDING
    assert membership.left_on is None


# --- The list ------------------------------------------------------------------------------------------


def test_the_list_shows_the_users_groups_and_filters_them(client, office_tree):
    GroupFactory(name="Umoja", office=office_tree["n1"])
    CenterFactory(name="Riverside center", office=office_tree["n2"])
    GroupFactory(name="Southern stars", office=office_tree["s1"])
    client.force_login(BranchStaffUserFactory(office=office_tree["north"]))
    list_url = reverse("groups:group_list")

    everything = client.get(list_url).content.decode()
    centers = client.get(list_url, {"kind": GroupKind.CENTER}).content.decode()
    in_n1 = client.get(list_url, {"office": office_tree["n1"].pk}).content.decode()

    assert "Umoja" in everything and "Riverside center" in everything
    assert "Southern stars" not in everything
    assert "Umoja" not in centers and "Riverside center" in centers
    assert "Umoja" in in_n1 and "Riverside center" not in in_n1


def test_the_list_needs_the_view_permission(client, office_tree):
    assert_access(
        client,
        reverse("groups:group_list"),
        permitted=BranchStaffUserFactory(office=office_tree["n1"]),
        without_permission=UserFactory(office=office_tree["n1"]),
    )


def test_the_list_pages_without_counting(client, django_assert_num_queries):
    office = OfficeFactory()
    GroupFactory.create_batch(30, office=office)
    client.force_login(BranchStaffUserFactory(office=office))

    # Session with user, office, its tree and permissions, one page of rows (its ids, then the rows,
    # then their member counts), the office filter's choices.
    with django_assert_num_queries(5):
        first = client.get(reverse("groups:group_list"))
    second = client.get(reverse("groups:group_list"), {"after": first.context["page"].next_cursor})

    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 5


def test_the_list_shows_how_many_members_each_group_has_today(client):
    office = OfficeFactory()
    busy = GroupFactory(name="Busy", office=office)
    MembershipFactory.create_batch(3, group=busy)
    MembershipFactory(group=busy, left_on=LATER)
    GroupFactory(name="Empty", office=office)
    client.force_login(BranchStaffUserFactory(office=office))

    page = client.get(reverse("groups:group_list")).context["page"]

    assert {group.name: group.member_count for group in page} == {"Busy": 3, "Empty": 0}


def test_an_edited_page_link_shows_the_first_page_with_a_message(client):
    office = OfficeFactory()
    GroupFactory.create_batch(3, office=office)
    client.force_login(BranchStaffUserFactory(office=office))

    response = client.get(reverse("groups:group_list"), {"after": "not-a-cursor"})

    assert response.status_code == 200
    assert len(response.context["page"]) == 3
    assert "That page link is out of date; here is the first page." in response.content.decode()


def test_the_clients_groups_tab_lives_under_the_clients_address(membership):
    assert url("client_groups", membership) == f"/clients/{membership.client_id}/groups/"


def test_an_action_the_group_cannot_take_now_sends_back_to_the_group_with_the_reason(client):
    group = ActiveGroupFactory()
    client.force_login(BranchManagerUserFactory(office=group.office))

    response = client.get(reverse("groups:group_activate", args=[group.pk]), follow=True)

    assert response.redirect_chain[-1][0] == group.get_absolute_url()
    assert "Only a pending group or center can be activated" in response.content.decode()


# --- The group page ----------------------------------------------------------------------------------


def group_with_members(count):
    group = GroupFactory(parent=CenterFactory())
    group.office = group.parent.office
    group.staff = StaffFactory(office=group.office)
    group.save()
    role = GroupRoleFactory()
    for index, membership in enumerate(MembershipFactory.create_batch(count, group=group)):
        if index == 0:
            membership.role = role
            membership.save()
    MembershipFactory(group=group, left_on=LATER, end_reason=MembershipEndReasonFactory())
    return group


@pytest.mark.parametrize("count", [3, 30])
def test_the_group_page_runs_the_same_queries_for_3_or_30_members(client, django_assert_num_queries, count):
    group = group_with_members(count)
    client.force_login(BranchStaffUserFactory(office=group.office))

    with django_assert_num_queries(7):  # the last three: the history, its edits, who created and changed it
        response = client.get(group.get_absolute_url())

    assert len(response.context["members"]) == count


def test_the_group_page_lists_members_with_their_status_and_officer(client):
    group = GroupFactory()
    active = MembershipFactory(group=group, client__first_name="Wanjiru")
    pending = MembershipFactory(group=group, client=ClientFactory(office=group.office, first_name="Akinyi"))
    client.force_login(BranchStaffUserFactory(office=group.office))

    page = client.get(group.get_absolute_url()).content.decode()

    assert "Wanjiru" in page and "Akinyi" in page
    assert str(active.client.staff) in page
    assert '<span class="badge pending">Pending</span>' in page
    assert pending.client.get_absolute_url() in page


def test_the_group_page_links_to_its_members_in_the_client_list(client):
    group = GroupFactory()
    MembershipFactory(group=group, client__first_name="Wanjiru")
    ClientFactory(office=group.office, first_name="Outsider")
    client.force_login(BranchStaffUserFactory(office=group.office))
    link = f"{reverse('clients:client_list')}?group={group.pk}"

    assert link in client.get(group.get_absolute_url()).content.decode()
    listed = [row.first_name for row in client.get(link).context["page"]]
    assert listed == ["Wanjiru"]


def test_the_group_page_shows_the_members_on_a_past_date(client):
    group = GroupFactory()
    MembershipFactory(
        group=group,
        client__first_name="Early",
        joined_on=datetime.date(2024, 2, 1),
        left_on=datetime.date(2024, 4, 1),
    )
    MembershipFactory(group=group, client__first_name="Late", joined_on=datetime.date(2024, 5, 1))
    client.force_login(BranchStaffUserFactory(office=group.office))

    march = client.get(group.get_absolute_url(), {"on": "2024-03-15"})
    today = client.get(group.get_absolute_url())

    assert [m.client.first_name for m in march.context["members"]] == ["Early"]
    assert [m.client.first_name for m in today.context["members"]] == ["Late"]
    assert [m.client.first_name for m in today.context["former_members"]] == ["Early"]


def test_a_center_page_lists_its_groups(client):
    center = CenterFactory()
    GroupFactory(name="Umoja", office=center.office, parent=center)
    client.force_login(BranchStaffUserFactory(office=center.office))

    page = client.get(center.get_absolute_url()).content.decode()

    assert "Umoja" in page


# --- Forms that act ------------------------------------------------------------------------------------


def test_staff_create_a_group_in_a_center(client):
    center = CenterFactory()
    officer = StaffFactory(office=center.office)
    user = BranchStaffUserFactory(office=center.office)
    client.force_login(user)

    response = client.post(
        reverse("groups:group_add") + "?kind=group",
        {
            "name": "Umoja",
            "office": center.office.pk,
            "parent": center.pk,
            "staff": officer.pk,
            "submitted_on": "2024-03-01",
            "meeting_day": "tuesday",
            "meeting_time": "09:30",
            "meeting_frequency": "weekly",
        },
    )

    group = Group.objects.get(name="Umoja")
    assert response.status_code == 302
    assert (group.kind, group.status, group.parent, group.created_by) == (
        GroupKind.GROUP,
        GroupStatus.PENDING,
        center,
        user,
    )


def test_creating_a_duplicate_name_shows_an_error(client):
    existing = GroupFactory(name="Umoja")
    client.force_login(BranchStaffUserFactory(office=existing.office))

    response = client.post(
        reverse("groups:group_add") + "?kind=group",
        {"name": "Umoja", "office": existing.office.pk, "submitted_on": "2024-03-01"},
    )

    assert response.status_code == 200
    assert "already has a group or center of this kind with this name" in response.content.decode()


def test_editing_keeps_the_office_and_kind(client):
    group = GroupFactory(name="Umoja")
    office = group.office
    client.force_login(BranchStaffUserFactory(office=office))

    edit = reverse("groups:group_edit", args=[group.pk])
    page = form_on(client.get(edit))  # what the page's form holds, its version included

    response = client.post(
        edit,
        {
            **page,
            "name": "Umoja II",
            "office": OfficeFactory().pk,
            "kind": GroupKind.CENTER,
            "submitted_on": "2024-01-20",
        },
    )

    group.refresh_from_db()
    assert response.status_code == 302
    assert (group.name, group.kind, group.office) == ("Umoja II", GroupKind.GROUP, office)


def test_a_manager_activates_a_group_with_enough_members(client):
    group = GroupFactory()
    MembershipFactory.create_batch(3, group=group)
    client.force_login(BranchManagerUserFactory(office=group.office))

    response = client.post(reverse("groups:group_activate", args=[group.pk]), {"on": LATER.isoformat()})

    group.refresh_from_db()
    assert response.status_code == 302
    assert (group.status, group.activated_on) == (GroupStatus.ACTIVE, LATER)


def test_a_refused_activation_explains_why_next_to_the_form(client):
    group = GroupFactory()
    client.force_login(BranchManagerUserFactory(office=group.office))

    response = client.post(reverse("groups:group_activate", args=[group.pk]), {"on": LATER.isoformat()})

    assert response.status_code == 200
    assert "needs at least 3 active members" in response.content.decode()


def test_a_manager_closes_a_group_with_a_reason(client):
    group = ActiveGroupFactory()
    reason = GroupClosureReasonFactory()
    client.force_login(BranchManagerUserFactory(office=group.office))

    client.post(
        reverse("groups:group_close", args=[group.pk]), {"on": LATER.isoformat(), "reason": reason.pk}
    )

    group.refresh_from_db()
    assert (group.status, group.closure_reason) == (GroupStatus.CLOSED, reason)


def test_staff_search_and_add_members(client):
    group = GroupFactory()
    wanjiru = ActiveClientFactory(office=group.office, first_name="Wanjiru", last_name="Kamau")
    akinyi = ActiveClientFactory(office=group.office, first_name="Akinyi", last_name="Otieno")
    ActiveClientFactory(first_name="Wanjiru", last_name="Elsewhere")  # another office
    client.force_login(BranchStaffUserFactory(office=group.office))
    add_url = reverse("groups:group_add_member", args=[group.pk])

    found = client.get(add_url, {"q": "wanjiru"})
    response = client.post(add_url, {"clients": [wanjiru.pk, akinyi.pk], "on": LATER.isoformat()})

    assert [c.pk for c in found.context["candidates"]] == [wanjiru.pk]
    assert response.status_code == 302
    assert set(group.memberships.current().values_list("client", flat=True)) == {wanjiru.pk, akinyi.pk}


def test_a_refused_addition_shows_the_reason(client):
    GroupRules(min_members=1, max_members=1).save()
    group = GroupFactory()
    MembershipFactory(group=group)
    client.force_login(BranchStaffUserFactory(office=group.office))

    response = client.post(
        reverse("groups:group_add_member", args=[group.pk]),
        {"clients": [ActiveClientFactory(office=group.office).pk], "on": LATER.isoformat()},
    )

    assert response.status_code == 200
    assert "The group is full" in response.content.decode()


def test_staff_remove_a_member_with_a_reason(client, membership):
    reason = MembershipEndReasonFactory()
    client.force_login(BranchStaffUserFactory(office=membership.group.office))

    client.post(
        url("group_remove_member", membership),
        {"on": LATER.isoformat(), "reason": reason.pk, "note": "Moved"},
    )

    membership.refresh_from_db()
    assert (membership.left_on, membership.end_reason, membership.end_note) == (LATER, reason, "Moved")


def test_staff_move_a_member_to_another_group(client, membership):
    other = GroupFactory(office=membership.group.office)
    client.force_login(BranchStaffUserFactory(office=membership.group.office))

    client.post(url("group_move_member", membership), {"to_group": other.pk, "on": LATER.isoformat()})

    membership.refresh_from_db()
    assert membership.end_cause == MembershipEnd.MOVED
    assert other.memberships.current().get().client == membership.client


def test_staff_choose_the_leader_among_members(client, membership):
    leader = GroupRoleFactory(name="Leader")
    outsider = ActiveClientFactory(office=membership.group.office)
    client.force_login(BranchStaffUserFactory(office=membership.group.office))
    role_url = url("group_set_role", membership)

    refused = client.post(role_url, {"client": outsider.pk, "role": leader.pk})
    client.post(role_url, {"client": membership.client_id, "role": leader.pk})

    assert refused.status_code == 200
    membership.refresh_from_db()
    assert membership.role == leader


def test_a_manager_moves_the_members_officer_with_the_groups(client, membership):
    officer = StaffFactory(office=membership.group.office)
    client.force_login(BranchManagerUserFactory(office=membership.group.office))

    client.post(
        url("group_assign_officer", membership),
        {"staff": officer.pk, "on": LATER.isoformat(), "move_members": "on"},
    )

    membership.client.refresh_from_db()
    assert membership.client.staff == officer


# --- The client's Groups tab ---------------------------------------------------------------------------


def test_the_groups_tab_shows_current_and_past_memberships(client):
    current = MembershipFactory(group__name="Umoja")
    MembershipFactory(
        group__name="Old friends",
        group__office=current.group.office,
        client=current.client,
        left_on=LATER,
        end_cause=MembershipEnd.REMOVED,
    )
    client.force_login(BranchStaffUserFactory(office=current.group.office))

    page = client.get(reverse("groups:client_groups", args=[current.client_id])).content.decode()

    assert "Umoja" in page and "Old friends" in page
    assert "Removed from the group" in page


# --- Admin ------------------------------------------------------------------------------------------------


def test_the_admin_lists_only_groups_in_scope(client, office_tree):
    GroupFactory(name="Umoja", office=office_tree["n1"])
    GroupFactory(name="Southern stars", office=office_tree["s1"])
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["north"]))

    page = client.get(reverse("admin:groups_group_changelist")).content.decode()

    assert "Umoja" in page and "Southern stars" not in page


def test_head_office_sets_the_group_rules_in_admin(client, head_office):
    client.force_login(HeadOfficeAdminUserFactory(office=head_office))

    response = client.post(
        reverse("admin:groups_grouprules_change", args=[GroupRules.load().pk]),
        {"min_members": 5, "max_members": 25},
    )

    assert response.status_code == 302
    assert (GroupRules.load().min_members, GroupRules.load().max_members) == (5, 25)


def test_the_admin_activates_selected_groups_through_the_rules(client, head_office):
    ready, empty = CenterFactory(), GroupFactory()
    client.force_login(HeadOfficeAdminUserFactory(office=head_office))

    client.post(
        reverse("admin:groups_group_changelist"),
        {
            "action": "activate_selected",
            "_selected_action": [ready.pk, empty.pk],
            "apply": "1",
            "on": LATER.isoformat(),
        },
    )

    ready.refresh_from_db()
    empty.refresh_from_db()
    assert (ready.status, empty.status) == (GroupStatus.ACTIVE, GroupStatus.PENDING)
    assert Membership.objects.count() == 0


@pytest.mark.parametrize("count", [1, 10])
def test_the_groups_tab_runs_the_same_queries_for_1_or_10_memberships(
    client, django_assert_num_queries, count
):
    member = ActiveClientFactory()
    for _index in range(count):
        center = CenterFactory(office=member.office)
        group = GroupFactory(office=member.office, parent=center)
        MembershipFactory(group=group, client=member, left_on=LATER)
    client.force_login(BranchStaffUserFactory(office=member.office))

    # Session with user, office, its tree and permissions, the client, audit's rules (are views
    # recorded), the memberships.
    with django_assert_num_queries(4):
        response = client.get(reverse("groups:client_groups", args=[member.pk]))

    assert len(response.context["memberships"]) == count


def test_the_admin_counts_a_groups_members_and_links_to_its_page(client, head_office, membership):
    client.force_login(HeadOfficeAdminUserFactory(office=head_office))

    page = client.get(reverse("admin:groups_group_change", args=[membership.group_id])).content.decode()

    assert "1 current member" in page and membership.group.get_absolute_url() in page
    assert 'name="memberships-0-joined_on"' not in page
    assert client.get(reverse("admin:groups_group_add")).status_code == 200


def test_the_group_page_says_who_created_and_last_changed_the_group(client, head_office):
    creator = HeadOfficeAdminUserFactory(office=head_office, first_name="Amina", last_name="Odhiambo")
    group = GroupFactory(office=head_office)
    group.history.update(history_user=creator)
    client.force_login(HeadOfficeAdminUserFactory(office=head_office))

    page = client.get(group.get_absolute_url()).content.decode()

    assert "Created" in page and "Last changed" in page
    assert page.count("Amina Odhiambo") == 2
