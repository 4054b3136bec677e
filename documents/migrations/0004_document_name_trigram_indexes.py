"""Admin's search of documents by words of their name or title: trigram indexes on PostgreSQL.

Django writes ``icontains`` as ``UPPER(column::text) LIKE UPPER('%word%')``; a GIN trigram index
on that expression serves it, as clients' search indexes serve theirs. SQLite scans instead.
"""

from django.db import migrations

TRIGRAM_INDEXES = [
    ("documents_document_name_trgm", "UPPER(original_name::text)"),
    ("documents_document_title_trgm", "UPPER(title::text)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON documents_document USING gin (({expression}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _expression in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_documents_recent_index")]

    operations = [migrations.RunPython(create, drop)]
