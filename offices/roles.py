"""Roles are Django groups; this table says which permissions each role holds.

Each app's data migration applies the rows of its own app label with
``grant_role_permissions`` so that roles grow with the apps that need them.
"""

from django.contrib.auth.management import create_permissions
from django.utils.translation import gettext_lazy as _

BRANCH_STAFF = "Branch staff"
BRANCH_MANAGER = "Branch manager"
HEAD_OFFICE_ADMIN = "Head-office admin"

ROLE_LABELS = {
    BRANCH_STAFF: _("Branch staff"),
    BRANCH_MANAGER: _("Branch manager"),
    HEAD_OFFICE_ADMIN: _("Head-office admin"),
}

_VIEW_OFFICES = ["offices.view_office", "offices.view_staff"]

# Branch staff register and keep clients and propose transfers.
_CLIENT_WORK = [
    "clients.view_client",
    "clients.add_client",
    "clients.change_client",
    "clients.transfer_client",
    "clients.view_identification",
    "clients.add_identification",
    "clients.change_identification",
    "clients.delete_identification",
    "clients.view_familymember",
    "clients.add_familymember",
    "clients.change_familymember",
    "clients.delete_familymember",
    "clients.view_note",
    "clients.add_note",
    "clients.change_note",
    # Bringing a file of clients in (through the registration rules) and seeing past imports.
    "clients.view_importrun",
    "clients.add_importrun",
]
# Branch managers also decide: approve, reject, close, transfers, officers; and remove others' notes.
_CLIENT_DECISIONS = [
    "clients.activate_client",
    "clients.reject_client",
    "clients.close_client",
    "clients.decide_transfer_client",
    "clients.assign_officer_client",
    "clients.delete_note",
]
# Managers and head office also hold clients.view_dashboard (the dashboard and data quality) and
# clients.export_client_record (a client's own record): granted by clients/migrations/0014, not from
# this table, which clients' 0002_roles applies before those permissions exist on a fresh database.
_CLIENT_LOOKUPS = [
    f"clients.{action}_{model}"
    for model in (
        "identificationtype",
        "relationshiptype",
        "occupation",
        "educationlevel",
        "legalstructure",
        "businessline",
        "clientactionreason",
        "clientrules",
    )
    for action in ("view", "add", "change")
]
# Branch staff form groups and centers and keep their members; managers activate, close, reassign.
_GROUP_WORK = [
    "groups.view_group",
    "groups.add_group",
    "groups.change_group",
    "groups.view_membership",
    "groups.add_membership",
    "groups.change_membership",
]
_GROUP_DECISIONS = ["groups.activate_group", "groups.close_group", "groups.assign_officer_group"]
_GROUP_LOOKUPS = [
    f"groups.{action}_{model}"
    for model in ("groupclosurereason", "membershipendreason", "grouprole", "grouprules")
    for action in ("view", "add", "change")
]

# Branch staff post savings and loan transactions; managers open, close, reverse and write off;
# head office keeps the products and the account number format.
_LEDGER_WORK = ["ledger.view_account", "ledger.view_transaction", "ledger.add_transaction"]
_LEDGER_DECISIONS = [
    "ledger.add_account",
    "ledger.close_account",
    "ledger.write_off_account",
    "ledger.reverse_transaction",
]
_LEDGER_PRODUCTS = [
    f"ledger.{action}_{model}" for model in ("product", "ledgerrules") for action in ("view", "add", "change")
]

# Branch staff upload, see and download documents and keep the client's photo; deleting a document
# is a permission of its own (managers); head office keeps the categories and the rules.
_DOCUMENT_WORK = [
    "documents.view_document",
    "documents.add_document",
    "documents.download_document",
    "documents.view_clientphoto",
    "documents.add_clientphoto",
    "documents.change_clientphoto",
    "documents.delete_clientphoto",
]
_DOCUMENT_DECISIONS = ["documents.delete_document"]
_DOCUMENT_LOOKUPS = [
    f"documents.{action}_{model}"
    for model in ("documentcategory", "documentrules")
    for action in ("view", "add", "change")
]

# Managers and head office read the activity log (of their offices); head office sets what it records.
_AUDIT_LOG = ["audit.view_event"]
_AUDIT_RULES = ["audit.view_auditrules", "audit.change_auditrules"]

ROLE_PERMISSIONS = {
    BRANCH_STAFF: [*_VIEW_OFFICES, *_CLIENT_WORK, *_GROUP_WORK, *_LEDGER_WORK, *_DOCUMENT_WORK],
    BRANCH_MANAGER: [
        *_VIEW_OFFICES,
        *_CLIENT_WORK,
        *_CLIENT_DECISIONS,
        *_GROUP_WORK,
        *_GROUP_DECISIONS,
        *_LEDGER_WORK,
        *_LEDGER_DECISIONS,
        *_DOCUMENT_WORK,
        *_DOCUMENT_DECISIONS,
        *_AUDIT_LOG,
    ],
    HEAD_OFFICE_ADMIN: [
        *_VIEW_OFFICES,
        *_CLIENT_WORK,
        *_CLIENT_DECISIONS,
        *_CLIENT_LOOKUPS,
        *_GROUP_WORK,
        *_GROUP_DECISIONS,
        *_GROUP_LOOKUPS,
        *_LEDGER_WORK,
        *_LEDGER_DECISIONS,
        *_LEDGER_PRODUCTS,
        *_DOCUMENT_WORK,
        *_DOCUMENT_DECISIONS,
        *_DOCUMENT_LOOKUPS,
        *_AUDIT_LOG,
        *_AUDIT_RULES,
        "offices.add_office",
        "offices.change_office",
        "offices.add_staff",
        "offices.change_staff",
        "offices.delete_staff",
        "offices.view_user",
        "offices.add_user",
        "offices.change_user",
        "offices.view_role",
    ],
}


def grant_role_permissions(apps, app_labels):
    """Create the roles if needed and grant them their permissions of ``app_labels``.

    Called from data migrations, where permissions of a fresh database do not exist yet
    (Django creates them after the last migration), so they are created here first.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_config in apps.get_app_configs():
        if app_config.label in app_labels:
            # A migration's app configs look model-less to create_permissions; say otherwise.
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None
    for role, permissions in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        for dotted in permissions:
            app_label, codename = dotted.split(".")
            if app_label in app_labels:
                group.permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
