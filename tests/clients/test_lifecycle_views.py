import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients import lifecycle
from clients.choices import ClientAction, ClientStatus, ReasonKind
from clients.models import Client, ClientEvent
from tests.access import assert_access
from tests.clients.factories import ActiveClientFactory, ClientActionReasonFactory, ClientFactory
from tests.dates import stay_on
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
today_holds_still = stay_on(TODAY)


def url(action, client):
    return reverse(f"clients:client_{action}", args=[client.pk])


def client_in(status, office_tree):
    """A client of North One in ``status``; a transfer goes to South One."""
    transfer = status in (ClientStatus.TRANSFER_IN_PROGRESS, ClientStatus.TRANSFER_ON_HOLD)
    return ActiveClientFactory(
        office=office_tree["n1"], status=status, transfer_to_office=office_tree["s1"] if transfer else None
    )


# One allowed status per action, and the user office that decides it.
ACTION_CASES = {
    "activate": (ClientStatus.PENDING, "n1"),
    "reject": (ClientStatus.PENDING, "n1"),
    "withdraw": (ClientStatus.PENDING, "n1"),
    "undo_rejection": (ClientStatus.REJECTED, "n1"),
    "undo_withdrawal": (ClientStatus.WITHDRAWN, "n1"),
    "close": (ClientStatus.ACTIVE, "n1"),
    "reactivate": (ClientStatus.CLOSED, "n1"),
    "propose_transfer": (ClientStatus.ACTIVE, "n1"),
    "transfer": (ClientStatus.ACTIVE, "north"),
    "withdraw_transfer": (ClientStatus.TRANSFER_IN_PROGRESS, "n1"),
    "accept_transfer": (ClientStatus.TRANSFER_IN_PROGRESS, "s1"),
    "reject_transfer": (ClientStatus.TRANSFER_IN_PROGRESS, "s1"),
    "assign_officer": (ClientStatus.ACTIVE, "n1"),
    "unassign_officer": (ClientStatus.ACTIVE, "n1"),
}


def test_every_action_has_a_page():
    assert set(ACTION_CASES) == set(lifecycle.ACTIONS)


@pytest.mark.parametrize("action", ACTION_CASES)
def test_every_action_page_checks_sign_in_permission_and_office(client, office_tree, action):
    status, office = ACTION_CASES[action]
    target = client_in(status, office_tree)

    assert_access(
        client,
        url(action, target),
        permitted=BranchManagerUserFactory(office=office_tree[office]),
        without_permission=UserFactory(office=office_tree[office]),
        other_office=BranchManagerUserFactory(office=office_tree["n2"]),
    )


def test_branch_staff_cannot_activate_and_do_not_see_the_button(client, office_tree):
    pending = ClientFactory(office=office_tree["n1"])
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"]))

    page = client.get(pending.get_absolute_url()).content.decode()

    assert url("activate", pending) not in page
    assert client.get(url("activate", pending)).status_code == 403
    assert client.post(url("activate", pending), {"on": TODAY}).status_code == 403
    assert Client.objects.get(pk=pending.pk).status == ClientStatus.PENDING


def test_a_manager_activates_from_the_client_page(client, office_tree):
    pending = ClientFactory(office=office_tree["n1"])
    client.force_login(BranchManagerUserFactory(office=office_tree["n1"]))

    assert url("activate", pending) in client.get(pending.get_absolute_url()).content.decode()
    response = client.post(url("activate", pending), {"on": TODAY}, follow=True)

    assert response.redirect_chain[-1][0] == pending.get_absolute_url()
    assert "is Active" in response.content.decode()
    assert Client.objects.get(pk=pending.pk).status == ClientStatus.ACTIVE


def test_the_client_page_shows_only_the_actions_the_user_may_take_now(client, office_tree):
    active = ActiveClientFactory(office=office_tree["n1"])
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"]))

    page = client.get(active.get_absolute_url()).content.decode()

    assert url("propose_transfer", active) in page
    for action in set(lifecycle.ACTIONS) - {"propose_transfer"}:
        assert url(action, active) not in page


def test_looking_at_an_action_page_changes_nothing_and_other_methods_are_refused(client, office_tree):
    pending = ClientFactory(office=office_tree["n1"])
    client.force_login(BranchManagerUserFactory(office=office_tree["n1"]))

    response = client.get(url("activate", pending))

    assert response.status_code == 200
    assert response.context["form"]["on"].value() == TODAY
    assert client.put(url("activate", pending)).status_code == 405
    assert Client.objects.get(pk=pending.pk).status == ClientStatus.PENDING
    assert not ClientEvent.objects.exists()


def test_a_refused_date_is_shown_next_to_the_date_field(client, office_tree):
    pending = ClientFactory(office=office_tree["n1"])
    client.force_login(BranchManagerUserFactory(office=office_tree["n1"]))

    response = client.post(url("activate", pending), {"on": TODAY + datetime.timedelta(days=1)})

    assert response.status_code == 200
    assert response.context["form"].errors == {"on": ["The date cannot be in the future."]}
    assert Client.objects.get(pk=pending.pk).status == ClientStatus.PENDING


def test_an_action_the_status_no_longer_allows_is_explained(client, office_tree):
    pending = ClientFactory(office=office_tree["n1"])
    client.force_login(BranchManagerUserFactory(office=office_tree["n1"]))
    form_page = client.get(url("activate", pending))
    lifecycle.activate(pending, on=TODAY, by=BranchManagerUserFactory(office=office_tree["n1"]))

    posted = client.post(url("activate", pending), {"on": TODAY})
    revisited = client.get(url("activate", pending), follow=True)

    assert form_page.status_code == 200
    assert posted.context["form"].non_field_errors() == [
        "Only a pending client can be activated; this client is Active."
    ]
    assert "Only a pending client can be activated" in revisited.content.decode()


def test_closing_asks_a_reason_from_the_closure_list(client, office_tree):
    active = ActiveClientFactory(office=office_tree["n1"])
    moved = ClientActionReasonFactory(kind=ReasonKind.CLOSURE, name="Moved away")
    ClientActionReasonFactory(kind=ReasonKind.CLOSURE, name="Retired reason", is_active=False)
    ClientActionReasonFactory(kind=ReasonKind.REJECTION, name="Over-indebted")
    client.force_login(BranchManagerUserFactory(office=office_tree["n1"]))

    form = client.get(url("close", active)).context["form"]
    missing = client.post(url("close", active), {"on": TODAY})
    client.post(url("close", active), {"on": TODAY, "reason": moved.pk, "note": "To the city."})

    assert list(form.fields["reason"].queryset) == [moved]
    assert "reason" in missing.context["form"].errors
    event = ClientEvent.objects.get(client=active, action=ClientAction.CLOSED)
    assert (event.reason, event.note) == (moved, "To the city.")


def test_the_receiving_office_accepts_an_incoming_transfer_with_its_officer(client, office_tree):
    incoming = client_in(ClientStatus.TRANSFER_IN_PROGRESS, office_tree)
    officer = StaffFactory(office=office_tree["s1"])
    StaffFactory(office=office_tree["n2"])
    client.force_login(BranchManagerUserFactory(office=office_tree["s1"]))

    offered = client.get(url("accept_transfer", incoming)).context["form"].fields["staff"].queryset
    response = client.post(url("accept_transfer", incoming), {"on": TODAY, "staff": officer.pk})

    assert list(offered) == [officer]
    assert response["Location"] == incoming.get_absolute_url()
    incoming.refresh_from_db()
    assert (incoming.office, incoming.staff, incoming.status) == (
        office_tree["s1"],
        officer,
        ClientStatus.ACTIVE,
    )


def test_after_rejecting_a_transfer_the_receiving_office_returns_to_its_list(client, office_tree):
    incoming = client_in(ClientStatus.TRANSFER_IN_PROGRESS, office_tree)
    client.force_login(BranchManagerUserFactory(office=office_tree["s1"]))

    response = client.post(url("reject_transfer", incoming), {"on": TODAY, "note": "No room."})

    assert response["Location"] == reverse("clients:client_list")
    assert Client.objects.get(pk=incoming.pk).status == ClientStatus.TRANSFER_ON_HOLD


def test_a_one_step_transfer_offers_only_offices_in_the_users_scope(client, office_tree):
    active = ActiveClientFactory(office=office_tree["n1"])
    client.force_login(BranchManagerUserFactory(office=office_tree["north"]))

    offices = client.get(url("transfer", active)).context["form"].fields["to_office"].queryset

    assert set(offices) == {office_tree["north"], office_tree["n2"]}


# --- The timeline tab -----------------------------------------------------------------------------


def test_the_timeline_tab_checks_sign_in_permission_and_office(client, office_tree):
    target = ActiveClientFactory(office=office_tree["n1"])

    assert_access(
        client,
        reverse("clients:client_timeline", args=[target.pk]),
        permitted=BranchStaffUserFactory(office=office_tree["n1"]),
        without_permission=UserFactory(office=office_tree["n1"]),
        other_office=BranchStaffUserFactory(office=office_tree["n2"]),
    )


def add_events(target, count, by):
    officer = StaffFactory(office=target.office)
    reason = ClientActionReasonFactory()
    ClientEvent.objects.bulk_create(
        ClientEvent(
            client=target,
            action=ClientAction.TRANSFERRED,
            effective_date=TODAY,
            office=target.office,
            to_office=target.office,
            staff=officer,
            reason=reason,
            note=f"Event {number}",
            created_by=by,
            created_by_name="Someone",
        )
        for number in range(count)
    )


# Session with user, office, its tree and permissions, client, audit's rules (are views recorded),
# count, events, officer assignments.
TIMELINE_QUERIES = 6


@pytest.mark.parametrize("events", [5, 50])
def test_the_timeline_runs_the_same_queries_however_long_it_is(
    client, office_tree, django_assert_max_num_queries, events
):
    manager = BranchManagerUserFactory(office=office_tree["n1"])
    target = ActiveClientFactory(office=office_tree["n1"])
    add_events(target, events, manager)
    client.force_login(manager)

    with django_assert_max_num_queries(TIMELINE_QUERIES):
        response = client.get(reverse("clients:client_timeline", args=[target.pk]))

    assert response.status_code == 200
    assert "Event 4" in response.content.decode()


def test_the_timeline_shows_what_happened_by_whom_and_why(client, office_tree):
    manager = BranchManagerUserFactory(office=office_tree["n1"], first_name="Peter", last_name="Mwangi")
    pending = ClientFactory(office=office_tree["n1"])
    reason = ClientActionReasonFactory(kind=ReasonKind.REJECTION, name="Over-indebted")
    lifecycle.reject(pending, on=TODAY, by=manager, reason=reason, note="Three other loans.")
    client.force_login(manager)

    page = client.get(reverse("clients:client_timeline", args=[pending.pk])).content.decode()

    for text in ("Pending &rarr; Rejected", "Over-indebted", "Three other loans.", "Peter Mwangi"):
        assert text in page


# --- Reassigning a credit officer's clients ----------------------------------------------------------


def test_the_reassignment_page_is_for_managers(client, office_tree):
    assert_access(
        client,
        reverse("clients:officer_reassign"),
        permitted=BranchManagerUserFactory(office=office_tree["n1"]),
        without_permission=BranchStaffUserFactory(office=office_tree["n1"]),
    )


def test_a_manager_hands_a_leaving_officers_clients_to_another(client, office_tree):
    leaving, taking_over = StaffFactory(office=office_tree["n1"]), StaffFactory(office=office_tree["n1"])
    StaffFactory(office=office_tree["s1"])
    clients = [ActiveClientFactory(office=office_tree["n1"], staff=leaving) for _ in range(3)]
    client.force_login(BranchManagerUserFactory(office=office_tree["n1"]))

    form = client.get(reverse("clients:officer_reassign")).context["form"]
    response = client.post(
        reverse("clients:officer_reassign"),
        {"from_staff": leaving.pk, "to_staff": taking_over.pk, "on": TODAY},
        follow=True,
    )

    assert set(form.fields["from_staff"].queryset) == {leaving, taking_over}
    assert "3 clients moved" in response.content.decode()
    assert set(Client.objects.filter(staff=taking_over)) == set(clients)


@pytest.mark.parametrize("officers", [3, 30])
def test_the_reassignment_page_runs_the_same_queries_however_many_officers(
    client, office_tree, django_assert_num_queries, officers
):
    StaffFactory.create_batch(officers, office=office_tree["n1"])
    client.force_login(BranchManagerUserFactory(office=office_tree["north"]))

    # Session with user, office, its tree and permissions, and each select's officers.
    with django_assert_num_queries(3):
        response = client.get(reverse("clients:officer_reassign"))

    assert response.content.decode().count("(North One)</option>") == 2 * officers


def test_a_refused_reassignment_is_explained_next_to_the_field(client, office_tree):
    officer = StaffFactory(office=office_tree["n1"])
    client.force_login(BranchManagerUserFactory(office=office_tree["n1"]))

    response = client.post(
        reverse("clients:officer_reassign"), {"from_staff": officer.pk, "to_staff": officer.pk, "on": TODAY}
    )

    assert response.context["form"].errors == {"to_staff": ["Choose two different credit officers."]}


# --- Django admin -------------------------------------------------------------------------------------


def test_admin_activates_the_selected_pending_clients_and_reports_each_refusal(client, office_tree):
    pending = [ClientFactory(office=office_tree["n1"]) for _ in range(2)]
    active = ActiveClientFactory(office=office_tree["n1"])
    client.force_login(HeadOfficeAdminUserFactory())

    response = client.post(
        reverse("admin:clients_client_changelist"),
        {"action": "activate_today", "_selected_action": [c.pk for c in [*pending, active]]},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == [
        f"{active}: Only a pending client can be activated; this client is Active.",
        "2 clients activated.",
    ]
    assert set(Client.objects.filter(status=ClientStatus.ACTIVE)) == {*pending, active}
    assert ClientEvent.objects.filter(action=ClientAction.ACTIVATED).count() == 2


# --- Transfers in the client list of each office -----------------------------------------------------


def listed(client, user, **filters):
    client.force_login(user)
    response = client.get(reverse("clients:client_list"), filters)
    assert response.status_code == 200
    return response.content.decode()


def test_the_receiving_office_lists_an_incoming_transfer_and_the_sender_lists_it_as_transferred(
    client, office_tree
):
    sender = BranchStaffUserFactory(office=office_tree["n1"])
    receiver = BranchManagerUserFactory(office=office_tree["s1"])
    third = BranchManagerUserFactory(office=office_tree["n2"])
    moving = ActiveClientFactory(office=office_tree["n1"], first_name="Zawadi", last_name="Kamau")
    lifecycle.propose_transfer(moving, to_office=office_tree["s1"], on=TODAY, by=sender)

    assert "Zawadi Kamau" in listed(client, receiver, status=ClientStatus.TRANSFER_IN_PROGRESS)
    assert "Zawadi Kamau" not in listed(client, third)

    lifecycle.accept_transfer(moving, on=TODAY, by=receiver)

    assert "Zawadi Kamau" not in listed(client, sender)
    assert "Zawadi Kamau" in listed(client, sender, status="transferred")
    assert "Zawadi Kamau" in listed(client, receiver, status=ClientStatus.ACTIVE)
    assert "Zawadi Kamau" not in listed(client, third, status="transferred")
