"""A client transferred in joins its new office's groups no earlier than the day it arrived: until then
it was a client, and a member, of the office it left."""

import datetime

import pytest
from django.utils import formats

from clients import lifecycle
from groups import services
from groups.models import Membership
from mifos.actions import TransitionError
from tests.groups.factories import GroupFactory, MembershipFactory
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db

ARRIVED = datetime.date(2024, 6, 1)


@pytest.fixture
def moved(office_tree, django_capture_on_commit_callbacks):
    """A member of a group of n1 (since 15 February 2024), transferred to s1 on 1 June 2024."""
    membership = MembershipFactory(group=GroupFactory(office=office_tree["n1"]))
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.transfer(
            membership.client,
            to_office=office_tree["s1"],
            on=ARRIVED,
            by=BranchManagerUserFactory(office=office_tree["head"]),
        )
    return membership.client


@pytest.fixture
def new_group(office_tree):
    return GroupFactory(office=office_tree["s1"], name="New Office Group")


def test_a_client_cannot_join_a_group_of_its_new_office_before_it_arrived(moved, new_group, office_tree):
    user = BranchManagerUserFactory(office=office_tree["s1"])

    with pytest.raises(TransitionError) as refused:
        services.add_member(new_group, moved, on=ARRIVED - datetime.timedelta(days=1), by=user)

    arrived = formats.date_format(ARRIVED, "SHORT_DATE_FORMAT")
    assert refused.value.message == (
        f"The date cannot be before the client's arrival in {office_tree['s1']} by transfer ({arrived})."
    )
    assert refused.value.field == "on"
    assert not Membership.objects.filter(group=new_group).exists()


def test_a_client_joins_a_group_of_its_new_office_from_the_day_it_arrived(moved, new_group, office_tree):
    services.add_member(new_group, moved, on=ARRIVED, by=BranchManagerUserFactory(office=office_tree["s1"]))

    assert Membership.objects.get(group=new_group).joined_on == ARRIVED


def test_the_latest_arrival_counts_for_a_client_that_came_back(moved, office_tree):
    back = datetime.date(2024, 9, 1)
    lifecycle.transfer(
        moved, to_office=office_tree["n1"], on=back, by=BranchManagerUserFactory(office=office_tree["head"])
    )
    old_group = GroupFactory(office=office_tree["n1"], name="Old Office Group")

    with pytest.raises(TransitionError, match="arrival in"):
        services.add_member(
            old_group, moved, on=ARRIVED, by=BranchManagerUserFactory(office=office_tree["n1"])
        )
    services.add_member(old_group, moved, on=back, by=BranchManagerUserFactory(office=office_tree["n1"]))
