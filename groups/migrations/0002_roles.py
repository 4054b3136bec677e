from django.db import migrations

from mifos.migration_ops import grant_permissions

# The roles' group permissions as they were when this migration was written; offices/roles.py
# holds today's table, and later migrations grant what was added since.
_WORK = [
    "groups.view_group",
    "groups.add_group",
    "groups.change_group",
    "groups.view_membership",
    "groups.add_membership",
    "groups.change_membership",
]
_DECISIONS = ["groups.activate_group", "groups.close_group", "groups.assign_officer_group"]
_LOOKUPS = [
    f"groups.{action}_{model}"
    for model in ("groupclosurereason", "membershipendreason", "grouprole", "grouprules")
    for action in ("view", "add", "change")
]
ROLES = {
    "Branch staff": _WORK,
    "Branch manager": [*_WORK, *_DECISIONS],
    "Head-office admin": [*_WORK, *_DECISIONS, *_LOOKUPS],
}


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_initial"),
        ("offices", "0002_roles"),
    ]

    operations = [grant_permissions({"groups"}, ROLES)]
