"""The importer at scale: a batch costs the same queries for few or many rows, duplicates are found
across batches, and the shortcuts taken for speed (values read and checked once) refuse what a
row-by-row check refuses."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from clients.imports import ClientImporter
from clients.models import Client, ClientEvent, ClientRules, Identification
from tests.clients.factories import IdentificationTypeFactory
from tests.clients.test_import import HEADER, born_on, csv_file
from tests.offices.factories import BranchManagerUserFactory, StaffFactory

pytestmark = pytest.mark.django_db

FULL_HEADER = [*HEADER, "Status", "Activated on", "Submitted on", "Credit officer", "Office"]
FULL_HEADER += ["Identification 1: type", "Identification 1: number"]


@pytest.fixture
def branch_user(office_tree):
    """A manager, who may activate clients: the files import Active ones."""
    return BranchManagerUserFactory(office=office_tree["north"])


@pytest.fixture
def rules(db):
    rules = ClientRules.load()
    rules.four_eyes_activation = False
    rules.require_identifications_to_activate = True
    rules.save()
    return rules


@pytest.fixture
def national_id(db):
    return IdentificationTypeFactory(name="National ID", format_regex="^[0-9]{8}[A-Z]$", is_required=True)


@pytest.fixture
def large_file_import(monkeypatch, office_tree):
    """Small tables take these tests' files as large ones, and each branch the rows name has its officer."""
    small_tables_take_large_files(monkeypatch)
    StaffFactory(office=office_tree["n1"], first_name="Grace", last_name="Auma")
    StaffFactory(office=office_tree["n2"], first_name="Paul", last_name="Otieno")


def small_tables_take_large_files(monkeypatch):
    """Files of 10 rows or more are loaded as large ones (indexes built at the end, COPY threaded)."""
    import clients.imports
    import mifos.bulk

    monkeypatch.setattr(clients.imports, "DEFERRED_INDEX_THRESHOLD", 10)
    monkeypatch.setattr(mifos.bulk, "DEFERRED_INDEX_THRESHOLD", 10)


def full_rows(count, *, start=0):
    """Active and pending clients of two offices, with officers and a required identification: one
    name, each born on a day of their own (different people)."""
    rows = []
    for n in range(start, start + count):
        office, officer = ("N1", "Grace Auma") if n % 2 else ("N2", "Paul Otieno")
        status, activated = ("Active", "2024-03-01") if n % 3 else ("Pending", "")
        rows.append(
            [f"EXT-{n}", "Ana", "Pérez", "female", born_on(n), "", status, activated, "2024-02-01"]
            + [officer, office, "National ID", f"{n:08d}A"]
        )
    return rows


def import_rows(user, office, rows, *, batch_size=100, header=FULL_HEADER):
    importer = ClientImporter(by=user, office=office, batch_size=batch_size)
    return importer.import_file(csv_file(rows, header=header), "clients.csv")


def test_importing_a_batch_runs_the_same_queries_for_few_or_many_rows(
    office_tree, branch_user, rules, national_id
):
    StaffFactory(office=office_tree["n1"], first_name="Grace", last_name="Auma")
    StaffFactory(office=office_tree["n2"], first_name="Paul", last_name="Otieno")

    import_rows(branch_user, office_tree["n1"], full_rows(2, start=900))  # the offices' first numbers

    # SQLite takes 999 parameters a statement: bulk_create inserts 21 history rows at a time.
    count = 60 if connection.vendor == "postgresql" else 20

    with CaptureQueriesContext(connection) as few:
        assert import_rows(branch_user, office_tree["n1"], full_rows(6)).created == 6
    with CaptureQueriesContext(connection) as many:
        assert import_rows(branch_user, office_tree["n1"], full_rows(count, start=100)).created == count

    assert len(many) == len(few)
    imported = Client.objects.filter(external_id__lt="EXT-9")
    active = sum(1 for n in [*range(6), *range(100, 100 + count)] if n % 3)  # as full_rows makes them
    assert imported.filter(status="active").count() == active
    # submitted and officer assigned, each; activated
    assert ClientEvent.objects.filter(client__in=imported).count() == (6 + count) * 2 + active


def test_the_same_external_id_or_number_in_two_batches_is_an_error_not_a_skip(
    office_tree, branch_user, rules, national_id
):
    StaffFactory(office=office_tree["n1"], first_name="Grace", last_name="Auma")
    StaffFactory(office=office_tree["n2"], first_name="Paul", last_name="Otieno")
    rows = full_rows(5)
    rows[3][0] = "EXT-0"  # the external id of line 2, in the second batch
    rows[4][-1] = "00000001A"  # the number of line 3, in the third batch

    result = import_rows(branch_user, office_tree["n1"], rows, batch_size=2)

    assert [(error.line, error.column) for error in result.errors] == [
        (5, "External id"),
        (6, "Identification 1: number"),
    ]
    assert "line 2" in result.errors[0].message
    assert "line 3" in result.errors[1].message
    assert (result.written, Client.objects.count()) == (False, 0)


def test_a_date_of_birth_seen_valid_is_still_held_to_each_rows_age_limit(office_tree, branch_user):
    today = datetime.date.today()
    born = today.replace(year=today.year - 30).isoformat()
    young = today.replace(year=today.year - 17).isoformat()
    header = [*HEADER, "Submitted on"]
    rows = [
        ["EXT-1", "Ana", "Pérez", "female", born, "", today.isoformat()],
        ["EXT-2", "Eva", "Pérez", "female", young, "", today.isoformat()],
        ["EXT-3", "Isa", "Pérez", "female", young, "", today.isoformat()],
        ["EXT-4", "Ola", "Pérez", "female", born, "", "2000-01-01"],  # 30 today, a child then
    ]

    result = import_rows(branch_user, office_tree["n1"], rows, header=header)

    assert [(error.line, error.column) for error in result.errors] == [
        (3, "Date of birth"),
        (4, "Date of birth"),
        (5, "Submitted on"),  # the date that is likely mistyped
    ]


def test_a_value_checked_once_does_not_pass_a_longer_or_finer_one(office_tree, branch_user):
    header = [*HEADER, "Monthly income", "City"]
    rows = [
        ["EXT-1", "Ana", "Pérez", "female", "1990-04-12", "", "12.50", "Gulu"],
        ["EXT-2", "Ben", "Pérez", "male", "1990-04-12", "", "12.5050", "Gulu" * 30],
    ]

    result = import_rows(branch_user, office_tree["n1"], rows, header=header)

    assert [(error.line, error.column) for error in result.errors] == [(3, "Monthly income"), (3, "City")]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_file_larger_than_the_tables_is_loaded_with_their_indexes_built_at_the_end(
    office_tree, branch_user, rules, national_id, large_file_import
):
    def indexes():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename LIKE 'clients_%%' ORDER BY 1")
            return [name for (name,) in cursor.fetchall()]

    before = indexes()
    result = import_rows(branch_user, office_tree["n1"], full_rows(30), batch_size=7)

    assert (result.created, result.written) == (30, True)
    assert indexes() == before
    assert Identification.objects.filter(number_normalized="00000029A", client__external_id="EXT-29").exists()
    again = import_rows(branch_user, office_tree["n1"], full_rows(30), batch_size=7)
    assert (again.created, again.skipped) == (0, 30)


def test_the_history_rows_repeat_the_clients_and_identifications_as_written(
    office_tree, branch_user, rules, national_id
):
    StaffFactory(office=office_tree["n1"], first_name="Grace", last_name="Auma")
    StaffFactory(office=office_tree["n2"], first_name="Paul", last_name="Otieno")

    import_rows(branch_user, office_tree["n1"], full_rows(3))

    for model in (Client, Identification):
        kept = {model_field.attname for model_field in model.history.model._meta.concrete_fields}
        for instance in model.objects.all():
            history = instance.history.get()
            for model_field in model._meta.concrete_fields:
                if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                    continue  # bulk_create (SQLite) stamps them again, a few ms later
                if model_field.attname not in kept:
                    continue  # kept by the model from another field, which the history has
                assert getattr(history, model_field.attname) == getattr(instance, model_field.attname)
            assert (history.history_type, history.history_user) == ("+", branch_user)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_large_file_with_a_bad_last_row_writes_nothing_and_keeps_the_indexes(
    office_tree, branch_user, rules, national_id, large_file_import
):
    rows = full_rows(30)
    rows[-1][4] = "31/02/1990"  # no such date, in the last batch: the others are written by then

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename LIKE 'clients_%%'")
        indexes = cursor.fetchone()[0]
        result = import_rows(branch_user, office_tree["n1"], rows, batch_size=7)
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename LIKE 'clients_%%'")
        assert cursor.fetchone()[0] == indexes

    assert [(error.line, error.column) for error in result.errors] == [(31, "Date of birth")]
    assert (result.written, Client.objects.count(), Identification.objects.count()) == (False, 0, 0)
    assert ClientEvent.objects.count() == 0


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_large_files_batches_are_in_the_tables_when_the_progress_is_reported(
    office_tree, branch_user, rules, national_id, large_file_import
):
    """Its COPYs run in a second thread; a query between batches waits for them."""
    seen = []
    importer = ClientImporter(
        by=branch_user,
        office=office_tree["n1"],
        batch_size=7,
        on_progress=lambda done: seen.append((done, Client.objects.count(), ClientEvent.objects.count())),
    )

    result = importer.import_file(csv_file(full_rows(30), header=FULL_HEADER), "clients.csv")

    assert result.created == 30
    assert [(done, clients) for done, clients, _events in seen] == [(n, n) for n in (7, 14, 21, 28, 30)]
    assert seen[-1][2] == ClientEvent.objects.count()


def xlsx_file(rows, *, header=FULL_HEADER):
    workbook = Workbook()
    for row in [header, *rows]:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.parametrize(("make_file", "name"), [(csv_file, "clients.csv"), (xlsx_file, "clients.xlsx")])
def test_an_excel_file_as_large_as_a_csv_file_is_loaded_the_same_way(
    office_tree, branch_user, rules, national_id, make_file, name, large_file_import
):
    def client_indexes(_done=None):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'clients_client'")
            counts.append(cursor.fetchone()[0])

    counts = []
    client_indexes()
    importer = ClientImporter(
        by=branch_user, office=office_tree["n1"], batch_size=7, on_progress=client_indexes
    )

    result = importer.import_file(make_file(full_rows(30), header=FULL_HEADER), name)
    client_indexes()

    assert (result.created, result.written) == (30, True)
    # While the rows go in, the client table keeps its primary key and unique constraints only.
    assert counts[0] == counts[-1] > max(counts[1:-1])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_an_import_plans_its_queries_for_the_table_as_it_is_now(office_tree, branch_user, rules, national_id):
    """A plan PostgreSQL keeps for a repeated query is made for the table as it was then: one kept
    from an import's first batches, made for a nearly empty table, scanned the whole table batch
    after batch once it held a hundred thousand rows (a file of 200,000 clients had not finished
    after ten minutes). So the import sends its queries of clients and identifications unprepared
    (psycopg's threshold off), each planned for the table as it is."""
    StaffFactory(office=office_tree["n1"], first_name="Grace", last_name="Auma")
    StaffFactory(office=office_tree["n2"], first_name="Paul", last_name="Otieno")
    thresholds = []

    def note_threshold(execute, sql, params, many, context):
        if '"clients_client"' in sql or '"clients_identification"' in sql:
            thresholds.append(connection.connection.prepare_threshold)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note_threshold):
        assert import_rows(branch_user, office_tree["n1"], full_rows(24), batch_size=2).created == 24

    assert len(thresholds) > 24 and set(thresholds) == {None}
