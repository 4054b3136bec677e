"""Reactions to other apps' events; the rules themselves stay in ``groups.services``."""

from .choices import MembershipEnd
from .services import leave_all


def end_memberships_on_transfer(sender, *, client, on, by, **kwargs):
    """A client's groups belong to their office: a transferred client leaves them on the transfer date."""
    leave_all(client, on=on, cause=MembershipEnd.TRANSFERRED, by=by)
