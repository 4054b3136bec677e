"""A large file is loaded with the client indexes built once at its end, which locks the client list
of every office meanwhile: a file is large by the clients it holds, not by the size a spreadsheet
declares or by its blank lines."""

import io

import pytest
from django.db import connection
from openpyxl import Workbook

import clients.imports
from clients.imports import ClientImporter, read_rows
from clients.models import Client
from tests.clients.test_import import ANA, HEADER, csv_file
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch_user(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


def workbook_file(rows, *, formatted_row=None):
    """An Excel file of ``rows`` under our header; a cell of ``formatted_row`` formatted, not filled, as
    Excel keeps it (its declared size then goes down to that row)."""
    workbook = Workbook()
    for row in [HEADER, *rows]:
        workbook.active.append(row)
    if formatted_row:
        workbook.active.cell(row=formatted_row, column=1).number_format = "0"
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def client_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'clients_client'")
        return cursor.fetchone()[0]


def indexes_while_importing(user, office, stream, name):
    """The client table's indexes before, then after each batch is written, then after the import."""
    counts = [client_indexes()]

    def note(_done):
        counts.append(client_indexes())

    importer = ClientImporter(by=user, office=office, on_progress=note)
    result = importer.import_file(stream, name)
    counts.append(client_indexes())
    return result, counts


@pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes are dropped on PostgreSQL only")
def test_a_one_row_sheet_declared_a_million_rows_long_keeps_the_client_indexes(office_tree, branch_user):
    stream = workbook_file([ANA], formatted_row=1_048_576)

    result, counts = indexes_while_importing(branch_user, office_tree["n1"], stream, "clients.xlsx")

    assert (result.created, result.written) == (1, True)
    assert len(set(counts)) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes are dropped on PostgreSQL only")
def test_a_csv_file_of_one_client_and_fifty_thousand_blank_lines_keeps_the_client_indexes(
    office_tree, branch_user
):
    stream = csv_file([ANA, *[[""] * len(HEADER)] * 50_000])

    result, counts = indexes_while_importing(branch_user, office_tree["n1"], stream, "clients.csv")

    assert (result.created, result.written) == (1, True)
    assert len(set(counts)) == 1


def test_the_rows_of_a_sheet_are_counted_in_its_xml_whatever_its_chunks(monkeypatch):
    """Counted in pieces of its XML of a few bytes, so that rows and values fall across them."""
    monkeypatch.setattr(clients.imports, "XML_CHUNK", 7)
    rows = [[f"E{n}", "Ana", "Pérez", "female", "1990-04-12", ""] for n in range(30)]
    rows[10] = [None] * 6  # a blank row between clients

    assert read_rows(workbook_file(rows, formatted_row=5000), "c.xlsx").count(1000) == 30  # and the header
    assert read_rows(workbook_file(rows), "c.xlsx").count(12) == 12


def test_the_rows_of_a_csv_file_are_counted_but_blank_lines(office_tree):
    stream = csv_file([ANA, ["", "", " ", "", "", ""], ANA], header=HEADER)

    assert read_rows(stream, "c.csv").count(100) == 3
    assert stream.tell() == 0
    assert Client.objects.count() == 0
