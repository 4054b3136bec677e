"""Client import and export at scale, next to PostgreSQL's bare COPY and django-import-export.

Run by hand, not by CI, against a PostgreSQL database of its own, which it drops and creates again:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mifos_bench_import \\
        .venv/bin/python bench/import.py [--rows 1000000] [--peer-rows 10000] [--keep-file]

It makes a realistic client file (names, offices, credit officers, phones, addresses, a National
ID each, 80 % Active with an activation date, dates in the institution's DD/MM/YYYY form), then
times, each phase in a process of its own so that its peak memory (getrusage) is its own:

- floor:  ``COPY`` of the same file into a bare table of text columns;
- peer:   django-import-export's default import (a ModelResource, with simple-history's history
          rows) of the first --peer-rows rows, as rows per second;
- ours:   ``ClientImporter.import_file`` of the whole file, with every check, history and timeline;
- written: the rows ours wrote, COPYed (binary) into empty tables like its six, indexes built
          after: what writing them costs with no reading, checking or making of rows at all;
- export: ``export_clients``' writer of every client to CSV, next to a bare ``COPY (SELECT ...) TO``
          of the same columns.

Targets (issue 14): the import within 10x the floor and at least 20x the peer's rows per second,
under 300 MB; the export within 3x its bare COPY, under 100 MB.
"""

import argparse
import csv
import datetime
import json
import os
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mifos.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(60))


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django():
    import django

    django.setup()


# --- The database and the file -------------------------------------------------------------------------


def recreate_database(url):
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare():
    """Migrate, load the demo offices, officers and lists; write nothing else."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from clients.demo import seed_lookups
    from clients.models import ClientRules
    from offices import demo as office_demo

    office_demo.seed()
    seed_lookups()
    # A portfolio brought from another system was approved there: head office turns four-eyes
    # approval off for the migration, else the importer could not record its Active clients.
    ClientRules.objects.update_or_create(pk=1, defaults={"four_eyes_activation": False})


def make_file(path, rows):
    setup_django()
    from clients import columns as file_columns
    from clients.demo_clients import ID_CHECK_LETTERS
    from clients.demo_names import COUNTRIES, LANGUAGES, NAMES, PHONE_PREFIXES, TOWNS
    from clients.models import EducationLevel, Occupation
    from clients.normalize import fold
    from offices.models import Office, Staff

    rng = random.Random(14)
    branches = list(Office.objects.exclude(parent=None).filter(children=None).order_by("path"))
    officers = {
        branch.pk: [staff.display_name for staff in Staff.objects.serving(branch)] for branch in branches
    }
    branches = [branch for branch in branches if officers[branch.pk]]
    occupations = list(Occupation.objects.values_list("name", flat=True))
    levels = list(EducationLevel.objects.values_list("name", flat=True))
    today = datetime.date.today()
    keys = [
        "external_id", "status", "activated_on", "office", "officer", "first_name", "middle_name",
        "last_name", "gender", "date_of_birth", "marital_status", "dependents", "occupation",
        "education_level", "monthly_income", "mobile_phone", "email", "address_line", "city",
        "country", "id1_type", "id1_number", "submitted_on", "not_duplicate",
    ]  # fmt: skip
    # A name and date of birth drawn twice is two people here: the row says so, as a clerk who checked
    # would (the import refuses a possible duplicate otherwise). Phones are each client's own.
    people = set()
    labels = {column.key: column.header() for column in file_columns.import_columns()}
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([labels[key] for key in keys])
        for index in range(rows):
            language = LANGUAGES[index % len(LANGUAGES)]
            gender = "female" if rng.random() < 0.6 else "male"
            names = NAMES[language]
            first, last = rng.choice(names[gender]), rng.choice(names["last"])
            branch = branches[index % len(branches)]
            submitted = today - datetime.timedelta(days=rng.randint(40, 3000))
            born = submitted - datetime.timedelta(days=rng.randint(20 * 365, 65 * 365))
            active = rng.random() < 0.8
            serial = 30_000_000 + index
            person = hash((fold(first), fold(last), born))
            checked = "Yes" if person in people else ""
            people.add(person)
            rng.randint(10_000_000, 99_999_999)  # drawn as the phone was, so the rest of the file stays
            writer.writerow(
                [
                    f"BENCH-{index:08d}",
                    "Active" if active else "Pending",
                    (submitted + datetime.timedelta(days=rng.randint(1, 30))).isoformat() if active else "",
                    branch.code,
                    rng.choice(officers[branch.pk]),
                    first,
                    "",
                    last,
                    gender,
                    born.strftime("%d/%m/%Y"),
                    rng.choice(["Single", "Married", "Widowed"]),
                    rng.randint(0, 6),
                    rng.choice(occupations),
                    rng.choice(levels),
                    f"{rng.randint(50, 3000)}.00",
                    f"{PHONE_PREFIXES[language]}{10_000_000 + index}",
                    f"{fold(first)}.{fold(last)}{index}@example.org".replace(" ", ""),
                    f"{rng.randint(1, 300)} Market Road",
                    rng.choice(TOWNS[language]),
                    COUNTRIES[language],
                    "National ID",
                    f"{serial:08d}{ID_CHECK_LETTERS[serial % len(ID_CHECK_LETTERS)]}",
                    submitted.isoformat(),
                    checked,
                ]
            )
    return keys


# --- The phases, each in its own process ---------------------------------------------------------------


def phase_floor(path):
    setup_django()
    from django.db import connection

    with open(path, encoding="utf-8") as stream:
        columns = next(csv.reader(stream))
    with connection.cursor() as cursor:
        names = ", ".join(f"c{index} text" for index in range(len(columns)))
        cursor.execute(f"DROP TABLE IF EXISTS bench_floor; CREATE UNLOGGED TABLE bench_floor ({names})")
    started = time.perf_counter()
    with connection.cursor() as cursor, open(path, "rb") as stream:
        with cursor.copy("COPY bench_floor FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            while chunk := stream.read(1 << 20):
                copy.write(chunk)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_floor")
        rows = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_floor")
    return {"seconds": seconds, "rows": rows, "peak_mb": peak_mb()}


def phase_peer(path, rows):
    setup_django()
    import tablib
    from import_export import resources

    from clients.models import Client
    from offices.models import Office

    offices = dict(Office.objects.values_list("code", "pk"))

    class ClientResource(resources.ModelResource):
        class Meta:
            model = Client
            import_id_fields = ("account_no",)
            fields = (
                "account_no", "external_id", "status", "office", "first_name", "last_name", "gender",
                "date_of_birth", "mobile_phone", "email", "city", "country", "submitted_on",
            )  # fmt: skip

    dataset = tablib.Dataset(headers=list(ClientResource.Meta.fields))
    with open(path, encoding="utf-8") as stream:
        reader = csv.reader(stream)
        next(reader)
        for index, row in zip(range(rows), reader, strict=False):
            born = datetime.datetime.strptime(row[9], "%d/%m/%Y").date().isoformat()
            dataset.append(
                [f"PEER-{index:08d}", f"PEER-{row[0]}", row[1].lower(), offices[row[3]], row[5], row[7],
                 row[8], born, row[15], row[16], row[18], row[19], row[22]]
            )  # fmt: skip
    started = time.perf_counter()
    result = ClientResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    created = result.totals["new"]
    # Timed, they go: they are the file's first people, whom ours would take for possible duplicates.
    Client.objects.filter(external_id__startswith="PEER-").delete()
    return {"seconds": seconds, "rows": created, "rows_per_second": created / seconds, "peak_mb": peak_mb()}


def phase_ours(path):
    setup_django()
    from clients.imports import ClientImporter
    from offices.models import Office, get_system_user

    importer = ClientImporter(by=get_system_user(), office=Office.objects.get(parent=None))
    started = time.perf_counter()
    with open(path, "rb") as stream:
        result = importer.import_file(stream, os.path.basename(path))
    seconds = time.perf_counter() - started
    if not result.ok:
        return {"error": [error.as_dict() for error in result.errors[:5]], "refused": result.refused}
    return {
        "seconds": seconds,
        "rows": result.created,
        "skipped": result.skipped,
        "rows_per_second": result.created / seconds,
        "peak_mb": peak_mb(),
    }


def phase_written():
    """The rows our import wrote, copied into empty tables shaped like theirs, indexes built after,
    as the import builds them on a load that doubles a table: the cost of the writing alone."""
    setup_django()
    from django.db import connection

    from clients.models import Client, ClientEvent, Identification, OfficerAssignment

    # The tables ClientImporter writes (its _tables()).
    models = [Client, Client.history.model, Identification, Identification.history.model, ClientEvent]
    tables = [model._meta.db_table for model in [*models, OfficerAssignment]]
    seconds = 0.0
    with connection.cursor() as cursor:
        for table in tables:
            copy_of = f"bench_written_{table}"
            cursor.execute(f"DROP TABLE IF EXISTS {copy_of}")
            cursor.execute(f"CREATE TABLE {copy_of} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
            cursor.execute(
                "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass", [table]
            )
            indexes = [
                definition.replace(f" ON public.{table} ", f" ON public.{copy_of} ")
                .replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX bw_", 1)
                .replace("CREATE INDEX ", "CREATE INDEX bw_", 1)
                for (definition,) in cursor.fetchall()
            ]
            with tempfile.TemporaryFile() as rows:
                with cursor.copy(f"COPY {table} TO STDOUT (FORMAT binary)") as copy:
                    for data in copy:
                        rows.write(data)
                rows.seek(0)
                started = time.perf_counter()
                with cursor.copy(f"COPY {copy_of} FROM STDIN (FORMAT binary)") as copy:
                    while chunk := rows.read(1 << 20):
                        copy.write(chunk)
                for definition in indexes:
                    cursor.execute(definition)
                seconds += time.perf_counter() - started
            cursor.execute(f"DROP TABLE {copy_of}")
    return {"seconds": seconds, "tables": len(tables)}


def phase_export():
    setup_django()
    from django.db import connection
    from django.http import QueryDict

    from clients import exports
    from offices.models import get_system_user

    queryset, _filterset = exports.client_queryset(QueryDict(), get_system_user())
    rows = exports.ClientRows(queryset)
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as stream:
        started = time.perf_counter()
        count = exports.write_csv(rows, stream)
        seconds = time.perf_counter() - started
    peak = peak_mb()
    # The same columns, bare: the list's order, the joins for names, the identifications and groups.
    sql = """
        COPY (
            SELECT c.account_no, c.external_id, c.legal_form, c.status, c.activated_on, o.name,
                   s.first_name || ' ' || s.last_name, c.first_name, c.middle_name, c.last_name, c.gender,
                   c.date_of_birth, c.marital_status, c.dependents, oc.name, el.name, c.monthly_income,
                   c.business_name, c.registration_number, c.incorporation_date, ls.name, bl.name,
                   c.contact_person, c.mobile_phone, c.email, c.address_line, c.locality, c.city, c.region,
                   c.postal_code, c.country,
                   (SELECT string_agg(t.name || ' ' || i.number, ';') FROM clients_identification i
                      JOIN clients_identificationtype t ON t.id = i.document_type_id
                      WHERE i.client_id = c.id AND i.is_active),
                   (SELECT string_agg(g.name, ';') FROM groups_membership m
                      JOIN groups_group g ON g.id = m.group_id
                      WHERE m.client_id = c.id AND m.left_on IS NULL),
                   c.submitted_on, c.closed_on
            FROM clients_client c
            JOIN offices_office o ON o.id = c.office_id
            LEFT JOIN offices_staff s ON s.id = c.staff_id
            LEFT JOIN clients_occupation oc ON oc.id = c.occupation_id
            LEFT JOIN clients_educationlevel el ON el.id = c.education_level_id
            LEFT JOIN clients_legalstructure ls ON ls.id = c.legal_structure_id
            LEFT JOIN clients_businessline bl ON bl.id = c.business_line_id
            ORDER BY c.search_name, c.id
        ) TO STDOUT WITH (FORMAT csv)
    """
    started = time.perf_counter()
    with connection.cursor() as cursor, tempfile.TemporaryFile("wb") as out:
        with cursor.copy(sql) as copy:
            for data in copy:
                out.write(data)
    bare = time.perf_counter() - started
    return {"seconds": seconds, "rows": count, "bare_seconds": bare, "peak_mb": peak}


def run_phase(name, *args):
    """Run one phase in a fresh interpreter and return what it printed (JSON)."""
    output = subprocess.run(
        [sys.executable, __file__, "--phase", name, *map(str, args)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--peer-rows", type=int, default=10_000)
    parser.add_argument("--file", help="Where to write the client file (default: a temporary file).")
    parser.add_argument("--keep-file", action="store_true")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.phase:
        function = globals()[f"phase_{options.phase}"]
        print(json.dumps(function(*[int(a) if a.isdigit() else a for a in options.args])))
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (it is dropped and created again).")
    path = options.file or os.path.join(tempfile.gettempdir(), f"bench-clients-{options.rows}.csv")
    recreate_database(url)
    print(f"Preparing the database and a file of {options.rows:,} clients...", flush=True)
    run_phase("prepare_and_file", path, options.rows)
    size = os.path.getsize(path) / 1e6
    print("COPY into a bare table...", flush=True)
    floor = run_phase("floor", path)
    print(f"django-import-export, {options.peer_rows:,} rows...", flush=True)
    peer = run_phase("peer", path, options.peer_rows)
    # The peer's clients are removed once timed: ours imports every row of the file into the same tables.
    print("Our import...", flush=True)
    ours = run_phase("ours", path)
    if "error" in ours:
        sys.exit(f"Our import refused the file: {ours}")
    print("The same rows copied into tables like ours...", flush=True)
    written = run_phase("written")
    print("Export...", flush=True)
    export = run_phase("export")
    if not options.keep_file and not options.file:
        os.unlink(path)

    print(f"\nFile: {options.rows:,} rows, {size:,.0f} MB\n")
    print(f"{'':34}{'seconds':>10}{'rows/s':>12}{'peak MB':>10}")
    print(f"{'COPY into a bare table (floor)':34}{floor['seconds']:>10.1f}"
          f"{floor['rows'] / floor['seconds']:>12,.0f}{floor['peak_mb']:>10.0f}")  # fmt: skip
    print(f"{'django-import-export (peer)':34}{peer['seconds']:>10.1f}"
          f"{peer['rows_per_second']:>12,.0f}{peer['peak_mb']:>10.0f}   ({peer['rows']:,} rows)")  # fmt: skip
    print(f"{'our import, checked, with history':34}{ours['seconds']:>10.1f}"
          f"{ours['rows_per_second']:>12,.0f}{ours['peak_mb']:>10.0f}")  # fmt: skip
    print(f"{'COPY of what we wrote, indexed':34}{written['seconds']:>10.1f}"
          f"{ours['rows'] / written['seconds']:>12,.0f}   ({written['tables']} tables)")  # fmt: skip
    print(f"{'bare COPY TO of the export':34}{export['bare_seconds']:>10.1f}"
          f"{export['rows'] / export['bare_seconds']:>12,.0f}")  # fmt: skip
    print(f"{'our export (CSV)':34}{export['seconds']:>10.1f}"
          f"{export['rows'] / export['seconds']:>12,.0f}{export['peak_mb']:>10.0f}")  # fmt: skip
    print()
    ratio = ours["rows_per_second"] / peer["rows_per_second"]
    print(f"import / floor:          {ours['seconds'] / floor['seconds']:.1f}x   (target at most 10x;"
          f" the writing alone is {written['seconds'] / floor['seconds']:.1f}x)")  # fmt: skip
    print(f"import vs peer (rows/s): {ratio:.1f}x   (target at least 20x)")
    print(f"export / bare COPY TO:   {export['seconds'] / export['bare_seconds']:.1f}x   (target at most 3x)")


def phase_prepare_and_file(path, rows):
    prepare()
    make_file(path, rows)
    return {"peak_mb": peak_mb()}


if __name__ == "__main__":
    main()
