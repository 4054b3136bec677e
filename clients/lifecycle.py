"""The client lifecycle: every status change, its guards, and its record in the timeline.

Nothing else changes a client's status. Views, admin actions, the importer and commands
call these functions and turn a TransitionError into a message for the user. Each action
takes keyword-only arguments: the effective date ``on`` and the acting user ``by``.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import ClientAction, ClientStatus
from .models import ClientEvent, OfficerAssignment


class TransitionError(Exception):
    """An action that the client's state or the rules do not allow; the message is for a person."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


# Which action each status allows. The single table the guards, the pages and the tests read.
ALLOWED_ACTIONS = {
    ClientStatus.PENDING: {"activate", "reject", "withdraw"},
    ClientStatus.ACTIVE: {"close", "propose_transfer", "transfer"},
    ClientStatus.REJECTED: {"undo_rejection"},
    ClientStatus.WITHDRAWN: {"undo_withdrawal"},
    ClientStatus.CLOSED: {"reactivate"},
    ClientStatus.TRANSFER_IN_PROGRESS: {"withdraw_transfer", "accept_transfer", "reject_transfer"},
    ClientStatus.TRANSFER_ON_HOLD: {"withdraw_transfer"},
}


def user_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def check_date(on, *, not_before=None, not_before_label=""):
    """Dates a person enters are never in the future nor before the date that came before them."""
    if on is None:
        raise TransitionError(_("Enter a date."), field="on")
    if on > timezone.localdate():
        raise TransitionError(_("The date cannot be in the future."), field="on")
    if not_before is not None and on < not_before:
        raise TransitionError(
            _("The date cannot be before %(label)s (%(date)s).") % {"label": not_before_label, "date": not_before},
            field="on",
        )


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


@transaction.atomic
def submit(client, *, on, by):
    """Record a newly registered client as Pending; called once by registration."""
    check_date(on)
    client.status = ClientStatus.PENDING
    client.submitted_on = on
    client.status_changed_on = on
    client.save(update_fields=["status", "submitted_on", "status_changed_on", "updated_at"])
    record(client, ClientAction.SUBMITTED, on=on, by=by, to_status=ClientStatus.PENDING)
    if client.staff_id:
        OfficerAssignment.objects.create(client=client, staff=client.staff, start_date=on, created_by=by)
        record(client, ClientAction.OFFICER_ASSIGNED, on=on, by=by, staff=client.staff)
    return client
