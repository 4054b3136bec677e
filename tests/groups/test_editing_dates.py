"""An edit keeps a group's dates in their order: it is submitted before its members joined it, and an
active group meets only in a center activated before it (as services.add_member and activate have it)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats

from groups import services
from groups.models import Group
from tests.clients.factories import ActiveClientFactory
from tests.clients.pages import form_on
from tests.groups.factories import ActiveCenterFactory, ActiveGroupFactory, GroupFactory, MembershipFactory
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db

SUBMITTED = datetime.date(2024, 1, 20)  # GroupFactory's
JOINED = datetime.date(2024, 2, 15)  # MembershipFactory's


def short(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@pytest.fixture
def user():
    return BranchManagerUserFactory()


def test_the_submission_cannot_move_after_a_member_joined(user):
    group = GroupFactory()
    amani = ActiveClientFactory(office=group.office, first_name="Amani", last_name="Njeri")
    MembershipFactory(group=group, client=amani)
    group.submitted_on = JOINED + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        services.update(group, by=user)

    assert refused.value.message_dict == {
        "submitted_on": [f"The date cannot be after {amani} joined ({short(JOINED)})."]
    }
    assert Group.objects.get(pk=group.pk).submitted_on == SUBMITTED


def test_a_former_members_joining_counts_too(user):
    group = GroupFactory()
    MembershipFactory(group=group, joined_on=JOINED, left_on=datetime.date(2024, 3, 1))
    group.submitted_on = datetime.date(2024, 4, 1)

    with pytest.raises(ValidationError, match="joined"):
        services.update(group, by=user)


def test_the_submission_may_move_up_to_the_first_joining(user):
    group = GroupFactory()
    MembershipFactory(group=group)
    group.submitted_on = JOINED

    services.update(group, by=user)

    assert Group.objects.get(pk=group.pk).submitted_on == JOINED


def test_an_active_group_cannot_move_under_a_center_activated_after_it(user):
    group = ActiveGroupFactory(activated_on=datetime.date(2024, 3, 1))
    center = ActiveCenterFactory(office=group.office, name="Late C", activated_on=datetime.date(2024, 5, 1))
    group.parent = center

    with pytest.raises(ValidationError) as refused:
        services.update(group, by=user)

    assert refused.value.message_dict == {
        "parent": [
            f"The center Late C was activated on {short(center.activated_on)}, after this group "
            f"({short(group.activated_on)})."
        ]
    }
    assert Group.objects.get(pk=group.pk).parent is None


def test_an_active_group_moves_under_a_center_activated_before_it(user):
    group = ActiveGroupFactory(activated_on=datetime.date(2024, 3, 1))
    center = ActiveCenterFactory(office=group.office, activated_on=datetime.date(2024, 2, 1))
    group.parent = center

    services.update(group, by=user)

    assert Group.objects.get(pk=group.pk).parent == center


def test_the_edit_page_shows_the_refusal_next_to_the_submission_date(client):
    group = GroupFactory()
    MembershipFactory(group=group)
    client.force_login(BranchManagerUserFactory(office=group.office))
    edit = reverse("groups:group_edit", args=[group.pk])

    response = client.post(edit, {**form_on(client.get(edit)), "submitted_on": "2024-03-01"})

    assert response.status_code == 200
    assert f"joined ({short(JOINED)})" in response.context["form"].errors["submitted_on"][0]
    assert Group.objects.get(pk=group.pk).submitted_on == SUBMITTED
