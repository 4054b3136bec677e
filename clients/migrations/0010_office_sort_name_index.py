"""An index of each office's clients by name, for a branch's list sorted by name.

Without it PostgreSQL walks the names of all clients and keeps the branch's, one in two hundred.
Like 0008, it compares names byte by byte (collation "C" on PostgreSQL).
"""

from django.db import migrations

from mifos.migration_ops import create_index


class Migration(migrations.Migration):
    dependencies = [("clients", "0009_event_actions_without_transfer_accepted")]

    operations = [
        create_index(
            "clients_client_office_sort_name",
            postgresql=(
                "CREATE INDEX clients_client_office_sort_name"
                ' ON clients_client (office_id, (search_name COLLATE "C"), id)'
            ),
            sqlite="CREATE INDEX clients_client_office_sort_name ON clients_client (office_id, search_name, id)",
        )
    ]
