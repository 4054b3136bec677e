"""Cells a clerk wrote one way and a reader could take another: a year or a short number in an Excel
date column, an amount with a thousands separator, and the line a CSV record with a line break in a
cell is named by."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from clients.imports import ClientImporter, rows_with_errors
from clients.models import Client, ImportRun
from tests.clients.test_import import ANA, BEN, HEADER, check, csv_file, errors_of, import_file, upload
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db

CORPORATE = ["External id", "Legal form", "Business name", "Registration number", "Incorporation date"]


@pytest.fixture
def branch_user(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def xlsx(header, rows):
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def check_xlsx(user, office, header, rows):
    return ClientImporter(by=user, office=office).check(xlsx(header, rows), "clients.xlsx")


# --- Dates in an Excel file ----------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["2016", 2016, 2016.0])
def test_a_year_alone_is_not_read_as_an_incorporation_date_in_1905(office_tree, branch_user, year):
    result = check_xlsx(
        branch_user, office_tree["n1"], CORPORATE, [["C-1", "Corporate", "Year Text Ltd", "RC-2016-1", year]]
    )

    assert errors_of(result) == [(2, "Incorporation date", "2016")]


def test_a_year_typed_as_a_number_is_refused_as_a_year(office_tree, branch_user):
    result = check_xlsx(
        branch_user,
        office_tree["n1"],
        CORPORATE,
        [["C-1", "Corporate", "Year Number Ltd", "RC-2016-1", 2016]],
    )

    (error,) = result.errors
    assert "A year alone is not a date" in error.message


def test_a_year_typed_as_text_is_refused_as_a_csv_cell_is(office_tree, branch_user):
    result = check_xlsx(
        branch_user,
        office_tree["n1"],
        CORPORATE,
        [["C-1", "Corporate", "Year Text Ltd", "RC-2016-1", "2016"]],
    )

    (error,) = result.errors
    assert error.message.startswith("Not a date; write it as 2024-01-31")


@pytest.mark.parametrize("submitted", ["2024", 2024])
def test_a_year_in_submitted_on_is_an_error_on_that_column_not_on_the_age(
    office_tree, branch_user, submitted
):
    header = [*HEADER, "Submitted on"]
    result = check_xlsx(branch_user, office_tree["n1"], header, [[*BEN, submitted]])

    assert errors_of(result) == [(2, "Submitted on", "2024")]


def test_a_text_cell_of_digits_is_never_an_excel_serial(office_tree, branch_user):
    result = check_xlsx(branch_user, office_tree["n1"], HEADER, [[*ANA[:4], "32874", ANA[5]]])

    (error,) = result.errors
    assert (error.column, error.value) == ("Date of birth", "32874")
    assert error.message.startswith("Not a date")


@pytest.mark.parametrize("serial", [32874, 32874.0])
def test_a_number_excel_kept_for_a_date_is_still_that_date(office_tree, branch_user, serial):
    stream = xlsx(HEADER, [[*ANA[:4], serial, ANA[5]]])

    result = import_file(branch_user, office_tree["n1"], stream, "clients.xlsx")

    assert (result.created, result.refused) == (1, 0)
    assert Client.objects.get().date_of_birth == datetime.date(1990, 1, 1)


def test_a_date_cell_and_the_same_date_as_a_serial_read_alike(office_tree, branch_user):
    rows = [[*ANA[:4], datetime.datetime(1990, 1, 1), ANA[5]], [*BEN[:4], 32874, BEN[5]]]

    result = import_file(branch_user, office_tree["n1"], xlsx(HEADER, rows), "clients.xlsx")

    assert (result.created, result.refused) == (2, 0)
    assert {client.date_of_birth for client in Client.objects.all()} == {datetime.date(1990, 1, 1)}


def test_the_errors_file_keeps_a_date_excel_kept_as_a_number_a_number(
    client, office_tree, branch_user, immediate_tasks, django_capture_on_commit_callbacks
):
    client.force_login(branch_user)
    stream = xlsx(HEADER, [["EXT-1", "Ana", "", "female", 32874, ""]])

    upload(client, office_tree["n1"], stream, "clients.xlsx", django_capture_on_commit_callbacks)
    response = client.get(reverse("clients:importrun_errors", args=[ImportRun.objects.get().pk]))

    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][4] == 32874  # read again as the same date once the last name is filled in


# --- Amounts -----------------------------------------------------------------------------------------------


def income_file(incomes):
    rows = [
        [f"EXT-{n}", "Ana", "Pérez", "female", f"1990-04-{n + 10}", "", income]
        for n, income in enumerate(incomes)
    ]
    return csv_file(rows, header=[*HEADER, "Monthly income"], separator=";")


@pytest.mark.parametrize(
    ("income", "thousands", "decimals"),
    [
        ("1,250", "1250", "1.25"),
        ("12,500", "12500", "12.5"),
        ("1.250", "1250", "1.25"),
        ("125,000", "125000", "125"),
    ],
)
def test_an_amount_whose_separator_may_mark_thousands_or_decimals_is_refused_saying_so(
    office_tree, branch_user, income, thousands, decimals
):
    result = check(branch_user, office_tree["n1"], income_file([income]))

    (error,) = result.errors
    assert (error.column, error.value) == ("Monthly income", income)
    assert error.message == (
        f"{income} could be {thousands} or {decimals}. Write the amount without a thousands separator, "
        f"with a point before any decimals: {thousands}.00 or {decimals}."
    )


@pytest.mark.parametrize(
    ("income", "read"),
    [
        ("12,50", "12.50"),
        ("12.50", "12.50"),
        ("1250", "1250"),
        ("1 250,50", "1250.50"),
        ("1,250.50", "1250.50"),
        ("1.250,50", "1250.50"),
        ("1,250,000", "1250000"),
        ("1.250.000", "1250000"),
        ("1,25,000.50", "125000.50"),
        ("1250,5", "1250.5"),
    ],
)
def test_an_amount_read_one_way_only_is_read_so(office_tree, branch_user, income, read):
    result = import_file(branch_user, office_tree["n1"], income_file([income]))

    assert (result.created, result.errors) == (1, [])
    assert Client.objects.get().monthly_income == Decimal(read)


@pytest.mark.parametrize("income", ["12,50,0", "1,2,3", "1.250.00,5", "12,50.50", "1,,250", "1,250,50"])
def test_an_amount_with_separators_in_odd_places_is_refused(office_tree, branch_user, income):
    result = check(branch_user, office_tree["n1"], income_file([income]))

    (error,) = result.errors
    assert error.message == "Write an amount, for example 1250.50."


# --- Lines of a CSV file -------------------------------------------------------------------------------


def multiline_file():
    header = [*HEADER, "Street and number"]
    lines = [
        ",".join(header),
        'EXT-1,Ana,Pérez,robot,1990-04-12,,"Calle 1',
        'Piso 2"',
        "EXT-2,Ben,Okello,robot,1985-01-30,,Main Road",
    ]
    return io.BytesIO(("\r\n".join(lines) + "\r\n").encode())


def test_a_record_with_a_line_break_in_a_cell_is_named_by_its_first_line(office_tree, branch_user):
    result = check(branch_user, office_tree["n1"], multiline_file())

    assert [(error.line, error.column) for error in result.errors] == [(2, "Gender"), (4, "Gender")]


def test_the_errors_file_puts_each_error_on_its_record(office_tree, branch_user):
    result = check(branch_user, office_tree["n1"], multiline_file())

    rows = list(rows_with_errors(multiline_file(), "clients.csv", [e.as_dict() for e in result.errors]))

    assert [(row[0], row[-1].split(":")[0]) for row in rows[1:]] == [("EXT-1", "Gender"), ("EXT-2", "Gender")]
