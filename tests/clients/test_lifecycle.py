import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from clients import lifecycle
from clients.choices import ClientAction, ClientStatus, ReasonKind
from clients.lifecycle import TransitionError
from clients.models import Client, ClientEvent, ClientRules, OfficerAssignment
from clients.signals import client_transferred
from tests.clients.factories import (
    ActiveClientFactory,
    ClientActionReasonFactory,
    ClientFactory,
    CorporateClientFactory,
    IdentificationFactory,
    IdentificationTypeFactory,
    OfficerAssignmentFactory,
)
from tests.dates import stay_on
from tests.offices.factories import BranchManagerUserFactory, BranchStaffUserFactory, StaffFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
today_holds_still = stay_on(TODAY)
DAY = datetime.timedelta(days=1)
SUBMITTED = datetime.date(2024, 1, 15)
CHANGED = datetime.date(2024, 2, 1)

# What each allowed (status, action) pair leads to. Every other pair is refused.
TRANSITIONS = {
    (ClientStatus.PENDING, "activate"): ClientStatus.ACTIVE,
    (ClientStatus.PENDING, "reject"): ClientStatus.REJECTED,
    (ClientStatus.PENDING, "withdraw"): ClientStatus.WITHDRAWN,
    (ClientStatus.PENDING, "assign_officer"): ClientStatus.PENDING,
    (ClientStatus.PENDING, "unassign_officer"): ClientStatus.PENDING,
    (ClientStatus.REJECTED, "undo_rejection"): ClientStatus.PENDING,
    (ClientStatus.WITHDRAWN, "undo_withdrawal"): ClientStatus.PENDING,
    (ClientStatus.ACTIVE, "close"): ClientStatus.CLOSED,
    (ClientStatus.ACTIVE, "propose_transfer"): ClientStatus.TRANSFER_IN_PROGRESS,
    (ClientStatus.ACTIVE, "transfer"): ClientStatus.ACTIVE,
    (ClientStatus.ACTIVE, "assign_officer"): ClientStatus.ACTIVE,
    (ClientStatus.ACTIVE, "unassign_officer"): ClientStatus.ACTIVE,
    (ClientStatus.CLOSED, "reactivate"): ClientStatus.PENDING,
    (ClientStatus.TRANSFER_IN_PROGRESS, "withdraw_transfer"): ClientStatus.ACTIVE,
    (ClientStatus.TRANSFER_IN_PROGRESS, "accept_transfer"): ClientStatus.ACTIVE,
    (ClientStatus.TRANSFER_IN_PROGRESS, "reject_transfer"): ClientStatus.TRANSFER_ON_HOLD,
    (ClientStatus.TRANSFER_ON_HOLD, "withdraw_transfer"): ClientStatus.ACTIVE,
}


@pytest.fixture
def manager(office_tree):
    return BranchManagerUserFactory(office=office_tree["n1"])


def client_in(status, office, *, to_office=None, **fields):
    """A client of ``office`` that reached ``status`` on CHANGED, with a credit officer of its office."""
    dates = {
        ClientStatus.ACTIVE: {"activated_on": CHANGED},
        ClientStatus.CLOSED: {"activated_on": CHANGED, "closed_on": CHANGED},
        ClientStatus.TRANSFER_IN_PROGRESS: {"activated_on": CHANGED, "transfer_to_office": to_office},
        ClientStatus.TRANSFER_ON_HOLD: {"activated_on": CHANGED, "transfer_to_office": to_office},
    }.get(status, {})
    client = ClientFactory(
        office=office,
        status=status,
        staff=StaffFactory(office=office),
        **{"status_changed_on": CHANGED, **dates, **fields},
    )
    OfficerAssignment.objects.create(client=client, staff=client.staff, start_date=SUBMITTED)
    return client


def perform(action, client, *, by, on=TODAY, **kwargs):
    """Call the lifecycle function of ``action`` with the arguments it needs, valid unless given."""
    office_tree = kwargs.pop("office_tree", None)
    needs = {
        "reject": lambda: {"reason": ClientActionReasonFactory(kind=ReasonKind.REJECTION)},
        "withdraw": lambda: {"reason": ClientActionReasonFactory(kind=ReasonKind.WITHDRAWAL)},
        "close": lambda: {"reason": ClientActionReasonFactory(kind=ReasonKind.CLOSURE)},
        "propose_transfer": lambda: {"to_office": office_tree["s1"]},
        "transfer": lambda: {"to_office": office_tree["s1"]},
        "assign_officer": lambda: {"staff": StaffFactory(office=client.office)},
    }
    arguments = {**needs.get(action, dict)(), **kwargs}
    return getattr(lifecycle, action)(client, on=on, by=by, **arguments)


@pytest.mark.parametrize(
    "status, action",
    list(itertools.product(ClientStatus.values, lifecycle.ACTIONS)),
)
def test_every_status_and_action_pair_is_allowed_or_refused_with_a_reason(
    office_tree, manager, status, action
):
    client = client_in(status, office_tree["n1"], to_office=office_tree["n2"])
    expected = TRANSITIONS.get((status, action))

    if expected is None:
        with pytest.raises(TransitionError) as refused:
            perform(action, client, by=manager, office_tree=office_tree)
        assert refused.value.message == lifecycle.ACTIONS[action].refusal % {
            "status": ClientStatus(status).label
        }
        assert Client.objects.get(pk=client.pk).status == status
        assert not ClientEvent.objects.filter(client=client).exists()
    else:
        perform(action, client, by=manager, office_tree=office_tree)
        client.refresh_from_db()
        assert client.status == expected
        assert client.events.count() >= 1
        assert client.events.filter(created_by=manager, effective_date=TODAY).exists()


def test_the_messages_say_why_in_plain_words(office_tree, manager):
    client = client_in(ClientStatus.ACTIVE, office_tree["n1"])

    expected = r"^Only a pending client can be activated; this client is Active\.$"
    with pytest.raises(TransitionError, match=expected):
        lifecycle.activate(client, on=TODAY, by=manager)


def test_it_reads_the_status_from_the_database_not_from_a_stale_copy(office_tree, manager):
    client = client_in(ClientStatus.PENDING, office_tree["n1"])
    stale = Client.objects.get(pk=client.pk)
    lifecycle.activate(client, on=TODAY, by=manager)

    with pytest.raises(TransitionError, match="this client is Active"):
        lifecycle.activate(stale, on=TODAY, by=manager)
    assert client.events.filter(action=ClientAction.ACTIVATED).count() == 1


def test_every_action_records_who_when_and_why(office_tree, manager):
    client = client_in(ClientStatus.PENDING, office_tree["n1"])
    reason = ClientActionReasonFactory(kind=ReasonKind.REJECTION, name="Over-indebted")

    lifecycle.reject(client, on=TODAY - DAY, by=manager, reason=reason, note="Three other loans.")

    event = client.events.get(action=ClientAction.REJECTED)
    assert (event.effective_date, event.from_status, event.to_status) == (
        TODAY - DAY,
        ClientStatus.PENDING,
        ClientStatus.REJECTED,
    )
    assert (event.reason, event.note, event.office) == (reason, "Three other loans.", office_tree["n1"])
    assert (event.created_by, event.created_by_name) == (manager, manager.get_full_name())
    assert event.created_at is not None
    assert client.history.first().history_user == manager


# --- Dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", sorted({action for _status, action in TRANSITIONS}))
def test_no_action_takes_a_date_in_the_future(office_tree, manager, action):
    status = next(status for status, name in TRANSITIONS if name == action)
    client = client_in(status, office_tree["n1"], to_office=office_tree["n2"])

    with pytest.raises(TransitionError, match="The date cannot be in the future.") as refused:
        perform(action, client, by=manager, on=TODAY + DAY, office_tree=office_tree)
    assert refused.value.field == "on"


FRESH = {"status_changed_on": SUBMITTED}  # a client pending since its submission
DATE_GUARDS = [
    # (status, action, client fields, the date, the message names)
    (ClientStatus.PENDING, "activate", FRESH, SUBMITTED - DAY, "the submission date"),
    (ClientStatus.PENDING, "reject", FRESH, SUBMITTED - DAY, "the submission date"),
    (ClientStatus.PENDING, "withdraw", FRESH, SUBMITTED - DAY, "the submission date"),
    (ClientStatus.PENDING, "activate", {}, CHANGED - DAY, "the last status change"),
    (ClientStatus.REJECTED, "undo_rejection", {}, CHANGED - DAY, "the rejection date"),
    (ClientStatus.WITHDRAWN, "undo_withdrawal", {}, CHANGED - DAY, "the withdrawal date"),
    (ClientStatus.ACTIVE, "close", {"status_changed_on": SUBMITTED}, CHANGED - DAY, "the activation date"),
    (ClientStatus.CLOSED, "reactivate", {}, CHANGED - DAY, "the closure date"),
    (ClientStatus.ACTIVE, "propose_transfer", {}, CHANGED - DAY, "the last status change"),
    (ClientStatus.ACTIVE, "transfer", {}, CHANGED - DAY, "the last status change"),
    (ClientStatus.TRANSFER_IN_PROGRESS, "withdraw_transfer", {}, CHANGED - DAY, "the last status change"),
    (ClientStatus.TRANSFER_IN_PROGRESS, "accept_transfer", {}, CHANGED - DAY, "the last status change"),
    (ClientStatus.TRANSFER_IN_PROGRESS, "reject_transfer", {}, CHANGED - DAY, "the last status change"),
    (ClientStatus.ACTIVE, "assign_officer", {}, SUBMITTED - DAY, "the submission date"),
    (ClientStatus.ACTIVE, "unassign_officer", {}, SUBMITTED - DAY, "the submission date"),
]


@pytest.mark.parametrize("status, action, fields, on, names", DATE_GUARDS)
def test_it_refuses_a_date_before_the_date_that_came_before(
    office_tree, manager, status, action, fields, on, names
):
    client = client_in(status, office_tree["n1"], to_office=office_tree["n2"], **fields)

    with pytest.raises(TransitionError, match=f"The date cannot be before {names}") as refused:
        perform(action, client, by=manager, on=on, office_tree=office_tree)
    assert refused.value.field == "on"


def test_it_refuses_activation_before_the_office_opened(office_tree, manager):
    office = office_tree["n1"]
    office.opening_date = datetime.date(2024, 3, 1)
    office.save()
    client = client_in(ClientStatus.PENDING, office, status_changed_on=SUBMITTED)

    with pytest.raises(TransitionError, match="before the office's opening date"):
        lifecycle.activate(client, on=datetime.date(2024, 2, 28), by=manager)
    lifecycle.activate(client, on=datetime.date(2024, 3, 1), by=manager)


def test_it_refuses_a_transfer_before_the_receiving_office_opened(office_tree, manager):
    office_tree["s1"].opening_date = TODAY
    office_tree["s1"].save()
    client = client_in(ClientStatus.ACTIVE, office_tree["n1"])

    with pytest.raises(TransitionError, match="before the opening date of South One"):
        lifecycle.propose_transfer(client, to_office=office_tree["s1"], on=TODAY - DAY, by=manager)


def test_it_refuses_a_change_of_officer_before_the_current_officer_started(office_tree, manager):
    client = client_in(ClientStatus.ACTIVE, office_tree["n1"])
    lifecycle.assign_officer(client, staff=StaffFactory(office=office_tree["n1"]), on=TODAY - DAY, by=manager)

    with pytest.raises(TransitionError, match="before the current officer's start date"):
        lifecycle.assign_officer(
            client, staff=StaffFactory(office=office_tree["n1"]), on=TODAY - 2 * DAY, by=manager
        )


# --- Institution rules ----------------------------------------------------------------------------


def set_rules(**values):
    rules = ClientRules.load()
    for name, value in values.items():
        setattr(rules, name, value)
    rules.save()


def test_four_eyes_approval_stops_the_user_who_registered_the_client(office_tree, manager):
    set_rules(four_eyes_activation=True)
    client = client_in(ClientStatus.PENDING, office_tree["n1"], created_by=manager)

    with pytest.raises(TransitionError, match="another user must activate a client you registered"):
        lifecycle.activate(client, on=TODAY, by=manager)
    lifecycle.activate(client, on=TODAY, by=BranchManagerUserFactory(office=office_tree["n1"]))
    assert Client.objects.get(pk=client.pk).status == ClientStatus.ACTIVE


def test_without_four_eyes_the_registering_user_may_activate(office_tree, manager):
    set_rules(four_eyes_activation=False)
    client = client_in(ClientStatus.PENDING, office_tree["n1"], created_by=manager)

    lifecycle.activate(client, on=TODAY, by=manager)

    assert client.status == ClientStatus.ACTIVE
    assert client.activated_on == TODAY


def test_activation_waits_for_every_required_identification_when_head_office_asks(office_tree, manager):
    set_rules(require_identifications_to_activate=True)
    national_id = IdentificationTypeFactory(name="National ID", is_required=True)
    IdentificationTypeFactory(name="Passport", is_required=False)
    client = client_in(ClientStatus.PENDING, office_tree["n1"])
    IdentificationFactory(client=client, document_type=national_id, is_active=False)

    with pytest.raises(TransitionError, match="required type first: National ID"):
        lifecycle.activate(client, on=TODAY, by=manager)

    IdentificationFactory(client=client, document_type=national_id)
    lifecycle.activate(client, on=TODAY, by=manager)
    assert client.status == ClientStatus.ACTIVE


def test_required_identifications_do_not_hold_back_a_business_or_when_the_rule_is_off(office_tree, manager):
    IdentificationTypeFactory(name="National ID", is_required=True)
    individual = client_in(ClientStatus.PENDING, office_tree["n1"])
    lifecycle.activate(individual, on=TODAY, by=manager)

    set_rules(require_identifications_to_activate=True)
    business = CorporateClientFactory(office=office_tree["n1"], status_changed_on=SUBMITTED)
    lifecycle.activate(business, on=TODAY, by=manager)

    assert (individual.status, business.status) == (ClientStatus.ACTIVE, ClientStatus.ACTIVE)


def test_a_client_with_an_open_account_cannot_be_closed(office_tree, manager, monkeypatch):
    monkeypatch.setattr("clients.accounts.open_accounts", lambda client: ["Loan 000123", "Savings 000456"])
    client = client_in(ClientStatus.ACTIVE, office_tree["n1"])

    with pytest.raises(TransitionError, match="Close these accounts first: Loan 000123, Savings 000456."):
        lifecycle.close(client, on=TODAY, by=manager, reason=ClientActionReasonFactory())
    assert Client.objects.get(pk=client.pk).status == ClientStatus.ACTIVE


def test_closing_and_reactivating_keep_the_dates_in_the_timeline(office_tree, manager):
    client = client_in(ClientStatus.ACTIVE, office_tree["n1"])
    reason = ClientActionReasonFactory(name="Moved away")

    lifecycle.close(client, on=TODAY - DAY, by=manager, reason=reason)
    assert (client.status, client.closed_on) == (ClientStatus.CLOSED, TODAY - DAY)
    lifecycle.reactivate(client, on=TODAY, by=manager, note="Came back.")
    lifecycle.activate(client, on=TODAY, by=manager)

    assert (client.status, client.activated_on, client.closed_on) == (ClientStatus.ACTIVE, TODAY, None)
    assert list(client.events.values_list("action", "reason__name")[:3]) == [
        (ClientAction.ACTIVATED, None),
        (ClientAction.REACTIVATED, None),
        (ClientAction.CLOSED, "Moved away"),
    ]


# --- Credit officers ------------------------------------------------------------------------------


def test_the_officer_must_be_an_active_credit_officer_of_the_office_or_above(office_tree, manager):
    client = client_in(ClientStatus.ACTIVE, office_tree["n1"])
    refused = [
        StaffFactory(office=office_tree["n2"], first_name="Other", last_name="Branch"),
        StaffFactory(office=office_tree["n1"], is_active=False),
        StaffFactory(office=office_tree["n1"], is_credit_officer=False),
    ]
    for staff in refused:
        with pytest.raises(TransitionError, match="is not an active credit officer of North One") as error:
            lifecycle.assign_officer(client, staff=staff, on=TODAY, by=manager)
        assert error.value.field == "staff"

    regional = StaffFactory(office=office_tree["north"])
    lifecycle.assign_officer(client, staff=regional, on=TODAY, by=manager)
    assert client.staff == regional


def test_every_assignment_is_kept_with_its_start_and_end_dates(office_tree, manager):
    client = client_in(ClientStatus.ACTIVE, office_tree["n1"])
    first = client.staff
    second, third = StaffFactory(office=office_tree["n1"]), StaffFactory(office=office_tree["north"])

    lifecycle.assign_officer(client, staff=second, on=TODAY - 2 * DAY, by=manager)
    lifecycle.assign_officer(client, staff=third, on=TODAY - DAY, by=manager)
    lifecycle.unassign_officer(client, on=TODAY, by=manager)

    assert client.staff is None
    assert list(
        client.officer_assignments.order_by("start_date").values_list("staff", "start_date", "end_date")
    ) == [
        (first.pk, SUBMITTED, TODAY - 2 * DAY),
        (second.pk, TODAY - 2 * DAY, TODAY - DAY),
        (third.pk, TODAY - DAY, TODAY),
    ]
    assert list(client.events.values_list("action", "staff")) == [
        (ClientAction.OFFICER_UNASSIGNED, third.pk),
        (ClientAction.OFFICER_ASSIGNED, third.pk),
        (ClientAction.OFFICER_ASSIGNED, second.pk),
    ]


def test_assigning_the_same_officer_again_is_refused(office_tree, manager):
    client = client_in(ClientStatus.ACTIVE, office_tree["n1"])

    with pytest.raises(TransitionError, match="is already this client's credit officer"):
        lifecycle.assign_officer(client, staff=client.staff, on=TODAY, by=manager)


def test_all_clients_of_a_leaving_officer_move_to_another_in_one_action(office_tree, manager):
    leaving, taking_over = StaffFactory(office=office_tree["n1"]), StaffFactory(office=office_tree["n1"])
    moved = [
        OfficerAssignmentFactory(client__staff=leaving, client__office=office_tree["n1"]).client
        for _ in range(2)
    ]
    moved.append(ClientFactory(office=office_tree["n1"], staff=leaving))
    closed = ClientFactory(office=office_tree["n1"], staff=leaving, status=ClientStatus.CLOSED)
    other = ActiveClientFactory(office=office_tree["n1"])

    count = lifecycle.reassign_officer_clients(leaving, taking_over, on=TODAY, by=manager)

    assert count == 3
    assert set(Client.objects.filter(staff=taking_over)) == set(moved)
    assert Client.objects.get(pk=closed.pk).staff == leaving
    assert Client.objects.get(pk=other.pk).staff != taking_over
    assert OfficerAssignment.objects.filter(staff=leaving, end_date=TODAY).count() == 2
    assert OfficerAssignment.objects.filter(staff=taking_over, start_date=TODAY, end_date=None).count() == 3
    assert ClientEvent.objects.filter(action=ClientAction.OFFICER_ASSIGNED, staff=taking_over).count() == 3
    assert Client.history.filter(staff=taking_over, history_user=manager).count() == 3


def test_reassigning_moves_nobody_when_the_new_officer_cannot_serve_one_client(office_tree, manager):
    regional = StaffFactory(office=office_tree["north"])
    ActiveClientFactory(office=office_tree["n1"], staff=regional)
    ActiveClientFactory(office=office_tree["n2"], staff=regional)
    n1_officer = StaffFactory(office=office_tree["n1"])

    with pytest.raises(TransitionError, match="cannot serve 1 of these clients") as refused:
        lifecycle.reassign_officer_clients(regional, n1_officer, on=TODAY, by=manager)

    assert refused.value.field == "to_staff"
    assert Client.objects.filter(staff=regional).count() == 2


def test_reassigning_needs_two_officers_and_some_clients(office_tree, manager):
    officer = StaffFactory(office=office_tree["n1"])

    with pytest.raises(TransitionError, match="two different credit officers"):
        lifecycle.reassign_officer_clients(officer, officer, on=TODAY, by=manager)
    with pytest.raises(TransitionError, match="has no pending or active clients"):
        lifecycle.reassign_officer_clients(
            officer, StaffFactory(office=office_tree["n1"]), on=TODAY, by=manager
        )


# --- Transfers ------------------------------------------------------------------------------------


def visible(user):
    return set(Client.objects.visible_to(user))


def test_a_transfer_is_seen_by_both_offices_and_by_no_third_branch(office_tree):
    sender = BranchStaffUserFactory(office=office_tree["n1"])
    receiver = BranchManagerUserFactory(office=office_tree["s1"])
    third = BranchManagerUserFactory(office=office_tree["n2"])
    client = client_in(ClientStatus.ACTIVE, office_tree["n1"])

    lifecycle.propose_transfer(client, to_office=office_tree["s1"], on=TODAY, by=sender, note="Moved south.")

    assert client in visible(sender)
    assert client in visible(receiver)
    assert client not in visible(third)
    assert [action.name for action in lifecycle.allowed_actions(client, receiver)] == [
        "accept_transfer",
        "reject_transfer",
    ]
    assert [action.name for action in lifecycle.allowed_actions(client, sender)] == ["withdraw_transfer"]
    assert lifecycle.allowed_actions(client, third) == []

    new_officer = StaffFactory(office=office_tree["s1"])
    lifecycle.accept_transfer(client, on=TODAY, by=receiver, staff=new_officer)

    assert (client.status, client.office, client.staff) == (
        ClientStatus.ACTIVE,
        office_tree["s1"],
        new_officer,
    )
    assert client not in visible(sender)
    assert client in visible(receiver)
    assert client not in visible(third)
    transferred = client.events.get(action=ClientAction.TRANSFERRED)
    assert (transferred.office, transferred.to_office, transferred.created_by) == (
        office_tree["n1"],
        office_tree["s1"],
        receiver,
    )


def test_a_rejected_transfer_is_on_hold_until_the_sending_office_withdraws_it(office_tree):
    sender = BranchStaffUserFactory(office=office_tree["n1"])
    receiver = BranchManagerUserFactory(office=office_tree["s1"])
    client = client_in(ClientStatus.ACTIVE, office_tree["n1"])
    lifecycle.propose_transfer(client, to_office=office_tree["s1"], on=TODAY, by=sender)

    lifecycle.reject_transfer(client, on=TODAY, by=receiver, note="No room.")

    assert client.status == ClientStatus.TRANSFER_ON_HOLD
    assert client not in visible(receiver)
    assert [action.name for action in lifecycle.allowed_actions(client, sender)] == ["withdraw_transfer"]
    lifecycle.withdraw_transfer(client, on=TODAY, by=sender)
    assert (client.status, client.office, client.transfer_to_office) == (
        ClientStatus.ACTIVE,
        office_tree["n1"],
        None,
    )
    assert list(client.events.values_list("action", "to_office")[:3]) == [
        (ClientAction.TRANSFER_WITHDRAWN, office_tree["s1"].pk),
        (ClientAction.TRANSFER_REJECTED, office_tree["s1"].pk),
        (ClientAction.TRANSFER_PROPOSED, office_tree["s1"].pk),
    ]


def test_a_transfer_to_the_same_office_is_refused(office_tree, manager):
    client = client_in(ClientStatus.ACTIVE, office_tree["n1"])

    with pytest.raises(TransitionError, match="already in North One") as refused:
        lifecycle.propose_transfer(client, to_office=office_tree["n1"], on=TODAY, by=manager)
    assert refused.value.field == "to_office"


def test_the_officer_who_does_not_serve_the_new_office_is_ended_on_transfer(office_tree):
    regional_manager = BranchManagerUserFactory(office=office_tree["north"])
    client = client_in(ClientStatus.ACTIVE, office_tree["n1"])
    officer = client.staff

    lifecycle.transfer(client, to_office=office_tree["n2"], on=TODAY, by=regional_manager)

    assert client.staff is None
    assert client.officer_assignments.get().end_date == TODAY
    assert client.events.filter(action=ClientAction.OFFICER_UNASSIGNED, staff=officer).exists()


def test_a_regional_officer_stays_with_the_client_across_branches_of_the_region(office_tree):
    regional_manager = BranchManagerUserFactory(office=office_tree["north"])
    regional = StaffFactory(office=office_tree["north"])
    client = ActiveClientFactory(office=office_tree["n1"], staff=regional)

    lifecycle.transfer(client, to_office=office_tree["n2"], on=TODAY, by=regional_manager)

    assert (client.office, client.staff) == (office_tree["n2"], regional)


def test_the_new_officer_on_a_transfer_must_serve_the_receiving_office(office_tree):
    receiver = BranchManagerUserFactory(office=office_tree["s1"])
    client = client_in(ClientStatus.TRANSFER_IN_PROGRESS, office_tree["n1"], to_office=office_tree["s1"])

    with pytest.raises(TransitionError, match="not an active credit officer of South One"):
        lifecycle.accept_transfer(client, on=TODAY, by=receiver, staff=StaffFactory(office=office_tree["n1"]))
    assert Client.objects.get(pk=client.pk).office == office_tree["n1"]


def test_the_groups_are_told_of_a_completed_transfer_only_after_commit(
    office_tree, django_capture_on_commit_callbacks
):
    received = []
    client_transferred.connect(
        lambda **kwargs: received.append(kwargs), weak=False, dispatch_uid="test-receiver"
    )
    receiver = BranchManagerUserFactory(office=office_tree["s1"])
    client = client_in(ClientStatus.TRANSFER_IN_PROGRESS, office_tree["n1"], to_office=office_tree["s1"])
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            lifecycle.accept_transfer(client, on=TODAY, by=receiver)
            assert received == []
    finally:
        client_transferred.disconnect(dispatch_uid="test-receiver")

    assert len(callbacks) == 1
    assert received == [
        {
            "signal": client_transferred,
            "sender": Client,
            "client": client,
            "from_office": office_tree["n1"],
            "to_office": office_tree["s1"],
            "on": TODAY,
            "by": receiver,
        }
    ]


# --- Who may act ----------------------------------------------------------------------------------


def names(client, user):
    return [action.name for action in lifecycle.allowed_actions(client, user)]


def test_branch_staff_only_propose_transfers_and_managers_decide(office_tree):
    staff = BranchStaffUserFactory(office=office_tree["n1"])
    manager = BranchManagerUserFactory(office=office_tree["n1"])
    pending = client_in(ClientStatus.PENDING, office_tree["n1"])
    active = client_in(ClientStatus.ACTIVE, office_tree["n1"])

    assert names(pending, staff) == []
    assert names(active, staff) == ["propose_transfer"]
    assert names(pending, manager) == ["activate", "reject", "withdraw", "assign_officer", "unassign_officer"]
    # A branch manager sees only the branch: no one-step transfer.
    assert names(active, manager) == ["close", "propose_transfer", "assign_officer", "unassign_officer"]
    with pytest.raises(PermissionDenied):
        lifecycle.check_permission(staff, "activate", pending)


def test_a_user_whose_scope_covers_both_offices_may_transfer_in_one_step(office_tree):
    regional = BranchManagerUserFactory(office=office_tree["north"])
    client = client_in(ClientStatus.ACTIVE, office_tree["n1"])

    assert "transfer" in names(client, regional)
    lifecycle.check_permission(regional, "transfer", client, to_office=office_tree["n2"])
    with pytest.raises(PermissionDenied):
        lifecycle.check_permission(regional, "transfer", client, to_office=office_tree["s1"])


def test_only_the_receiving_office_decides_on_a_transfer(office_tree):
    sending_manager = BranchManagerUserFactory(office=office_tree["n1"])
    client = client_in(ClientStatus.TRANSFER_IN_PROGRESS, office_tree["n1"], to_office=office_tree["s1"])

    assert names(client, sending_manager) == ["withdraw_transfer"]
    with pytest.raises(PermissionDenied):
        lifecycle.check_permission(sending_manager, "accept_transfer", client)


def test_unassign_is_offered_only_when_there_is_an_officer(office_tree, manager):
    client = ClientFactory(office=office_tree["n1"], staff=None)

    assert "unassign_officer" not in names(client, manager)
    with pytest.raises(TransitionError, match="This client has no credit officer."):
        lifecycle.unassign_officer(client, on=TODAY, by=manager)


@pytest.mark.parametrize(
    "action, kind",
    [("reject", ReasonKind.REJECTION), ("withdraw", ReasonKind.WITHDRAWAL), ("close", ReasonKind.CLOSURE)],
)
def test_rejection_withdrawal_and_closure_take_a_reason_from_their_own_list(
    office_tree, manager, action, kind
):
    status = ClientStatus.ACTIVE if action == "close" else ClientStatus.PENDING
    client = client_in(status, office_tree["n1"])
    other_kind = next(other for other in ReasonKind if other != kind)

    for reason in (None, ClientActionReasonFactory(kind=other_kind)):
        with pytest.raises(TransitionError, match=f"Choose a reason for {kind.label.lower()}") as refused:
            perform(action, client, by=manager, reason=reason)
        assert refused.value.field == "reason"
    assert Client.objects.get(pk=client.pk).status == status
