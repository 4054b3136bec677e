"""Excel files as people make them: merged cells, an instructions sheet first, dates as serial numbers."""

import io

import pytest
from openpyxl import Workbook

from clients.imports import ClientImporter, FileError
from clients.models import Client
from tests.offices.factories import HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db

HEADER = ["External id", "First name", "Last name", "Gender", "Date of birth", "Office"]


def xlsx(workbook):
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def clients_sheet(sheet, rows):
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)


@pytest.fixture
def user(office_tree):
    return HeadOfficeAdminUserFactory(office=office_tree["head"])


def test_a_sheet_with_merged_cells_is_refused_naming_them(office_tree, user):
    workbook = Workbook()
    clients_sheet(
        workbook.active,
        [
            ["E1", "Ana", "Pérez", "female", "1990-04-12", "North One"],
            ["E2", "Ben", "Okello", "male", "1985-01-30", None],
            ["E3", "Eva", "Mora", "female", "1988-07-02", None],
        ],
    )
    workbook.active.merge_cells("F2:F4")

    with pytest.raises(FileError) as refused:
        ClientImporter(by=user, office=office_tree["head"]).import_file(xlsx(workbook), "c.xlsx")

    assert "F2:F4" in str(refused.value)
    assert not Client.objects.exists()


def test_the_clients_sheet_is_read_after_an_instructions_sheet(office_tree, user):
    workbook = Workbook()
    workbook.active.title = "Instructions"
    workbook.active.append(["Fill in the sheet Clients, one client a line."])
    clients_sheet(workbook.create_sheet("Clients"), [["E1", "Ana", "Pérez", "female", "1990-04-12", "N1"]])

    result = ClientImporter(by=user, office=office_tree["head"]).import_file(xlsx(workbook), "c.xlsx")

    assert (result.created, result.refused) == (1, 0)
    assert Client.objects.get().office == office_tree["n1"]


def test_a_workbook_without_a_clients_sheet_names_the_sheet_it_read(office_tree, user):
    workbook = Workbook()
    workbook.active.title = "Instructions"
    workbook.active.append(["Fill in the next sheet."])
    clients_sheet(workbook.create_sheet("Data"), [])

    with pytest.raises(FileError) as refused:
        ClientImporter(by=user, office=office_tree["head"]).check(xlsx(workbook), "c.xlsx")

    assert "Instructions" in str(refused.value)


def test_a_date_of_birth_as_an_excel_serial_number_is_a_date(office_tree, user):
    workbook = Workbook()
    clients_sheet(workbook.active, [["E1", "Ana", "Pérez", "female", 32874, "N1"]])

    result = ClientImporter(by=user, office=office_tree["head"]).import_file(xlsx(workbook), "c.xlsx")

    assert (result.created, result.refused) == (1, 0)
    assert Client.objects.get().date_of_birth.isoformat() == "1990-01-01"


def test_a_number_out_of_the_range_of_dates_is_still_refused(office_tree, user):
    workbook = Workbook()
    clients_sheet(workbook.active, [["E1", "Ana", "Pérez", "female", 99999999, "N1"]])

    result = ClientImporter(by=user, office=office_tree["head"]).check(xlsx(workbook), "c.xlsx")

    assert [error.column for error in result.errors] == ["Date of birth"]
