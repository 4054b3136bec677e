import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import Event
from clients import lifecycle
from tests.clients.factories import (
    ActiveClientFactory,
    ClientFactory,
    IdentificationFactory,
    IdentificationTypeFactory,
    create_clients_in_bulk,
)
from tests.groups.factories import MembershipFactory
from tests.offices.factories import BranchStaffUserFactory, HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch_user(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def export(client, user, file_format="csv", **query):
    client.force_login(user)
    return client.get(reverse("clients:client_export", args=[file_format]), query)


def test_the_csv_export_holds_exactly_the_clients_the_list_shows(client, office_tree, branch_user):
    ActiveClientFactory(office=office_tree["n1"], first_name="Ana", last_name="Active")
    ClientFactory(office=office_tree["n1"], first_name="Pia", last_name="Pending")
    ActiveClientFactory(office=office_tree["s1"], first_name="Other", last_name="Office")
    client.force_login(branch_user)
    listed = client.get(reverse("clients:client_list"), {"status": "active"}).context["page"]

    rows = csv_rows(export(client, branch_user, status="active"))

    assert [row["Client number"] for row in rows] == [c.account_no for c in listed]
    assert [row["First name"] for row in rows] == ["Ana"]


def test_a_branch_user_cannot_export_another_offices_clients(client, office_tree, branch_user):
    ClientFactory(office=office_tree["n1"], first_name="Mine")
    ClientFactory(office=office_tree["s1"], first_name="Theirs")

    refused = export(client, branch_user, office=office_tree["s1"].pk)
    rows = csv_rows(export(client, branch_user))

    assert refused.status_code == 302  # not one of the user's offices: an invalid filter
    assert [row["First name"] for row in rows] == ["Mine"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_clients_that_left_by_transfer_are_not_exported(client, office_tree, branch_user, file_format):
    """The list names them, read-only; their record is their new office's, with what it wrote since."""
    moved = ActiveClientFactory(office=office_tree["n1"], first_name="Moved", mobile_phone="+34600111222")
    lifecycle.transfer(
        moved, to_office=office_tree["s1"], on=datetime.date(2024, 6, 1), by=HeadOfficeAdminUserFactory()
    )

    response = export(client, branch_user, file_format, status="transferred")
    listing = client.get(reverse("clients:client_list"), {"status": "transferred"}).content.decode()

    content = b"".join(response.streaming_content) if file_format == "csv" else b"".join(response)
    if file_format == "csv":
        assert content.decode("utf-8-sig").count("\n") == 1  # the header alone
    else:
        assert load_workbook(io.BytesIO(content)).active.max_row == 1
    assert b"Moved" not in content and b"600111222" not in content
    assert reverse("clients:client_export", args=["csv"]) not in listing


def test_every_column_a_person_expects_is_in_the_export(client, office_tree, branch_user):
    person = ActiveClientFactory(
        office=office_tree["n1"], first_name="José", last_name="Núñez", mobile_phone="+34600111222"
    )
    national = IdentificationTypeFactory(name="National ID")
    IdentificationFactory(client=person, document_type=national, number="12345678Z")
    MembershipFactory(client=person, group__office=office_tree["n1"], group__name="Mujeres Unidas")

    (row,) = csv_rows(export(client, branch_user))

    assert row["First name"] == "José"
    assert row["Status"] == "Active"
    assert row["Office"] == "North One"
    assert row["Credit officer"] == person.staff.display_name
    assert row["Gender"] == "Female"
    assert row["Date of birth"] == "1985-05-17"
    assert row["Mobile phone"] == "+34600111222"  # a signed number is no formula: no quote before it
    assert row["Identification 1: type"] == "National ID"
    assert row["Identification 1: number"] == "12345678Z"
    assert row["Groups"] == "Mujeres Unidas"
    assert row["Activated on"] == "2024-02-01"


@pytest.mark.parametrize(
    "dangerous", ['=HYPERLINK("http://x")', "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tcmd", "+1:1"]
)
def test_a_cell_that_looks_like_a_formula_is_written_as_text(client, office_tree, branch_user, dangerous):
    ClientFactory(office=office_tree["n1"], first_name="Eve", city=dangerous)

    (row,) = csv_rows(export(client, branch_user))
    response = export(client, branch_user, "xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet[2][header.index("City")]

    assert row["City"] == "'" + dangerous
    assert cell.data_type == "s"
    assert cell.value == dangerous


def test_formulas_are_text_in_every_text_column_and_numbers_are_left_alone(client, office_tree, branch_user):
    person = ClientFactory(
        office=office_tree["n1"], first_name="-Eve", dependents=2, date_of_birth="1990-01-02"
    )
    IdentificationFactory(client=person, number="=1+1")
    MembershipFactory(client=person, group__office=office_tree["n1"], group__name="@home")

    (row,) = csv_rows(export(client, branch_user))

    assert row["First name"] == "'-Eve"
    assert row["Identification 1: number"] == "'=1+1"
    assert row["Groups"] == "'@home"
    assert row["Number of dependents"] == "2"
    assert row["Date of birth"] == "1990-01-02"


def test_the_excel_export_has_the_same_rows_as_the_csv(client, office_tree, branch_user):
    create_clients_in_bulk(3, office=office_tree["n1"])

    rows = csv_rows(export(client, branch_user))
    response = export(client, branch_user, "xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)

    assert response["Content-Disposition"].startswith("attachment")
    assert [value[0] for value in values[1:]] == [row["Client number"] for row in rows]


def test_each_export_is_recorded_with_its_filter_and_row_count(client, office_tree, branch_user):
    create_clients_in_bulk(2, office=office_tree["n1"])

    csv_rows(export(client, branch_user, status="pending"))

    event = Event.objects.get(event="clients.client.exported")
    assert event.details["rows"] == 2
    assert event.details["filter"] == {"status": "pending"}  # the code; the log words it
    assert event.details["format"] == "csv"


def test_the_export_runs_the_same_queries_for_few_or_many_clients(
    client, office_tree, branch_user, django_assert_max_num_queries
):
    create_clients_in_bulk(60, office=office_tree["n1"])
    client.force_login(branch_user)
    url = reverse("clients:client_export", args=["csv"])

    with django_assert_max_num_queries(20):  # 9 to read, 11 for the activity log's chained entry
        b"".join(client.get(url).streaming_content)


def test_the_command_exports_with_the_lists_filters(office_tree, tmp_path):
    ActiveClientFactory(office=office_tree["n1"], first_name="North")
    ActiveClientFactory(office=office_tree["s1"], first_name="South")
    ClientFactory(office=office_tree["n1"], first_name="Waiting")
    output = tmp_path / "clients.csv"

    call_command("export_clients", "--office", "N", "--status", "active", "--output", str(output))

    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    assert [row["First name"] for row in rows] == ["North"]


def test_the_command_exports_what_a_given_user_sees(office_tree, branch_user):
    ClientFactory(office=office_tree["n1"], first_name="Mine")
    ClientFactory(office=office_tree["s1"], first_name="Theirs")
    out = io.StringIO()

    call_command("export_clients", "--user", branch_user.username, stdout=out, stderr=io.StringIO())

    rows = list(csv.DictReader(io.StringIO(out.getvalue().removeprefix("\ufeff"))))
    assert [row["First name"] for row in rows] == ["Mine"]


def test_head_office_exports_every_office(client, office_tree):
    ClientFactory(office=office_tree["n1"])
    ClientFactory(office=office_tree["s1"])

    rows = csv_rows(export(client, HeadOfficeAdminUserFactory()))

    assert len(rows) == 2


@pytest.mark.parametrize(
    "query", [{"status": "bogus"}, {"office": "999999"}, {"submitted_after": "2024-02-30"}]
)
def test_an_export_with_an_invalid_filter_is_refused_rather_than_holding_more(
    client, office_tree, branch_user, query
):
    """The list leaves an invalid filter out and marks it; a file cannot, and would hold every client."""
    ClientFactory(office=office_tree["n1"], first_name="Mine")

    response = export(client, branch_user, **query)
    listing = client.get(response["Location"])

    assert response.status_code == 302 and response["Location"].startswith(reverse("clients:client_list"))
    assert "Nothing was exported: correct the filters marked below, then export." in listing.content.decode()
    assert not Event.objects.filter(event="clients.client.exported").exists()
