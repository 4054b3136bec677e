"""A lifecycle action leaves one event in the activity log, the action's own, not also "changed"."""

import datetime

import pytest

from audit.models import Event
from clients import lifecycle
from groups import services
from tests.clients.factories import ActiveClientFactory, ClientFactory
from tests.groups.factories import GroupFactory
from tests.offices.factories import BranchManagerUserFactory, StaffFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2024, 2, 1)


def events_of(action):
    """The kinds of event ``action`` records, in order."""
    before = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    action()
    return list(Event.objects.filter(id__gt=before).order_by("id").values_list("event", flat=True))


def test_activating_a_client_is_one_event(office_tree):
    manager = BranchManagerUserFactory(office=office_tree["n1"])
    subject = ClientFactory(office=office_tree["n1"])

    assert events_of(lambda: lifecycle.activate(subject, on=ON, by=manager)) == ["clients.client.activated"]


def test_assigning_an_officer_is_one_event(office_tree):
    manager = BranchManagerUserFactory(office=office_tree["n1"])
    subject = ActiveClientFactory(office=office_tree["n1"])
    officer = StaffFactory(office=office_tree["n1"])

    events = events_of(lambda: lifecycle.assign_officer(subject, staff=officer, on=ON, by=manager))

    assert events == ["clients.client.officer_assigned"]


def test_a_group_activated_and_a_member_joining_are_one_event_each(office_tree):
    manager = BranchManagerUserFactory(office=office_tree["n1"])
    group = GroupFactory(office=office_tree["n1"], submitted_on=ON)
    members = ActiveClientFactory.create_batch(3, office=office_tree["n1"], activated_on=ON)

    joined = events_of(lambda: [services.add_member(group, member, on=ON, by=manager) for member in members])
    activated = events_of(lambda: services.activate(group, on=ON, by=manager))

    assert joined == ["groups.group.member_joined"] * 3
    assert activated == ["groups.group.activated"]


def test_a_change_no_action_speaks_for_is_still_recorded(office_tree):
    manager = BranchManagerUserFactory(office=office_tree["n1"])
    subject = ClientFactory(office=office_tree["n1"])
    lifecycle.activate(subject, on=ON, by=manager)

    def edit():
        subject.city = "Arusha"
        subject.save()

    assert events_of(edit) == ["clients.client.changed"]
