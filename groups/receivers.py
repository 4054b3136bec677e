"""Reactions to other apps' events and what groups gives to their pages (the client file, the
dashboard); the rules themselves stay in ``groups.services``."""

from django.urls import reverse
from django.utils.translation import gettext as _

from clients.choices import ClientStatus
from mifos.bulk import in_ids

from .choices import GroupStatus, MembershipEnd
from .models import Group, Membership
from .services import leave_all

# Why a client who left the institution left their groups, by the status they left in.
LEAVING_CAUSES = {
    ClientStatus.CLOSED: MembershipEnd.CLIENT_CLOSED,
    ClientStatus.REJECTED: MembershipEnd.CLIENT_REJECTED,
    ClientStatus.WITHDRAWN: MembershipEnd.CLIENT_WITHDRAWN,
}


def end_memberships_on_transfer(sender, *, client, on, by, **kwargs):
    """A client's groups belong to their office: a transferred client leaves them on the transfer date."""
    leave_all(client, on=on, cause=MembershipEnd.TRANSFERRED, by=by)


def end_memberships_on_leaving(sender, *, client, status, on, by, reason, **kwargs):
    """A closed client, or one whose application was rejected or withdrawn, is no longer anyone's member:
    they leave their groups and centers on that date, the client's reason beside the group's."""
    leave_all(client, on=on, cause=LEAVING_CAUSES[status], by=by, note=str(reason or ""))


def current_group_names(client_ids):
    """For the client file: the names of each client's current groups and centers, by client id."""
    names = {}
    memberships = (
        Membership.objects.current()
        .filter(in_ids("client_id", client_ids))
        .order_by("client_id", "group__name")
        .values_list("client_id", "group__name")
    )
    for client_id, name in memberships:
        names.setdefault(client_id, []).append(name)
    return names


def groups_waiting(user):
    """For the managers' dashboard: the groups and centers of the user's offices awaiting activation."""
    if not user.has_perm("groups.view_group"):
        return []
    pending = Group.objects.visible_to(user).filter(status=GroupStatus.PENDING).count()
    url = f"{reverse('groups:group_list')}?status={GroupStatus.PENDING}"
    return [(_("Groups waiting for activation"), pending, url)]
