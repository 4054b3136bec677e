"""Names of the events the application records, with what a person reads for each.

Apps record other names too (``record()`` takes any dotted name); the activity log offers these
in its "kind of event" field and shows any other name as it is.
"""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "auth.user.signed_in": _("Signed in"),
    "auth.user.sign_in_failed": _("Failed sign-in"),
    "auth.user.signed_out": _("Signed out"),
    "auth.user.password_changed": _("Password changed"),
    "clients.client.created": _("Client created"),
    "clients.client.changed": _("Client changed"),
    "clients.client.viewed": _("Client page viewed"),
    "clients.client.exported": _("Clients exported"),
    "clients.identification.created": _("Identification added"),
    "clients.identification.changed": _("Identification changed"),
    "clients.identification.deleted": _("Identification deleted"),
    "clients.familymember.created": _("Family member added"),
    "clients.familymember.changed": _("Family member changed"),
    "clients.familymember.deleted": _("Family member deleted"),
    "clients.note.created": _("Note written"),
    "clients.note.changed": _("Note changed"),
    "clients.note.deleted": _("Note deleted"),
    "clients.client.submitted": _("Client submitted"),
    "clients.client.activated": _("Client activated"),
    "clients.client.rejected": _("Client rejected"),
    "clients.client.withdrawn": _("Client withdrawn"),
    "clients.client.closed": _("Client closed"),
    "clients.client.reactivated": _("Client reactivated"),
    "clients.client.transfer_proposed": _("Transfer proposed"),
    "clients.client.transferred": _("Client transferred"),
    "clients.client.officer_assigned": _("Credit officer assigned"),
    "groups.group.created": _("Group created"),
    "groups.group.changed": _("Group changed"),
    "groups.membership.created": _("Member added"),
    "groups.membership.changed": _("Membership changed"),
    "documents.document.downloaded": _("Document downloaded"),
    "audit.event.exported": _("Activity log exported"),
    "admin.object.added": _("Added in admin"),
    "admin.object.changed": _("Changed in admin"),
    "admin.object.deleted": _("Deleted in admin"),
}


def label(name):
    return KINDS.get(name, name)
