"""The client export opened where people open it: the XLSX in Excel in any language (named sheet,
frozen header, sized columns, phones as text), the CSV with phone numbers readable."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.clients.factories import ActiveClientFactory
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db


def workbook(client, user):
    client.force_login(user)
    response = client.get(reverse("clients:client_export", args=["xlsx"]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_sheet_is_named_in_the_users_language(client, office_tree):
    ActiveClientFactory(office=office_tree["n1"])

    book = workbook(client, BranchStaffUserFactory(office=office_tree["n1"], language="es"))

    assert book.sheetnames == ["Clientes"]


def test_the_header_stays_in_view_and_every_column_has_a_width(client, office_tree):
    ActiveClientFactory(office=office_tree["n1"])

    sheet = workbook(client, BranchStaffUserFactory(office=office_tree["n1"], language="en")).active

    header = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    assert len(widths) == len(header)
    assert min(widths.values()) >= 8
    date_of_birth = sheet.cell(row=1, column=header.index("Date of birth") + 1).column_letter
    assert widths[date_of_birth] >= len("Date of birth")


def test_a_phone_number_is_text_in_excel_and_readable_in_the_csv(client, office_tree):
    ActiveClientFactory(office=office_tree["n1"], mobile_phone="+254712000142")
    user = BranchStaffUserFactory(office=office_tree["n1"], language="en")

    sheet = workbook(client, user).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Mobile phone") + 1)
    response = client.get(reverse("clients:client_export", args=["csv"]))
    (row,) = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))

    assert (cell.value, cell.data_type) == ("+254712000142", "s")
    assert row["Mobile phone"] == "+254712000142"


def test_the_list_says_which_file_to_open_in_excel(client, office_tree):
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"], language="en"))

    page = client.get(reverse("clients:client_list")).content.decode()

    assert "To open in Excel, choose Export Excel." in page
