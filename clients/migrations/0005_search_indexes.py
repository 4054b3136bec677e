"""Fill the folded search names, and on PostgreSQL add the trigram indexes that search uses.

Search matches parts of names and numbers (``LIKE '%text%'``). A B-tree cannot serve that; a
trigram GIN index can, and keeps the list fast at a million clients. SQLite has no such index
and scans instead, which is fine at its size, so this migration does nothing there.
"""

import re
import unicodedata

from django.db import migrations

_SPACES = re.compile(r"\s+")


def name_for_search(*parts):
    """clients.models.name_for_search as it was: every name part folded (no case, no accents)."""
    text = " ".join(part for part in parts if part)
    if text.isascii():
        return _SPACES.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", stripped.casefold()).strip()


# (index name, table, indexed expression); the expressions are exactly those Django writes for the
# lookups clients/search.py uses, or PostgreSQL would not pick the index.
TRIGRAM_INDEXES = [
    ("clients_client_search_name_trgm", "clients_client", "search_name"),
    ("clients_client_account_no_trgm", "clients_client", "UPPER(account_no::text)"),  # icontains
    ("clients_client_mobile_phone_trgm", "clients_client", "mobile_phone"),
    ("clients_identification_number_trgm", "clients_identification", "number_normalized"),
]


def fill_search_names(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    batch = []
    fields = ("first_name", "middle_name", "last_name", "business_name")
    for client in Client.objects.only("pk", *fields).iterator(chunk_size=2000):
        client.search_name = name_for_search(*(getattr(client, name) for name in fields))
        batch.append(client)
        if len(batch) == 2000:
            Client.objects.bulk_update(batch, ["search_name"])
            batch = []
    Client.objects.bulk_update(batch, ["search_name"])


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("clients", "0004_client_search_name")]

    operations = [
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
