import ast
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

APPS = ("offices", "clients", "groups")


@pytest.mark.django_db
def test_the_models_of_offices_clients_and_groups_need_no_new_migration():
    out = StringIO()

    # makemigrations --check exits with status 1 when a model changed without its migration.
    call_command("makemigrations", *APPS, check=True, dry_run=True, stdout=out)

    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize("app", APPS)
def test_no_migration_imports_the_apps_code(app):
    """An old migration runs against the code of today: what it imports must not have moved on.
    Only mifos.migration_ops, whose operations take the data each migration froze, is shared."""
    imported = {}
    for path in sorted((Path(settings.BASE_DIR) / app / "migrations").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.setdefault(path.name, set()).add(node.module)
            elif isinstance(node, ast.Import):
                imported.setdefault(path.name, set()).update(alias.name for alias in node.names)
    ours = {"offices", "clients", "groups", "audit", "documents", "ledger", "mifos"}
    live = {
        name: sorted(
            module for module in modules if module.split(".")[0] in ours and module != "mifos.migration_ops"
        )
        for name, modules in imported.items()
    }

    assert {name: modules for name, modules in live.items() if modules} == {}
