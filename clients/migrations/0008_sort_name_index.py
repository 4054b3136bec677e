"""The index of the list's sort by name, which compares names byte by byte on every database.

On PostgreSQL the column's collation may order words in ways a prefix range cannot use, so the
index (and clients.search.sort_name) use collation "C"; SQLite compares bytes already.
"""

from django.db import migrations

CREATE = {
    "postgresql": 'CREATE INDEX clients_client_sort_name ON clients_client ((search_name COLLATE "C"), id)',
    "sqlite": "CREATE INDEX clients_client_sort_name ON clients_client (search_name, id)",
}


def create_index(apps, schema_editor):
    schema_editor.execute(CREATE.get(schema_editor.connection.vendor, CREATE["sqlite"]))


def drop_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX clients_client_sort_name")


class Migration(migrations.Migration):
    dependencies = [("clients", "0007_remove_plain_sort_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
