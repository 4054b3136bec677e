"""The index of the list's sort by name, which compares names byte by byte on every database.

On PostgreSQL the column's collation may order words in ways a prefix range cannot use, so the
index (and clients.search.sort_name) use collation "C"; SQLite compares bytes already.
"""

from django.db import migrations

from mifos.migration_ops import create_index


class Migration(migrations.Migration):
    dependencies = [("clients", "0007_remove_plain_sort_index")]

    operations = [
        create_index(
            "clients_client_sort_name",
            postgresql='CREATE INDEX clients_client_sort_name ON clients_client ((search_name COLLATE "C"), id)',
            sqlite="CREATE INDEX clients_client_sort_name ON clients_client (search_name, id)",
        )
    ]
