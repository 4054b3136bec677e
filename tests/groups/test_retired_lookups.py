"""Retired roles and reasons are refused by the services themselves, not only hidden by the forms:
the admin's actions and scripts call the services directly."""

import datetime

import pytest

from clients.lifecycle import TransitionError
from groups import services
from groups.choices import GroupStatus
from tests.groups.factories import (
    ActiveGroupFactory,
    GroupClosureReasonFactory,
    GroupRoleFactory,
    MembershipEndReasonFactory,
    MembershipFactory,
)
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db

LATER = datetime.date(2024, 6, 1)


@pytest.fixture
def user():
    return BranchManagerUserFactory()


def test_a_retired_role_is_refused_next_to_the_role(user):
    membership = MembershipFactory()
    retired = GroupRoleFactory(name="Treasurer", is_active=False)

    with pytest.raises(TransitionError, match="The role Treasurer is no longer in use") as refused:
        services.set_role(membership.group, membership.client, retired, by=user)

    assert refused.value.field == "role"
    membership.refresh_from_db()
    assert membership.role is None


def test_a_role_in_use_is_still_given(user):
    membership = MembershipFactory()
    leader = GroupRoleFactory(name="Leader")

    services.set_role(membership.group, membership.client, leader, by=user)

    membership.refresh_from_db()
    assert membership.role == leader


def test_a_group_is_not_closed_for_a_retired_reason(user):
    group = ActiveGroupFactory()
    retired = GroupClosureReasonFactory(name="Merged", is_active=False)

    with pytest.raises(TransitionError, match="The reason Merged is no longer in use") as refused:
        services.close(group, on=LATER, reason=retired, by=user)

    assert refused.value.field == "reason"
    group.refresh_from_db()
    assert group.status == GroupStatus.ACTIVE


def test_a_group_is_closed_only_for_a_reason_of_its_own_list(user):
    group = ActiveGroupFactory()

    with pytest.raises(TransitionError, match="Choose a reason.") as refused:
        services.close(group, on=LATER, reason=MembershipEndReasonFactory(), by=user)

    assert refused.value.field == "reason"


def test_a_member_is_not_removed_for_a_retired_reason(user):
    membership = MembershipFactory()
    retired = MembershipEndReasonFactory(name="Moved away", is_active=False)

    with pytest.raises(TransitionError, match="The reason Moved away is no longer in use") as refused:
        services.remove_member(membership.group, membership.client, on=LATER, reason=retired, by=user)

    assert refused.value.field == "reason"
    membership.refresh_from_db()
    assert membership.left_on is None
