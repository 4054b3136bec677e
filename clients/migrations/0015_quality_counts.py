"""Counts of the data quality checks that no trigger can keep (missing identifications, duplicates),
counted in the background (clients.quality.recount) so the page reads them instead of a million rows."""

from django.db import migrations

CREATE = [
    """CREATE TABLE clients_quality_count (
        office_id bigint NOT NULL,
        check_name varchar(30) NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (office_id, check_name)
    )""",
    # One row: when the counts were made, and when a new count was last asked for (ISO text, UTC).
    """CREATE TABLE clients_quality_counted (
        id integer PRIMARY KEY,
        counted_at varchar(40) NOT NULL DEFAULT '',
        requested_at varchar(40) NOT NULL DEFAULT ''
    )""",
]
DROP = ["DROP TABLE IF EXISTS clients_quality_count", "DROP TABLE IF EXISTS clients_quality_counted"]


class Migration(migrations.Migration):
    dependencies = [("clients", "0014_client_summaries")]

    operations = [migrations.RunSQL(CREATE, DROP)]
