"""Indexes that let a client's History tab read each history table by client, newest first.

The history tables belong to other apps (simple-history makes them); the indexes are the audit
app's concern, so they are created here, by plain SQL that both databases understand.
"""

from django.db import migrations

# (table, column holding the client's id)
TABLES = [
    ("clients_historicalclient", "id"),
    ("clients_historicalidentification", "client_id"),
    ("clients_historicalfamilymember", "client_id"),
    ("clients_historicalnote", "client_id"),
    ("groups_historicalmembership", "client_id"),
    ("documents_historicaldocument", "client_id"),
    ("documents_historicalclientphoto", "client_id"),
]


def _name(table):
    return f"audit_{table.split('_', 1)[1][:30]}_by_client"


def create(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    for table, column in TABLES:
        if table in existing:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {_name(table)} ON {table} ({column}, history_date, history_id)",
                params=None,
            )


def drop(apps, schema_editor):
    for table, _column in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_name(table)}", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_roles"),
        ("clients", "0010_office_sort_name_index"),
        ("groups", "0002_roles"),
        ("documents", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
