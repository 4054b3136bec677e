"""Migration operations of our own."""

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
