"""Findings E 4, 5, 7, 8, 9: an edit's trace, a short search, a move's refusal, the edit form's offices,
and the wording of statuses and centers."""

import datetime

import pytest
from django.urls import reverse

from audit.models import Event
from clients.choices import ClientStatus
from clients.lifecycle import TransitionError
from groups import services
from groups.choices import GroupAction, GroupStatus
from tests.clients.factories import ActiveClientFactory, ClientFactory
from tests.clients.pages import form_on
from tests.groups.factories import (
    ActiveGroupFactory,
    CenterFactory,
    GroupFactory,
    GroupRoleFactory,
    MembershipFactory,
)
from tests.offices.factories import BranchManagerUserFactory, BranchStaffUserFactory, OfficeFactory

pytestmark = pytest.mark.django_db

LATER = datetime.date(2024, 6, 1)


def test_moving_a_group_to_another_center_shows_in_its_history_and_the_activity_log(client):
    baraka = CenterFactory(name="Baraka Center")
    riverside = CenterFactory(name="Riverside Market Center", office=baraka.office)
    group = GroupFactory(name="Neema Group", office=baraka.office, parent=baraka)
    manager = BranchManagerUserFactory(office=group.office)
    client.force_login(manager)
    edit = reverse("groups:group_edit", args=[group.pk])

    client.post(edit, {**form_on(client.get(edit)), "parent": riverside.pk, "name": "Neema"})
    page = client.get(group.get_absolute_url()).content.decode()

    assert "Center: Baraka Center → Riverside Market Center" in page
    assert "Name: Neema Group → Neema" in page
    event = Event.objects.filter(event="groups.group.changed", object_id=str(group.pk)).get()
    assert {key: event.details[key] for key in ("center", "previous_center", "group_name")} == {
        "center": "Riverside Market Center",
        "previous_center": "Baraka Center",
        "group_name": "Neema",
    }


def test_a_role_passing_to_another_member_records_that_the_previous_holder_lost_it():
    group = GroupFactory()
    amani, halima = MembershipFactory.create_batch(2, group=group)
    leader = GroupRoleFactory(name="Leader")
    by = BranchStaffUserFactory(office=group.office)
    services.set_role(group, amani.client, leader, by=by)

    services.set_role(group, halima.client, leader, by=by)

    summaries = [event.summary for event in group.events.filter(action=GroupAction.ROLE_CHANGED)]
    assert f"{amani.client} · no role" in summaries


def test_a_search_too_short_says_so_and_does_not_claim_a_match(client):
    group = GroupFactory()
    ActiveClientFactory(office=group.office, first_name="Amani", last_name="Njeri")
    client.force_login(BranchStaffUserFactory(office=group.office))

    page = client.get(reverse("groups:group_add_member", args=[group.pk]), {"q": "Am"}).content.decode()

    assert "Type at least 3 letters" in page
    assert "who match" not in page


def test_a_move_to_a_group_the_client_is_in_already_names_that_group_and_is_not_offered(client):
    membership = MembershipFactory(group=GroupFactory(name="Neema Group"))
    umoja = GroupFactory(name="Umoja Women's Group", office=membership.group.office)
    MembershipFactory(group=umoja, client=membership.client)
    other = GroupFactory(name="Other Group", office=membership.group.office)
    client.force_login(BranchStaffUserFactory(office=umoja.office))

    page = client.get(reverse("groups:group_move_member", args=[membership.group_id, membership.client_id]))
    with pytest.raises(TransitionError) as refused:
        services.move_member(
            membership.client, from_group=membership.group, to_group=umoja, on=LATER, by=None
        )

    assert list(page.context["form"].fields["to_group"].queryset) == [other]
    assert "already a member of Umoja Women's Group" in str(refused.value)
    assert refused.value.field == "to_group"


def test_the_edit_form_lists_only_the_groups_own_office(client):
    group = GroupFactory()
    OfficeFactory()
    client.force_login(BranchManagerUserFactory(office=group.office))

    form = client.get(reverse("groups:group_edit", args=[group.pk])).context["form"]

    assert list(form.fields["office"].queryset) == [group.office]


def test_statuses_read_in_lower_case_in_a_sentence():
    group = ActiveGroupFactory()
    rejected = ClientFactory(office=group.office, status=ClientStatus.REJECTED)

    with pytest.raises(TransitionError) as refused:
        services.add_member(group, rejected, on=LATER, by=None)

    assert services.refusal(group, "activate").endswith("this one is active.")
    assert str(refused.value).endswith("is rejected.")


def test_a_centers_pages_say_center(client):
    center = CenterFactory(status=GroupStatus.CLOSED, closed_on=LATER)
    client.force_login(BranchManagerUserFactory(office=center.office))

    detail = client.get(center.get_absolute_url()).content.decode()
    accounts = client.get(reverse("ledger:group_accounts", args=[center.pk])).content.decode()

    assert "No group met in this center." in detail
    assert "This center has no savings account or loan of its own." in accounts
