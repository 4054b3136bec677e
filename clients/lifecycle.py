"""The client lifecycle: every status change, its guards, and its record in the timeline.

Nothing else changes a client's status or credit officer. Views, admin actions, the importer
and commands call these functions and turn a TransitionError into a message for the user.
Each action takes keyword-only arguments: the effective date ``on`` and the acting user ``by``.

Two questions are kept apart:
- *may this user do it?* -- ``check_permission`` (the action's Django permissions and the user's
  office scope). Views, admin actions and commands acting for a person call it before the action;
  ``allowed_actions`` uses it to show only the buttons a user may press.
- *may it happen now?* -- the action functions themselves: the status table, the dates and the
  institution's rules (four-eyes, identifications, open accounts, credit officers). They hold for
  every caller, including data loads that act as the system user.
"""

from functools import partial, wraps

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

import audit
from audit import without_history_event
from mifos.actions import (  # noqa: F401 (TransitionError and the date checks are this module's surface too)
    BOTH_OFFICES,
    OBJECT_OFFICE,
    RECEIVING_OFFICE,
    Action,
    TransitionError,
    check_date,
    check_dates,
    user_name,
)
from offices.models import Staff
from offices.scoping import covers, sees_everything, user_office

from . import accounts, extensions
from .choices import ClientAction, ClientStatus, LegalForm, ReasonKind
from .models import Client, ClientEvent, ClientRules, IdentificationType, OfficerAssignment
from .signals import client_left, client_transferred

# Whose office the user's scope must cover to take an action.
CLIENT_OFFICE = OBJECT_OFFICE

ACTIONS = {
    action.name: action
    for action in (
        Action(
            "activate",
            gettext_lazy("Activate"),
            ("clients.activate_client",),
            gettext_lazy("Only a pending client can be activated; this client is %(status)s."),
        ),
        Action(
            "reject",
            gettext_lazy("Reject"),
            ("clients.reject_client",),
            gettext_lazy("Only a pending client can be rejected; this client is %(status)s."),
            danger=True,
        ),
        Action(
            "withdraw",
            gettext_lazy("Withdraw"),
            ("clients.reject_client",),
            gettext_lazy("Only a pending client can be withdrawn; this client is %(status)s."),
            danger=True,
        ),
        Action(
            "undo_rejection",
            gettext_lazy("Undo rejection"),
            ("clients.reject_client",),
            gettext_lazy("Only a rejection can be undone; this client is %(status)s."),
        ),
        Action(
            "undo_withdrawal",
            gettext_lazy("Undo withdrawal"),
            ("clients.reject_client",),
            gettext_lazy("Only a withdrawal can be undone; this client is %(status)s."),
        ),
        Action(
            "close",
            gettext_lazy("Close"),
            ("clients.close_client",),
            gettext_lazy("Only an active client can be closed; this client is %(status)s."),
            danger=True,
        ),
        Action(
            "reactivate",
            gettext_lazy("Reactivate"),
            ("clients.close_client",),
            gettext_lazy("Only a closed client can be reactivated; this client is %(status)s."),
        ),
        Action(
            "propose_transfer",
            gettext_lazy("Propose transfer"),
            ("clients.transfer_client",),
            gettext_lazy("Only an active client can be proposed for transfer; this client is %(status)s."),
        ),
        Action(
            "transfer",
            gettext_lazy("Transfer now"),
            ("clients.transfer_client", "clients.decide_transfer_client"),
            gettext_lazy("Only an active client can be transferred; this client is %(status)s."),
            scope=BOTH_OFFICES,
        ),
        Action(
            "withdraw_transfer",
            gettext_lazy("Withdraw transfer"),
            ("clients.transfer_client",),
            gettext_lazy(
                "Only a transfer in progress or on hold can be withdrawn; this client is %(status)s."
            ),
        ),
        Action(
            "accept_transfer",
            gettext_lazy("Accept transfer"),
            ("clients.decide_transfer_client",),
            gettext_lazy("Only a transfer in progress can be accepted; this client is %(status)s."),
            scope=RECEIVING_OFFICE,
        ),
        Action(
            "reject_transfer",
            gettext_lazy("Reject transfer"),
            ("clients.decide_transfer_client",),
            gettext_lazy("Only a transfer in progress can be rejected; this client is %(status)s."),
            scope=RECEIVING_OFFICE,
            danger=True,
        ),
        Action(
            "assign_officer",
            gettext_lazy("Assign credit officer"),
            ("clients.assign_officer_client",),
            gettext_lazy("Only a pending or active client gets a credit officer; this client is %(status)s."),
        ),
        Action(
            "unassign_officer",
            gettext_lazy("Unassign credit officer"),
            ("clients.assign_officer_client",),
            gettext_lazy(
                "Only a pending or active client can lose its credit officer; this client is %(status)s."
            ),
        ),
    )
}

# Which action each status allows. The single table the guards, the pages and the tests read.
ALLOWED_ACTIONS = {
    ClientStatus.PENDING: {"activate", "reject", "withdraw", "assign_officer", "unassign_officer"},
    ClientStatus.ACTIVE: {"close", "propose_transfer", "transfer", "assign_officer", "unassign_officer"},
    ClientStatus.REJECTED: {"undo_rejection"},
    ClientStatus.WITHDRAWN: {"undo_withdrawal"},
    ClientStatus.CLOSED: {"reactivate"},
    ClientStatus.TRANSFER_IN_PROGRESS: {"withdraw_transfer", "accept_transfer", "reject_transfer"},
    ClientStatus.TRANSFER_ON_HOLD: {"withdraw_transfer"},
}

# --- Who may act ---------------------------------------------------------------------------------------


def check_permission(user, action, client, *, to_office=None):
    """Raise PermissionDenied unless ``user`` holds the action's permissions and scope.

    Scope: the client's office for most actions; the receiving office to accept or reject a
    transfer; both offices (``to_office`` when known) to transfer in one step.
    """
    definition = ACTIONS[action]
    if not user.has_perms(definition.permissions):
        raise PermissionDenied(_("You do not have permission to do this."))
    if definition.scope == RECEIVING_OFFICE:
        allowed = covers(user, client.transfer_to_office)
    elif definition.scope == BOTH_OFFICES:
        allowed = covers(user, client.office) and (
            covers(user, to_office)
            if to_office is not None
            # Before an office is chosen: a scope wider than the client's office alone.
            else sees_everything(user) or user_office(user).pk != client.office_id
        )
    else:
        allowed = covers(user, client.office)
    if not allowed:
        raise PermissionDenied(_("This client is outside the offices you work for."))


def may(user, action, client):
    try:
        check_permission(user, action, client)
    except PermissionDenied:
        return False
    return True


def refusal(client, action):
    """Why the client's current state refuses ``action``, or None when it allows it."""
    if action not in ALLOWED_ACTIONS.get(client.status, ()):
        return ACTIONS[action].refusal % {"status": client.get_status_display()}
    if action == "unassign_officer" and not client.staff_id:
        return _("This client has no credit officer.")
    return None


def check_status(client, action):
    message = refusal(client, action)
    if message:
        raise TransitionError(message)


def allowed_actions(client, user):
    """The actions ``user`` may take on ``client`` now: status table x permissions x scope."""
    return [
        definition
        for name, definition in ACTIONS.items()
        if refusal(client, name) is None and may(user, name, client)
    ]


# --- Building blocks ---------------------------------------------------------------------------------


def record(client, action, *, on, by, from_status="", to_status="", **details):
    """Write one timeline entry; called inside the action's transaction."""
    return ClientEvent.objects.create(
        client=client,
        action=action,
        effective_date=on,
        from_status=from_status,
        to_status=to_status,
        office=details.pop("office", None) or client.office,
        created_by=by,
        created_by_name=user_name(by),
        **details,
    )


def lock(client):
    """Lock the client's row for the rest of the transaction and reload its state from it.

    Two managers acting on the same client at once are served one after the other; the
    second sees the first one's status and is refused by the status table.
    """
    # Lock the bare row, then read it with its relations. Locked through a join, a row another
    # transaction has just moved to another office no longer matches the join PostgreSQL rechecks
    # after the wait, and the second manager got "does not exist" (a server error) for a refusal.
    list(Client.objects.select_for_update().filter(pk=client.pk).values_list("pk", flat=True))
    client.refresh_from_db(
        from_queryset=Client.objects.select_related("office", "staff__office", "transfer_to_office")
    )


def _state(client):
    return (client.status, client.office_id, client.transfer_to_office_id)


def client_action(name):
    """Make a function the action ``name``: atomic, on the locked client, allowed by the status table."""

    def decorate(function):
        @wraps(function)
        def run(client, **kwargs):
            with transaction.atomic():
                seen = _state(client)
                lock(client)
                check_status(client, name)
                if client.pk is not None and seen != _state(client):
                    # Another user acted first (two "transfer now" at once): this decision was
                    # made on what the client no longer is.
                    raise TransitionError(
                        _("Someone else changed %(client)s a moment ago: it is %(status)s in %(office)s. ")
                        % {"client": client, "status": client.get_status_display(), "office": client.office}
                        + _("Look at it again before you act.")
                    )
                return function(client, **kwargs)

        return run

    return decorate


def change_status(client, to_status, event, *, on, by, fields=(), **details):
    """Save the new status with the fields the action changed, and write its timeline entry."""
    from_status = client.status
    client.status = to_status
    client.status_changed_on = on
    client.updated_by = by
    client._history_user = by  # the history row names the user outside a web request too
    without_history_event(client)  # the timeline entry below is the activity log's event
    client.save(update_fields=["status", "status_changed_on", "updated_by", "updated_at", *fields])
    return record(client, event, on=on, by=by, from_status=from_status, to_status=to_status, **details)


def announce_leaving(client, *, on, by, reason):
    """Tell other apps, once committed, that the client left (groups end the client's memberships)."""
    transaction.on_commit(
        partial(
            client_left.send, sender=Client, client=client, status=client.status, on=on, by=by, reason=reason
        )
    )


def check_reason(reason, kind):
    """Rejection, withdrawal and closure each take a reason from their own list."""
    if reason is None or reason.kind != kind:
        raise TransitionError(
            _("Choose a reason for %(action)s from the list.") % {"action": ReasonKind(kind).label.lower()},
            field="reason",
        )


def since_last_change(client):
    return (client.status_changed_on, _("the last status change"))


def since_submission(client):
    return (client.submitted_on, gettext_lazy("the submission date"))  # read only when refused


def since_arrival(client):
    """(date, what it is) of the client's latest arrival in its office by transfer, or (None, "") for
    a client who never moved. Before that day the client was another office's: an account opened, a
    posting or a group joined then would land in that office's books, by an office that did not hold
    the client yet."""
    arrived = (
        ClientEvent.objects.filter(client=client, action=ClientAction.TRANSFERRED, to_office=client.office_id)
        .order_by("-effective_date", "-created_at", "-pk")
        .values_list("effective_date", flat=True)
        .first()
    )
    if arrived is None:
        return (None, "")
    return (arrived, _("the client's arrival in %(office)s by transfer") % {"office": client.office})


def since_own_records(client):
    """The latest dates of the client's accounts and group memberships: a client does not leave
    before records of its own, or they would outlive it (a membership ended "because the client
    closed" on a day before it joined, an account used after its holder's closure)."""
    return (accounts.latest_record(client), *extensions.leaving_bounds(client))


# --- Submission, approval, rejection, withdrawal -------------------------------------------------


@transaction.atomic
def submit(client, *, on, by):
    """Record a newly registered client as Pending; called once by registration."""
    check_date(on)
    client.status = ClientStatus.PENDING
    client.submitted_on = on
    client.status_changed_on = on
    without_history_event(client)
    client.save(update_fields=["status", "submitted_on", "status_changed_on", "updated_at"])
    record(client, ClientAction.SUBMITTED, on=on, by=by, to_status=ClientStatus.PENDING)
    if client.staff_id:
        OfficerAssignment.objects.create(client=client, staff=client.staff, start_date=on, created_by=by)
        record(client, ClientAction.OFFICER_ASSIGNED, on=on, by=by, staff=client.staff)
    return client


def identification_gaps(required_types, held, *, on):
    """(required types held by no active identification, active ones expired on ``on``).

    ``held``: the active identifications the client holds (or will hold), one a type. A document
    counts on the day it is valid: one expired before ``on`` is kept on record, not held.
    """
    by_type = {identification.document_type_id: identification for identification in held}
    missing, expired = [], []
    for kind in required_types:
        identification = by_type.get(kind.pk)
        if identification is None:
            missing.append(kind)
        elif identification.expiry_date is not None and identification.expiry_date < on:
            expired.append(identification)
    return missing, expired


def expired_identifications_message(expired, *, on, when):
    """What a person is told of required identifications ``expired`` before ``on``, ``when`` (its name)."""
    return " ".join(
        _(
            "The %(type)s %(number)s expired on %(expired)s, before %(when)s (%(day)s): "
            "record the renewed one first."
        )
        % {
            "type": identification.document_type,
            "number": identification.number,
            "expired": formats.date_format(identification.expiry_date, "SHORT_DATE_FORMAT"),
            "when": when,
            "day": formats.date_format(on, "SHORT_DATE_FORMAT"),
        }
        for identification in expired
    )


def check_identifications_held(held, *, on, required_types=None):
    """Refuse to activate on ``on`` a person who does not hold, valid that day, an active identification of
    each required type (the institution's rule ``require_identifications_to_activate``)."""
    if required_types is None:
        required_types = IdentificationType.objects.active().filter(is_required=True)
    missing, expired = identification_gaps(required_types, held, on=on)
    reasons = []
    if missing:
        reasons.append(
            _("The client needs an active identification of each required type first: %(types)s.")
            % {"types": ", ".join(str(kind) for kind in missing)}
        )
    if expired:
        reasons.append(expired_identifications_message(expired, on=on, when=_("the activation date")))
    if reasons:
        raise TransitionError(" ".join(reasons))


@client_action("activate")
def activate(client, *, on, by):
    check_dates(
        on,
        since_submission(client),
        since_last_change(client),
        (client.office.opening_date, _("the office's opening date")),
    )
    rules = ClientRules.load()
    if rules.four_eyes_activation and by is not None and client.created_by_id == by.pk:
        raise TransitionError(_("Four-eyes approval: another user must activate a client you registered."))
    if rules.require_identifications_to_activate and client.legal_form == LegalForm.INDIVIDUAL:
        held = client.identifications.filter(is_active=True).select_related("document_type")
        check_identifications_held(list(held), on=on)
    client.activated_on = on
    change_status(client, ClientStatus.ACTIVE, ClientAction.ACTIVATED, on=on, by=by, fields=["activated_on"])
    return client


def check_opening(client, *, by, activate_on=None, identifications=(), rules=None, required_types=None):
    """Refuse, without writing, what ``submit`` and then ``activate`` on ``activate_on`` would refuse
    for a new client: for a bulk load that checks every row before it writes any (the importer).

    ``identifications``: those the client will hold (unsaved).
    ``required_types``: the active required identification types, when the caller has read them
    (a bulk load, once); else they are read here.
    """
    check_date(client.submitted_on)
    if activate_on is None:
        return
    check_dates(
        activate_on,
        since_submission(client),
        (client.office.opening_date, gettext_lazy("the office's opening date")),
    )
    # Importing a client as Active activates it: the same right as the Activate button's.
    if by is not None and not by.has_perms(ACTIONS["activate"].permissions):
        raise TransitionError(
            _("You may not activate clients: import them as Pending for someone who may activate them.")
        )
    rules = rules or ClientRules.load()
    # A client loaded as Active is registered and activated by the same user, which four-eyes approval
    # forbids a branch. Loading an institution's existing active clients is head office's migration,
    # recorded as such (the import, and the activation entry in each client's timeline, name the user);
    # anyone else imports them Pending for another user to activate. A command run with no user is IT's.
    if rules.four_eyes_activation and by is not None and not sees_everything(by):
        raise TransitionError(
            _(
                "Four-eyes approval: only head office may import clients as Active; import them as "
                "Pending for another user to activate."
            )
        )
    if rules.require_identifications_to_activate and client.legal_form == LegalForm.INDIVIDUAL:
        held = [identification for identification in identifications if identification.is_active]
        check_identifications_held(held, on=activate_on, required_types=required_types)


def opening_records(client, *, by, activate_on=None):
    """What ``submit`` (and ``activate`` on ``activate_on``) set and record for a new client that a
    bulk load writes itself: the client's status and dates are set; the timeline entries and the
    officer assignment are returned as field values (attribute names), which a bulk writer takes
    without building a model instance per row. Check with ``check_opening`` first."""
    client.status = ClientStatus.PENDING
    client.status_changed_on = submitted = client.submitted_on
    common = {
        "client_id": client.pk,
        "office_id": client.office_id,
        "created_by_id": by.pk if by is not None else None,
        "created_by_name": user_name(by),
    }
    submission = {"action": ClientAction.SUBMITTED, "to_status": ClientStatus.PENDING}
    events = [{**submission, "effective_date": submitted}]
    assignments = []
    if client.staff_id:
        assignment = {"client_id": client.pk, "staff_id": client.staff_id, "start_date": submitted}
        assignments.append({**assignment, "created_by_id": common["created_by_id"]})
        officer = {"action": ClientAction.OFFICER_ASSIGNED, "staff_id": client.staff_id}
        events.append({**officer, "effective_date": submitted})
    if activate_on is not None:
        client.status = ClientStatus.ACTIVE
        client.activated_on = client.status_changed_on = activate_on
        events.append(
            {
                "action": ClientAction.ACTIVATED,
                "effective_date": activate_on,
                "from_status": ClientStatus.PENDING,
                "to_status": ClientStatus.ACTIVE,
            }
        )
    return [{**event, **common} for event in events], assignments


@client_action("reject")
def reject(client, *, on, by, reason, note=""):
    check_dates(on, since_submission(client), since_last_change(client), *since_own_records(client))
    check_reason(reason, ReasonKind.REJECTION)
    change_status(
        client, ClientStatus.REJECTED, ClientAction.REJECTED, on=on, by=by, reason=reason, note=note
    )
    announce_leaving(client, on=on, by=by, reason=reason)
    return client


@client_action("withdraw")
def withdraw(client, *, on, by, reason, note=""):
    """The applicant withdraws before approval."""
    check_dates(on, since_submission(client), since_last_change(client), *since_own_records(client))
    check_reason(reason, ReasonKind.WITHDRAWAL)
    change_status(
        client, ClientStatus.WITHDRAWN, ClientAction.WITHDRAWN, on=on, by=by, reason=reason, note=note
    )
    announce_leaving(client, on=on, by=by, reason=reason)
    return client


@client_action("undo_rejection")
def undo_rejection(client, *, on, by, note=""):
    check_dates(on, (client.status_changed_on, _("the rejection date")))
    change_status(client, ClientStatus.PENDING, ClientAction.REJECTION_UNDONE, on=on, by=by, note=note)
    return client


@client_action("undo_withdrawal")
def undo_withdrawal(client, *, on, by, note=""):
    check_dates(on, (client.status_changed_on, _("the withdrawal date")))
    change_status(client, ClientStatus.PENDING, ClientAction.WITHDRAWAL_UNDONE, on=on, by=by, note=note)
    return client


# --- Closure ---------------------------------------------------------------------------------------


@client_action("close")
def close(client, *, on, by, reason, note=""):
    check_dates(
        on,
        (client.activated_on, _("the activation date")),
        since_last_change(client),
        *since_own_records(client),
    )
    check_reason(reason, ReasonKind.CLOSURE)
    still_open = accounts.open_accounts(client)
    if still_open:
        raise TransitionError(
            _("Close these accounts first: %(accounts)s.") % {"accounts": ", ".join(map(str, still_open))}
        )
    client.closed_on = on
    change_status(
        client,
        ClientStatus.CLOSED,
        ClientAction.CLOSED,
        on=on,
        by=by,
        fields=["closed_on"],
        reason=reason,
        note=note,
    )
    announce_leaving(client, on=on, by=by, reason=reason)
    return client


@client_action("reactivate")
def reactivate(client, *, on, by, note=""):
    """Closed -> Pending, to be approved again by ``activate``; the timeline keeps the earlier dates."""
    check_dates(on, (client.closed_on, _("the closure date")))
    client.activated_on = None
    client.closed_on = None
    change_status(
        client,
        ClientStatus.PENDING,
        ClientAction.REACTIVATED,
        on=on,
        by=by,
        fields=["activated_on", "closed_on"],
        note=note,
    )
    return client


# --- Credit officers ---------------------------------------------------------------------------------


def check_officer(client, staff, *, office=None):
    """The officer must be an active credit officer of the client's office or an office above it."""
    office = office or client.office
    if not Staff.objects.serving(office).filter(pk=staff.pk).exists():
        raise TransitionError(
            _("%(staff)s is not an active credit officer of %(office)s or an office above it.")
            % {"staff": staff, "office": office},
            field="staff",
        )


def open_assignment(client):
    return OfficerAssignment.objects.filter(client=client, end_date__isnull=True).first()


def _end_open_assignment(client, *, on):
    OfficerAssignment.objects.filter(client=client, end_date__isnull=True).update(end_date=on)


def _start_assignment(client, staff, *, on, by):
    """Hand the client to ``staff`` from ``on``; the timeline names the new officer."""
    _end_open_assignment(client, on=on)
    OfficerAssignment.objects.create(client=client, staff=staff, start_date=on, created_by=by)
    record(client, ClientAction.OFFICER_ASSIGNED, on=on, by=by, staff=staff)
    client.staff = staff


def _remove_officer(client, *, on, by):
    _end_open_assignment(client, on=on)
    record(client, ClientAction.OFFICER_UNASSIGNED, on=on, by=by, staff=client.staff)
    client.staff = None


def _check_assignment_date(client, on):
    current = open_assignment(client)
    check_dates(
        on,
        since_submission(client),
        (current.start_date if current else None, _("the current officer's start date")),
    )


def _save_officer(client, by):
    client.updated_by = by
    client._history_user = by
    without_history_event(client)  # the officer's assignment is on the timeline already
    client.save(update_fields=["staff", "updated_by", "updated_at"])


@client_action("assign_officer")
def assign_officer(client, *, staff, on, by):
    """Assign a credit officer, or change it: the open assignment ends on ``on`` and a new one starts."""
    if staff is None:
        raise TransitionError(_("Choose a credit officer."), field="staff")
    if client.staff_id == staff.pk:
        raise TransitionError(
            _("%(staff)s is already this client's credit officer.") % {"staff": staff}, field="staff"
        )
    check_officer(client, staff)
    _check_assignment_date(client, on)
    _start_assignment(client, staff, on=on, by=by)
    _save_officer(client, by)
    return client


@client_action("unassign_officer")
def unassign_officer(client, *, on, by):
    _check_assignment_date(client, on)
    _remove_officer(client, on=on, by=by)
    _save_officer(client, by)
    return client


@transaction.atomic
def reassign_officer_clients(from_staff, to_staff, *, on, by):
    """Move every pending or active client of one credit officer to another at once; returns how many.

    All or nothing: when the new officer cannot serve one of the clients, none is moved. Written
    in bulk, since an officer who leaves may hand over hundreds of clients; the activity log still
    gets one event per client, the one ``assign_officer`` leaves, so that each client's trail reads
    the same however it was moved.
    """
    if from_staff.pk == to_staff.pk:
        raise TransitionError(_("Choose two different credit officers."), field="to_staff")
    check_date(on)
    movable = [status for status, actions in ALLOWED_ACTIONS.items() if "assign_officer" in actions]
    clients = list(
        Client.objects.select_for_update(of=("self",))
        .filter(staff=from_staff, status__in=movable)
        .select_related("office")
        .order_by("pk")
    )
    if not clients:
        raise TransitionError(
            _("%(staff)s has no pending or active clients.") % {"staff": from_staff}, field="from_staff"
        )
    if not Staff.objects.credit_officers().filter(pk=to_staff.pk).exists():
        raise TransitionError(
            _("%(staff)s is not an active credit officer.") % {"staff": to_staff}, field="to_staff"
        )
    outside = [client for client in clients if not client.office.is_within(to_staff.office)]
    if outside:
        raise TransitionError(
            _(
                "%(staff)s cannot serve %(count)d of these clients (for example %(client)s): "
                "choose a credit officer of their office or an office above it."
            )
            % {"staff": to_staff, "count": len(outside), "client": outside[0]},
            field="to_staff",
        )
    open_assignments = OfficerAssignment.objects.filter(client__in=clients, end_date__isnull=True)
    latest_start = max(open_assignments.values_list("start_date", flat=True), default=None)
    check_dates(on, (latest_start, _("the start date of a current assignment")))
    open_assignments.update(end_date=on)
    OfficerAssignment.objects.bulk_create(
        OfficerAssignment(client=client, staff=to_staff, start_date=on, created_by=by) for client in clients
    )
    ClientEvent.objects.bulk_create(
        ClientEvent(
            client=client,
            action=ClientAction.OFFICER_ASSIGNED,
            effective_date=on,
            office=client.office,
            staff=to_staff,
            created_by=by,
            created_by_name=user_name(by),
        )
        for client in clients
    )
    now = timezone.now()
    for client in clients:
        client.staff, client.updated_by, client.updated_at = to_staff, by, now
    bulk_update_with_history(clients, Client, ["staff", "updated_by", "updated_at"], default_user=by)
    # Bulk writes send no signals: the events audit's receivers write for one move are written here.
    for client in clients:
        audit.record(
            by, "clients.client.officer_assigned", obj=client, effective_date=on, staff=str(to_staff)
        )
    return len(clients)


# --- Transfers between offices -------------------------------------------------------------------


def _check_destination(client, to_office, on):
    if to_office is None:
        raise TransitionError(_("Choose the office to transfer the client to."), field="to_office")
    if to_office.pk == client.office_id:
        raise TransitionError(
            _("The client is already in %(office)s.") % {"office": to_office}, field="to_office"
        )
    check_dates(on, since_last_change(client), since_opening(to_office))


def since_opening(office):
    return (office.opening_date, _("the opening date of %(office)s") % {"office": office})


@client_action("propose_transfer")
def propose_transfer(client, *, to_office, on, by, note=""):
    """The sending office proposes the move; the client waits, visible to the receiving office."""
    _check_destination(client, to_office, on)
    client.transfer_to_office = to_office
    change_status(
        client,
        ClientStatus.TRANSFER_IN_PROGRESS,
        ClientAction.TRANSFER_PROPOSED,
        on=on,
        by=by,
        fields=["transfer_to_office"],
        to_office=to_office,
        note=note,
    )
    return client


@client_action("withdraw_transfer")
def withdraw_transfer(client, *, on, by, note=""):
    """The sending office takes its proposal back (also after a rejection): Active in the same office."""
    check_dates(on, since_last_change(client))
    to_office = client.transfer_to_office
    client.transfer_to_office = None
    change_status(
        client,
        ClientStatus.ACTIVE,
        ClientAction.TRANSFER_WITHDRAWN,
        on=on,
        by=by,
        fields=["transfer_to_office"],
        to_office=to_office,
        note=note,
    )
    return client


@client_action("reject_transfer")
def reject_transfer(client, *, on, by, note=""):
    """The receiving office declines: the transfer is on hold until the sending office withdraws it."""
    check_dates(on, since_last_change(client))
    change_status(
        client,
        ClientStatus.TRANSFER_ON_HOLD,
        ClientAction.TRANSFER_REJECTED,
        on=on,
        by=by,
        to_office=client.transfer_to_office,
        note=note,
    )
    return client


def _move(client, to_office, *, on, by, staff, note):
    """Complete a transfer: Active in ``to_office``, officers sorted out, other apps told after commit.

    Accepted or done in one step, a completed transfer is one TRANSFERRED entry naming the sending
    office as ``office``: the sending office's "Transferred" list reads these entries.
    """
    # The client leaves its office on ``on``: its accounts' records and groups there came before it.
    check_dates(on, *since_own_records(client))
    if staff is not None:
        check_officer(client, staff, office=to_office)
    from_office = client.office
    if staff is None and client.staff is not None and not to_office.is_within(client.staff.office):
        # The officer does not serve the new office; the receiving office assigns one later.
        _remove_officer(client, on=on, by=by)
    client.office = to_office
    client.transfer_to_office = None
    change_status(
        client,
        ClientStatus.ACTIVE,
        ClientAction.TRANSFERRED,
        on=on,
        by=by,
        fields=["office", "transfer_to_office", "staff"],
        office=from_office,
        to_office=to_office,
        note=note,
    )
    if staff is not None and client.staff_id != staff.pk:
        _start_assignment(client, staff, on=on, by=by)
        _save_officer(client, by)
    transaction.on_commit(
        partial(
            client_transferred.send,
            sender=Client,
            client=client,
            from_office=from_office,
            to_office=to_office,
            on=on,
            by=by,
        )
    )
    return client


@client_action("accept_transfer")
def accept_transfer(client, *, on, by, staff=None, note=""):
    """The receiving office takes the client in, optionally with one of its credit officers."""
    to_office = client.transfer_to_office
    check_dates(on, since_last_change(client), since_opening(to_office))
    return _move(client, to_office, on=on, by=by, staff=staff, note=note)


@client_action("transfer")
def transfer(client, *, to_office, on, by, staff=None, note=""):
    """Move an active client to another office in one step (for a user whose scope covers both)."""
    _check_destination(client, to_office, on)
    return _move(client, to_office, on=on, by=by, staff=staff, note=note)
