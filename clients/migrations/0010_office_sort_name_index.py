"""An index of each office's clients by name, for a branch's list sorted by name.

Without it PostgreSQL walks the names of all clients and keeps the branch's, one in two hundred.
Like 0008, it compares names byte by byte (collation "C" on PostgreSQL).
"""

from django.db import migrations

CREATE = {
    "postgresql": (
        'CREATE INDEX clients_client_office_sort_name ON clients_client (office_id, (search_name COLLATE "C"), id)'
    ),
    "sqlite": "CREATE INDEX clients_client_office_sort_name ON clients_client (office_id, search_name, id)",
}


def create_index(apps, schema_editor):
    schema_editor.execute(CREATE.get(schema_editor.connection.vendor, CREATE["sqlite"]))


def drop_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX clients_client_office_sort_name")


class Migration(migrations.Migration):
    dependencies = [("clients", "0009_event_actions_without_transfer_accepted")]

    operations = [migrations.RunPython(create_index, drop_index)]
