"""Migration operations of our own.

Migrations written long ago call these: change one only in ways that keep what it did then, and
pass it data frozen in the migration (never read from the app's code as it is today).
"""

from django.db import migrations


def create_index(name, *, postgresql, sqlite):
    """An operation that creates index ``name`` with the statement written for the database at hand
    (``postgresql`` or ``sqlite``), and drops it when the migration is reversed.

    For indexes the ORM cannot express on both databases, such as a name compared byte by byte:
    ``COLLATE "C"`` on PostgreSQL, which SQLite does not know (it compares bytes already).
    """
    statements = {"postgresql": postgresql, "sqlite": sqlite}

    def create(apps, schema_editor):
        schema_editor.execute(statements.get(schema_editor.connection.vendor, sqlite))

    def drop(apps, schema_editor):
        schema_editor.execute(f"DROP INDEX {name}")

    return migrations.RunPython(create, drop)


def grant_permissions(app_labels, table):
    """An operation that gives each role of ``table`` ({role name: ["app.codename", ...]}) its permissions.

    A data migration passes its own frozen copy of the table, never ``offices.roles`` as it is today:
    a permission added there later would not exist yet when an old migration runs on a fresh database.
    The roles (Django groups) are created if needed, and so are the permissions of ``app_labels``
    (Django creates them only after the last migration). Reversing leaves both in place.
    """
    from django.contrib.auth.management import create_permissions

    def grant(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        for app_config in apps.get_app_configs():
            if app_config.label in app_labels:
                # A migration's app configs look model-less to create_permissions; say otherwise.
                app_config.models_module = True
                create_permissions(app_config, apps=apps, verbosity=0)
                app_config.models_module = None
        for role, permissions in table.items():
            group, _created = Group.objects.get_or_create(name=role)
            for dotted in permissions:
                app_label, codename = dotted.split(".")
                group.permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )

    return migrations.RunPython(grant, migrations.RunPython.noop)
