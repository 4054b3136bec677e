"""Handing a leaving officer's clients to another leaves in the activity log the event that moving
each client alone leaves: one "credit officer assigned" per client, by the manager who did it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from clients import lifecycle
from mifos.actions import TransitionError
from tests.clients.factories import ActiveClientFactory
from tests.offices.factories import BranchManagerUserFactory, StaffFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def manager(office_tree):
    return BranchManagerUserFactory(office=office_tree["n1"])


def officer_events():
    return Event.objects.filter(event="clients.client.officer_assigned").order_by("id")


def as_logged(event):
    return (event.object_id, event.office_id, event.actor_id, event.details)


def test_each_client_moved_in_bulk_is_logged_as_when_moved_alone(office_tree, manager):
    leaving, taking_over = StaffFactory(office=office_tree["n1"]), StaffFactory(office=office_tree["n1"])
    alone = ActiveClientFactory(office=office_tree["n1"], staff=leaving)
    lifecycle.assign_officer(alone, staff=taking_over, on=TODAY, by=manager)
    single = officer_events().get()
    clients = ActiveClientFactory.create_batch(3, office=office_tree["n1"], staff=leaving)

    lifecycle.reassign_officer_clients(leaving, taking_over, on=TODAY, by=manager)

    moved = list(officer_events().exclude(pk=single.pk))
    assert [as_logged(event) for event in moved] == [
        (str(client.pk), client.office_id, manager.pk, single.details) for client in clients
    ]
    assert single.details == {"effective_date": TODAY.isoformat(), "staff": str(taking_over)}


def test_a_refused_reassignment_logs_nothing(office_tree, manager):
    leaving = StaffFactory(office=office_tree["n1"])
    ActiveClientFactory.create_batch(2, office=office_tree["n1"], staff=leaving)
    elsewhere = StaffFactory(office=office_tree["s1"])

    with pytest.raises(TransitionError):
        lifecycle.reassign_officer_clients(leaving, elsewhere, on=TODAY, by=manager)

    assert not officer_events().exists()


def test_the_reassignment_page_logs_each_client_with_the_managers_address(client, office_tree, manager):
    leaving, taking_over = StaffFactory(office=office_tree["n1"]), StaffFactory(office=office_tree["n1"])
    clients = ActiveClientFactory.create_batch(2, office=office_tree["n1"], staff=leaving)
    client.force_login(manager)

    client.post(
        reverse("clients:officer_reassign"),
        {"from_staff": leaving.pk, "to_staff": taking_over.pk, "on": TODAY},
        REMOTE_ADDR="10.0.0.7",
    )

    assert list(officer_events().values_list("object_id", "actor_name", "remote_addr")) == [
        (str(moved.pk), manager.username, "10.0.0.7") for moved in clients
    ]
