"""The action machinery every app's services share: an action's definition, its refusal, its dates.

A service (``clients.lifecycle``, ``groups.services``, the ledger's) declares its actions as
``Action`` rows, raises ``TransitionError`` with a message a person can read, checks the dates a
person entered with ``check_date``/``check_dates``, and keeps the acting user's name beside the
foreign key with ``user_name``. The generic action view (``mifos.views.ObjectActionView``) turns
a ``TransitionError`` into an error on the form.
"""

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from .today import today

# Whose office the user's scope must cover to take an action (see clients.lifecycle.check_permission).
OBJECT_OFFICE = "client_office"
RECEIVING_OFFICE = "receiving_office"
BOTH_OFFICES = "both_offices"


class TransitionError(Exception):
    """An action that the object's state or the rules do not allow; the message is for a person.

    ``field`` names the form field the refusal is about, if any (the error goes next to it).
    """

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Action:
    """An action a user can take on an object: its button, its permissions, and why a status refuses it."""

    name: str
    label: str
    permissions: tuple
    refusal: str  # %(status)s is the object's current status
    scope: str = OBJECT_OFFICE
    # A button that ends something (rejection, closure) is drawn as a warning.
    danger: bool = False


def user_name(user):
    """The name kept beside a user's foreign key, so that a record still names them once they are gone."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def check_date(on, *, not_before=None, not_before_label=""):
    """Dates a person enters are never in the future nor before the date that came before them."""
    if on is None:
        raise TransitionError(_("Enter a date."), field="on")
    if on > today():
        raise TransitionError(_("The date cannot be in the future."), field="on")
    if not_before is not None and on < not_before:
        raise TransitionError(
            _("The date cannot be before %(label)s (%(date)s).")
            % {"label": not_before_label, "date": formats.date_format(not_before, "SHORT_DATE_FORMAT")},
            field="on",
        )


def check_dates(on, *bounds):
    """``check_date`` against each (earliest date, its name) in turn; a missing date is no bound."""
    check_date(on)
    for not_before, label in bounds:
        check_date(on, not_before=not_before, not_before_label=label)
