"""The import finds possible duplicates as the registration form does: a person with the name and date of
birth of another client, a business with another's name, a phone another client has. The form warns
and saves once the clerk confirms; a file confirms a row in its column "Not a duplicate". Without it
such a row is an error on its line naming the client (or the earlier line of the file), in the
preview, the import page and the command alike, and nothing is written."""

import datetime
import io

import pytest
from django.core.files import File
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients import exports, registration
from clients.imports import DUPLICATE_INDEXES, ClientImporter
from clients.models import Client, ImportRun
from tests.clients.factories import (
    ClientFactory,
    CorporateClientFactory,
    IdentificationTypeFactory,
)
from tests.clients.test_import import born_on, csv_file
from tests.clients.test_import_batches import small_tables_take_large_files
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db

HEADER = ["External id", "First name", "Last name", "Gender", "Date of birth", "Mobile phone"]
CONFIRMING = [*HEADER, "Not a duplicate"]
COLUMN = "Not a duplicate"


@pytest.fixture
def officer(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


@pytest.fixture
def wanjiru(office_tree):
    return ClientFactory(
        office=office_tree["n1"],
        first_name="Wanjiru",
        last_name="Kamau",
        date_of_birth=datetime.date(1986, 4, 12),
        mobile_phone="+254700111222",
        account_no="N1-900001",
    )


def check(user, office, rows, *, header=HEADER, batch_size=2000):
    importer = ClientImporter(by=user, office=office, batch_size=batch_size)
    return importer.check(csv_file(rows, header=header), "clients.csv")


def import_file(user, office, rows, *, header=HEADER, batch_size=2000):
    importer = ClientImporter(by=user, office=office, batch_size=batch_size)
    return importer.import_file(csv_file(rows, header=header), "clients.csv")


def errors_of(result):
    return [(error.line, error.column, error.message) for error in result.errors]


# --- Against the clients registered ---------------------------------------------------------------------


def test_a_person_with_the_name_and_birth_date_of_a_client_is_refused_naming_them(
    office_tree, officer, wanjiru
):
    rows = [
        ["", "WANJIRU", "Kamáu", "female", "1986-04-12", ""],
        ["", "Ben", "Okello", "male", "1985-01-30", ""],
    ]

    result = import_file(officer, office_tree["n1"], rows)

    assert errors_of(result) == [
        (
            2,
            COLUMN,
            "Wanjiru Kamau (N1-900001) has the same name and date of birth. If this is a different client, "
            "add the column Not a duplicate and write Yes in it.",
        )
    ]
    assert (result.refused, result.written) == (1, False)
    assert list(Client.objects.all()) == [wanjiru]


def test_a_phone_another_client_has_is_a_possible_duplicate(office_tree, officer, wanjiru):
    result = check(
        officer, office_tree["n1"], [["", "Grace", "Auma", "female", "1990-01-01", "+254 700 111 222"]]
    )

    assert [(line, column) for line, column, _message in errors_of(result)] == [(2, COLUMN)]
    assert "Wanjiru Kamau (N1-900001) has the same phone number." in result.errors[0].message


def test_a_business_with_the_name_of_another_is_a_possible_duplicate(office_tree, officer):
    CorporateClientFactory(office=office_tree["n1"], business_name="Umoja Traders", account_no="N1-000009")
    header = ["Legal form", "Business name", "Registration number"]

    result = check(officer, office_tree["n1"], [["Corporate", "UMOJA  traders", "REG-77"]], header=header)

    assert "Umoja Traders (N1-000009) has the same business name." in result.errors[0].message


def test_yes_in_the_column_registers_the_client_the_clerk_checked(office_tree, officer, wanjiru):
    rows = [["", "Wanjiru", "Kamau", "female", "1986-04-12", "", "Yes"]]

    result = import_file(officer, office_tree["n1"], rows, header=CONFIRMING)

    assert (result.created, result.refused) == (1, 0)
    assert Client.objects.filter(search_name="wanjiru kamau").count() == 2


def test_no_or_empty_in_the_column_is_no_confirmation_and_the_message_names_the_column(
    office_tree, officer, wanjiru
):
    rows = [
        ["", "Wanjiru", "Kamau", "female", "1986-04-12", "", "No"],
        ["", "Wanjiru", "Kamau", "female", "1986-04-12", "", ""],
    ]

    result = check(officer, office_tree["n1"], rows, header=CONFIRMING)

    assert [(error.line, error.column, error.value) for error in result.errors] == [
        (2, COLUMN, "No"),
        (3, COLUMN, ""),
    ]
    assert result.errors[0].message.endswith(
        "If this is a different client, write Yes in the column Not a duplicate."
    )


def test_a_client_the_user_may_not_see_is_not_named(office_tree, officer):
    ClientFactory(
        office=office_tree["s1"],
        first_name="Wanjiru",
        last_name="Kamau",
        date_of_birth=datetime.date(1986, 4, 12),
    )

    result = check(officer, office_tree["n1"], [["", "Wanjiru", "Kamau", "female", "1986-04-12", ""]])

    assert result.errors[0].message.startswith(
        "A client in another office has the same name and date of birth."
    )


def test_a_row_of_a_client_registered_already_is_skipped_not_refused(office_tree, officer, wanjiru):
    Client.objects.filter(pk=wanjiru.pk).update(external_id="EXT-1")

    result = check(officer, office_tree["n1"], [["EXT-1", "Wanjiru", "Kamau", "female", "1986-04-12", ""]])

    assert (result.skipped, result.refused) == (1, 0)


@pytest.mark.parametrize(
    ("row", "duplicate"),
    [
        (["Wanjiru", "Kamau", "1986-04-12", ""], True),
        (["wanjirú", "KAMAU", "1986-04-12", ""], True),  # case and accents are folded
        (["Wanjiru", "Kamau", "1986-04-13", ""], False),  # another day: another person
        (["Wanjiru", "Otieno", "1986-04-12", ""], False),
        (["Grace", "Auma", "1990-01-01", "+254 700 111 222"], True),
        (["Grace", "Auma", "1990-01-01", "0700111223"], False),
    ],
)
def test_the_import_and_the_form_find_the_same_possible_duplicates(
    office_tree, officer, wanjiru, row, duplicate
):
    first, last, born, phone = row
    new = Client(
        legal_form="individual",
        office=office_tree["n1"],
        first_name=first,
        last_name=last,
        date_of_birth=datetime.date.fromisoformat(born),
        mobile_phone=phone,
        submitted_on=datetime.date(2024, 1, 1),
    )
    new.clean()  # the phone as the form has it

    result = check(officer, office_tree["n1"], [["", first, last, "female", born, phone]])

    assert bool(registration.possible_duplicates(new, by=officer)) is duplicate
    assert bool(result.errors) is duplicate


# --- Within the file ----------------------------------------------------------------------------------------


def test_two_lines_of_one_person_refuse_the_second_naming_the_first(office_tree, officer):
    rows = [
        ["", "Ana", "Pérez", "female", "1990-04-12", ""],
        ["", "Ben", "Okello", "male", "1985-01-30", "0772123456"],
        ["", "ana", "perez", "female", "1990-04-12", ""],
        ["", "Eva", "Okello", "female", "1988-02-02", "0772 123 456"],
    ]

    result = check(officer, office_tree["n1"], rows)

    assert [(line, column) for line, column, _message in errors_of(result)] == [(4, COLUMN), (5, COLUMN)]
    assert result.errors[0].message.startswith("The client on line 2 has the same name and date of birth.")
    assert result.errors[1].message.startswith("The client on line 3 has the same phone number.")


def test_a_line_confirmed_as_another_client_is_imported_with_the_first(office_tree, officer):
    rows = [
        ["", "Ana", "Pérez", "female", "1990-04-12", "", ""],
        ["", "Ana", "Pérez", "female", "1990-04-12", "", "yes"],
    ]

    result = import_file(officer, office_tree["n1"], rows, header=CONFIRMING)

    assert (result.created, result.refused) == (2, 0)


def test_lines_in_later_batches_are_compared_with_earlier_ones_not_with_the_clients_just_written(
    office_tree, officer
):
    rows = [
        ["", "Ana", "Pérez", "female", "1990-04-12", ""],
        ["", "Ben", "Okello", "male", "1985-01-30", ""],
        ["", "Eva", "Achieng", "female", "1991-05-05", ""],
        ["", "Ana", "Pérez", "female", "1990-04-12", ""],
    ]

    result = import_file(officer, office_tree["n1"], rows, batch_size=2)  # lines 2-3 are written first

    # Not "Ana Pérez (N1-...) has the same ...": that is line 2, this import's own.
    assert errors_of(result) == [
        (
            5,
            COLUMN,
            "The client on line 2 has the same name and date of birth. If this is a different client, "
            "add the column Not a duplicate and write Yes in it.",
        )
    ]
    assert not Client.objects.exists()


def test_a_large_file_loaded_with_its_indexes_built_at_the_end_finds_them_too(
    monkeypatch, office_tree, officer, wanjiru
):
    small_tables_take_large_files(monkeypatch)
    rows = [["", "Person", f"Number{n}", "female", born_on(n), ""] for n in range(12)]
    rows += [
        ["", "Wanjiru", "Kamau", "female", "1986-04-12", ""],
        ["", "Person", "Number3", "female", born_on(3), ""],
    ]

    result = import_file(officer, office_tree["n1"], rows, batch_size=5)

    assert [(line, column) for line, column, _message in errors_of(result)] == [(14, COLUMN), (15, COLUMN)]
    assert "Wanjiru Kamau (N1-900001)" in result.errors[0].message
    assert "The client on line 5" in result.errors[1].message
    assert list(Client.objects.all()) == [wanjiru]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's catalogue")
def test_the_indexes_kept_for_the_duplicate_checks_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'clients_client'")
        names = {name for (name,) in cursor.fetchall()}

    assert set(DUPLICATE_INDEXES) <= names


# --- Speed ---------------------------------------------------------------------------------------------


def test_checking_possible_duplicates_runs_the_same_queries_for_few_or_many(office_tree, officer):
    """Every row a possible duplicate of a registered client, by name and by phone: a batch still costs
    the same few queries."""
    national_id = IdentificationTypeFactory(name="National ID")
    for n in range(60):
        ClientFactory(
            office=office_tree["n1"],
            first_name="Ana",
            last_name=f"Pérez{n}",
            date_of_birth=datetime.date(1990, 4, 12),
            mobile_phone=f"+2547001{n:05d}",
        )
    header = [*HEADER, "Identification 1: type", "Identification 1: number"]

    def rows(count):
        return [
            ["", "Ana", f"Pérez{n}", "female", "1990-04-12", f"+2547001{n:05d}", national_id.name, f"N{n}"]
            for n in range(count)
        ]

    check(officer, office_tree["n1"], rows(1), header=header)  # the rules and the scope, read once for all

    with CaptureQueriesContext(connection) as few:
        assert check(officer, office_tree["n1"], rows(3), header=header).refused == 3
    with CaptureQueriesContext(connection) as many:
        assert check(officer, office_tree["n1"], rows(60), header=header).refused == 60

    assert len(many) == len(few)


# --- Where a person sees it -------------------------------------------------------------------------------


def test_the_command_lists_the_possible_duplicate_and_writes_nothing(office_tree, wanjiru, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(csv_file([["", "Wanjiru", "Kamau", "female", "1986-04-12", ""]]).getvalue())
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 row refused"):
        call_command("import_clients", str(path), "--office", "N1", stdout=io.StringIO(), stderr=err)

    assert "line 2, Not a duplicate" in err.getvalue()
    assert "has the same name and date of birth" in err.getvalue()
    assert list(Client.objects.all()) == [wanjiru]


def test_the_import_page_lists_the_possible_duplicate_on_its_line(
    client, office_tree, officer, wanjiru, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(officer)
    stream = csv_file([["", "Wanjiru", "Kamau", "female", "1986-04-12", ""]])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("clients:client_import"),
            {"office": office_tree["n1"].pk, "file": File(stream, name="c.csv")},
        )
    page = client.get(response["Location"]).content.decode()

    assert "1 row refused" in page
    assert "Wanjiru Kamau (N1-900001) has the same name and date of birth." in page
    assert not ImportRun.objects.get().created
    assert "Not a duplicate" in client.get(reverse("clients:client_import")).content.decode()


def test_the_template_offers_the_column_and_the_export_leaves_it_out(office_tree, officer, wanjiru):
    assert exports.template_csv().rstrip().endswith(",Not a duplicate")
    rows = exports.ClientRows(Client.objects.all())
    assert "Not a duplicate" not in rows.header()
    assert len(next(iter(rows))) == len(rows.header())
