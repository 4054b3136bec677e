from django.db import migrations

from mifos.migration_ops import grant_permissions

# The roles' client permissions as they were when this migration was written; offices/roles.py
# holds today's table, and later migrations grant what was added since.
_WORK = [
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
]
_DECISIONS = [
    "clients.activate_client",
    "clients.reject_client",
    "clients.close_client",
    "clients.decide_transfer_client",
    "clients.assign_officer_client",
    "clients.delete_note",
]
_LOOKUPS = [
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
ROLES = {
    "Branch staff": _WORK,
    "Branch manager": [*_WORK, *_DECISIONS],
    "Head-office admin": [*_WORK, *_DECISIONS, *_LOOKUPS],
}


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0001_initial"),
        ("offices", "0002_roles"),
    ]

    operations = [grant_permissions({"clients"}, ROLES)]
