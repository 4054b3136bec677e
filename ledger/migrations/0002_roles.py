from django.db import migrations

from mifos.migration_ops import grant_permissions

# The roles' ledger permissions as they were when this migration was written; offices/roles.py
# holds today's table, and later migrations grant what was added since.
_WORK = ["ledger.view_account", "ledger.view_transaction", "ledger.add_transaction"]
_DECISIONS = [
    "ledger.add_account",
    "ledger.close_account",
    "ledger.write_off_account",
    "ledger.reverse_transaction",
]
_PRODUCTS = [
    f"ledger.{action}_{model}" for model in ("product", "ledgerrules") for action in ("view", "add", "change")
]
ROLES = {
    "Branch staff": _WORK,
    "Branch manager": [*_WORK, *_DECISIONS],
    "Head-office admin": [*_WORK, *_DECISIONS, *_PRODUCTS],
}


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0001_initial"),
        ("offices", "0002_roles"),
    ]

    operations = [grant_permissions({"ledger"}, ROLES)]
