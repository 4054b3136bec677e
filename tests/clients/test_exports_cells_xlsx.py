"""A character that an Excel file cannot hold (a vertical tab pasted from a word processor, another
control character, U+FFFF) shows as "�" in the XLSX files: the export of every client around it is
still written, in the web export, ``export_clients`` and the import template."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tests.clients.factories import ClientFactory, OccupationFactory
from tests.offices.factories import BranchStaffUserFactory, HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(office_tree):
    office = office_tree["n1"]
    ClientFactory(office=office, first_name="Vert\x0bTab", last_name="Kamau", city="Lock\x01ville")
    ClientFactory(office=office, first_name="Amina", last_name="Okafor\uffff", city="Tab\there")
    return office


def cells(book):
    header, *rows = book.active.values
    return [dict(zip(header, row, strict=True)) for row in rows]


def by_first_name(rows):
    return {row["First name"]: row for row in rows}


def test_the_web_export_marks_what_excel_cannot_hold_and_keeps_every_client(client, clients):
    client.force_login(BranchStaffUserFactory(office=clients))

    response = client.get(reverse("clients:client_export", args=["xlsx"]))

    assert response.status_code == 200
    rows = by_first_name(cells(load_workbook(io.BytesIO(b"".join(response.streaming_content)))))
    assert rows["Vert\ufffdTab"]["City"] == "Lock\ufffdville"
    assert rows["Amina"]["Last name"] == "Okafor\ufffd"
    assert rows["Amina"]["City"] == "Tab\there"  # a tab is text Excel holds


def test_a_search_for_such_a_client_is_exported_too(client, clients):
    client.force_login(BranchStaffUserFactory(office=clients))

    response = client.get(reverse("clients:client_export", args=["xlsx"]), {"q": "kamau"})

    assert response.status_code == 200
    rows = cells(load_workbook(io.BytesIO(b"".join(response.streaming_content))))
    assert [row["First name"] for row in rows] == ["Vert\ufffdTab"]


def test_export_clients_writes_the_excel_file(clients, tmp_path):
    path = tmp_path / "clients.xlsx"

    call_command("export_clients", "--format", "xlsx", "-o", str(path), stdout=io.StringIO())

    rows = by_first_name(cells(load_workbook(path)))
    assert set(rows) == {"Vert\ufffdTab", "Amina"}


def test_the_import_template_lists_a_lookup_name_excel_cannot_hold(client, office_tree):
    OccupationFactory(name="Tailor\x0b")
    OccupationFactory(name="=1+1")
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))

    response = client.get(reverse("clients:client_import_template", args=["xlsx"]))

    assert response.status_code == 200
    lists = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Lists"]
    kinds = {cell.value: cell.data_type for row in lists.iter_rows() for cell in row}
    assert kinds["Tailor\ufffd"] == "s"
    assert kinds["=1+1"] == "s"  # a name, not a formula
