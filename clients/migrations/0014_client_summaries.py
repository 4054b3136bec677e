"""Counts of clients kept by the database as clients change, for the dashboard and data quality.

Two tables, written only by triggers on clients_client (so services, bulk COPY loads, imports and
admin all keep them right) and by ``manage.py rebuild_summaries``:

- clients_summary_status: clients per office, status, "has no phone" and "has no credit officer";
- clients_summary_month: per office and month, clients submitted ("new") and closed ("closed").

On PostgreSQL the triggers are per statement with transition tables: a COPY of a million rows adds
one grouped upsert, not a million. On SQLite they are per row. Rows are upserted in a fixed order so
that two transactions touching the same counts queue rather than deadlock.

Also: the permission to export a client's own record, and indexes for the data quality checks.
Migrations import no app code: the SQL is written out here (clients/summaries.py has the same).
"""

from django.db import migrations

STATUS_TABLE = """
CREATE TABLE clients_summary_status (
    office_id bigint NOT NULL,
    status varchar(30) NOT NULL,
    no_phone boolean NOT NULL,
    no_officer boolean NOT NULL,
    n bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (office_id, status, no_phone, no_officer)
)
"""
MONTH_TABLE = """
CREATE TABLE clients_summary_month (
    office_id bigint NOT NULL,
    month date NOT NULL,
    kind varchar(10) NOT NULL,
    n bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (office_id, month, kind)
)
"""

# --- PostgreSQL: statement triggers reading the rows changed ---------------------------------------

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION clients_summary_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO clients_summary_status (office_id, status, no_phone, no_officer, n)
    SELECT office_id, status, no_phone, no_officer, sum(sign) FROM (
        SELECT office_id, status, mobile_phone = '' AS no_phone, staff_id IS NULL AS no_officer, 1 AS sign
        FROM clients_summary_new
        UNION ALL
        SELECT office_id, status, mobile_phone = '', staff_id IS NULL, -1 FROM clients_summary_old
    ) AS changed
    GROUP BY office_id, status, no_phone, no_officer HAVING sum(sign) <> 0
    ORDER BY office_id, status, no_phone, no_officer
    ON CONFLICT (office_id, status, no_phone, no_officer)
    DO UPDATE SET n = clients_summary_status.n + EXCLUDED.n;

    INSERT INTO clients_summary_month (office_id, month, kind, n)
    SELECT office_id, month, kind, sum(sign) FROM (
        SELECT office_id, date_trunc('month', submitted_on)::date AS month, 'new' AS kind, 1 AS sign
        FROM clients_summary_new
        UNION ALL
        SELECT office_id, date_trunc('month', closed_on)::date, 'closed', 1
        FROM clients_summary_new WHERE closed_on IS NOT NULL
        UNION ALL
        SELECT office_id, date_trunc('month', submitted_on)::date, 'new', -1 FROM clients_summary_old
        UNION ALL
        SELECT office_id, date_trunc('month', closed_on)::date, 'closed', -1
        FROM clients_summary_old WHERE closed_on IS NOT NULL
    ) AS changed
    GROUP BY office_id, month, kind HAVING sum(sign) <> 0
    ORDER BY office_id, month, kind
    ON CONFLICT (office_id, month, kind) DO UPDATE SET n = clients_summary_month.n + EXCLUDED.n;
    RETURN NULL;
END
$$;
"""


# Transition tables are visible only inside the trigger's own function, so each event has a function
# that copies the one above with its own names (written out by pg_function below).


def pg_function(name, new, old):
    body = PG_FUNCTION.replace("clients_summary_apply", name)
    empty = "(SELECT * FROM clients_client WHERE false) AS nothing"
    body = body.replace("FROM clients_summary_new", f"FROM {new or empty}")
    body = body.replace("FROM clients_summary_old", f"FROM {old or empty}")
    return body


PG_SQL = [
    STATUS_TABLE,
    MONTH_TABLE,
    pg_function("clients_summary_on_insert", "new_rows", None),
    pg_function("clients_summary_on_update", "new_rows", "old_rows"),
    pg_function("clients_summary_on_delete", None, "old_rows"),
    """CREATE TRIGGER clients_summary_insert AFTER INSERT ON clients_client
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION clients_summary_on_insert()""",
    """CREATE TRIGGER clients_summary_update AFTER UPDATE ON clients_client
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION clients_summary_on_update()""",
    """CREATE TRIGGER clients_summary_delete AFTER DELETE ON clients_client
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION clients_summary_on_delete()""",
    # A TRUNCATE (Django's flush between transactional tests) empties the counts with the table.
    """CREATE OR REPLACE FUNCTION clients_summary_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN DELETE FROM clients_summary_status; DELETE FROM clients_summary_month; RETURN NULL; END $$""",
    """CREATE TRIGGER clients_summary_truncate AFTER TRUNCATE ON clients_client
       FOR EACH STATEMENT EXECUTE FUNCTION clients_summary_on_truncate()""",
    # Identifications that expire soon are found by date, among the active ones.
    """CREATE INDEX clients_identification_expiry ON clients_identification (expiry_date)
       WHERE is_active AND expiry_date IS NOT NULL""",
    # Possible duplicates: the same folded name on the same date of birth.
    "CREATE INDEX clients_client_birth_name ON clients_client (date_of_birth, search_name)",
]
PG_REVERSE = [
    "DROP INDEX IF EXISTS clients_identification_expiry",
    "DROP INDEX IF EXISTS clients_client_birth_name",
    "DROP TRIGGER IF EXISTS clients_summary_insert ON clients_client",
    "DROP TRIGGER IF EXISTS clients_summary_update ON clients_client",
    "DROP TRIGGER IF EXISTS clients_summary_delete ON clients_client",
    "DROP TRIGGER IF EXISTS clients_summary_truncate ON clients_client",
    "DROP FUNCTION IF EXISTS clients_summary_on_insert()",
    "DROP FUNCTION IF EXISTS clients_summary_on_update()",
    "DROP FUNCTION IF EXISTS clients_summary_on_delete()",
    "DROP FUNCTION IF EXISTS clients_summary_on_truncate()",
    "DROP TABLE IF EXISTS clients_summary_status",
    "DROP TABLE IF EXISTS clients_summary_month",
]

# --- SQLite: row triggers ------------------------------------------------------------------------


def sqlite_add(row, sign):
    """Statements adding ``sign`` (1 or -1) for the client ``row`` (NEW or OLD) to both tables."""
    return f"""
        INSERT INTO clients_summary_status (office_id, status, no_phone, no_officer, n)
        VALUES ({row}.office_id, {row}.status, {row}.mobile_phone = '', {row}.staff_id IS NULL, {sign})
        ON CONFLICT (office_id, status, no_phone, no_officer) DO UPDATE SET n = n + excluded.n;
        INSERT INTO clients_summary_month (office_id, month, kind, n)
        VALUES ({row}.office_id, date({row}.submitted_on, 'start of month'), 'new', {sign})
        ON CONFLICT (office_id, month, kind) DO UPDATE SET n = n + excluded.n;
        INSERT INTO clients_summary_month (office_id, month, kind, n)
        SELECT {row}.office_id, date({row}.closed_on, 'start of month'), 'closed', {sign}
        WHERE {row}.closed_on IS NOT NULL
        ON CONFLICT (office_id, month, kind) DO UPDATE SET n = n + excluded.n;
    """


# Only a change of what is counted touches the counts: a name's edit does not.
SQLITE_COUNTED = (
    "OLD.office_id IS NOT NEW.office_id OR OLD.status IS NOT NEW.status"
    " OR OLD.mobile_phone IS NOT NEW.mobile_phone OR OLD.staff_id IS NOT NEW.staff_id"
    " OR OLD.submitted_on IS NOT NEW.submitted_on OR OLD.closed_on IS NOT NEW.closed_on"
)
SQLITE_SQL = [
    STATUS_TABLE,
    MONTH_TABLE,
    f"CREATE TRIGGER clients_summary_insert AFTER INSERT ON clients_client BEGIN {sqlite_add('NEW', 1)} END",
    f"""CREATE TRIGGER clients_summary_update AFTER UPDATE ON clients_client WHEN {SQLITE_COUNTED}
        BEGIN {sqlite_add('OLD', -1)} {sqlite_add('NEW', 1)} END""",
    f"CREATE TRIGGER clients_summary_delete AFTER DELETE ON clients_client BEGIN {sqlite_add('OLD', -1)} END",
    """CREATE INDEX clients_identification_expiry ON clients_identification (expiry_date)
       WHERE is_active AND expiry_date IS NOT NULL""",
    # Possible duplicates: the same folded name on the same date of birth.
    "CREATE INDEX clients_client_birth_name ON clients_client (date_of_birth, search_name)",
]
SQLITE_REVERSE = [
    "DROP INDEX IF EXISTS clients_identification_expiry",
    "DROP INDEX IF EXISTS clients_client_birth_name",
    "DROP TRIGGER IF EXISTS clients_summary_insert",
    "DROP TRIGGER IF EXISTS clients_summary_update",
    "DROP TRIGGER IF EXISTS clients_summary_delete",
    "DROP TABLE IF EXISTS clients_summary_status",
    "DROP TABLE IF EXISTS clients_summary_month",
]

# The counts of the clients already there (the same as clients/summaries.py REBUILD).
MONTH_OF = {
    "postgresql": "date_trunc('month', {column})::date",
    "sqlite": "date({column}, 'start of month')",
}


def fill_sql(vendor):
    month = MONTH_OF[vendor]
    return [
        """INSERT INTO clients_summary_status (office_id, status, no_phone, no_officer, n)
           SELECT office_id, status, mobile_phone = '', staff_id IS NULL, count(*) FROM clients_client
           GROUP BY office_id, status, mobile_phone = '', staff_id IS NULL""",
        f"""INSERT INTO clients_summary_month (office_id, month, kind, n)
           SELECT office_id, {month.format(column="submitted_on")}, 'new', count(*) FROM clients_client
           GROUP BY office_id, {month.format(column="submitted_on")}""",
        f"""INSERT INTO clients_summary_month (office_id, month, kind, n)
           SELECT office_id, {month.format(column="closed_on")}, 'closed', count(*) FROM clients_client
           WHERE closed_on IS NOT NULL GROUP BY office_id, {month.format(column="closed_on")}""",
    ]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in MONTH_OF:
        raise RuntimeError(f"Client summaries have no triggers written for {vendor}.")
    for statement in (PG_SQL if vendor == "postgresql" else SQLITE_SQL) + fill_sql(vendor):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in PG_REVERSE if vendor == "postgresql" else SQLITE_REVERSE:
        schema_editor.execute(statement)


# Managers' permissions, on the Client model's content type. They are not in offices.roles
# ROLE_PERMISSIONS: clients' earlier data migration (0002_roles) grants that table's client rows on a
# fresh database, before these exist.
PERMISSIONS = {
    "view_dashboard": "Can see the clients dashboard and data quality",
    "export_client_record": "Can export a client's own record",
}


def add_permissions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _created = ContentType.objects.get_or_create(app_label="clients", model="client")
    for codename, name in PERMISSIONS.items():
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        for role in ("Branch manager", "Head-office admin"):
            group, _created = Group.objects.get_or_create(name=role)
            group.permissions.add(permission)


def remove_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="clients", codename__in=PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0013_four_eyes_by_default"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create, drop),
        migrations.RunPython(add_permissions, remove_permissions),
    ]
