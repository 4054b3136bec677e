"""The first line of a client file: a column the import does not read is named in the preview, not
dropped without a word; a column named twice is refused; a header is recognised as people type it."""

import pytest

from clients.imports import ClientImporter, FileError
from clients.models import Client, EducationLevel, ImportRun
from tests.clients.factories import IdentificationTypeFactory
from tests.clients.test_import import ANA, HEADER, csv_file, upload
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db

UNKNOWN = "The import does not know this column: its cells are ignored."
EXPORT_ONLY = "The export writes this column; the import does not read it: its cells are ignored."


@pytest.fixture
def branch_user(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def check(user, office, stream):
    return ClientImporter(by=user, office=office).check(stream, "clients.csv")


def warnings_of(result):
    return [(error.line, error.column, error.message) for error in result.errors if error.warning]


def test_the_columns_the_import_does_not_know_are_named_in_the_preview(office_tree, branch_user):
    header = [*HEADER, "Phone number", "Branch", "Client status"]
    row = [*ANA, "+254711111999", "Lakeside Branch", "Active"]

    result = check(branch_user, office_tree["n1"], csv_file([row], header=header))

    assert (result.created, result.refused, result.ok) == (1, 0, True)
    assert warnings_of(result) == [
        (1, "Phone number", UNKNOWN),
        (1, "Branch", UNKNOWN),
        (1, "Client status", UNKNOWN),
    ]


def test_the_columns_only_the_export_writes_are_named_and_the_errors_column_passed_over(
    office_tree, branch_user
):
    header = ["Client number", *HEADER, "Groups", "Closed on", "Errors"]
    row = ["N1-000001", *ANA, "Savings circle", "", ""]

    result = check(branch_user, office_tree["n1"], csv_file([row], header=header))

    assert result.created == 1
    assert warnings_of(result) == [
        (1, "Client number", EXPORT_ONLY),
        (1, "Groups", EXPORT_ONLY),
        (1, "Closed on", EXPORT_ONLY),
    ]


def test_a_misspelt_column_is_named_with_the_one_it_may_be(office_tree, branch_user):
    header = [*HEADER, "Mobil phone"]

    result = check(branch_user, office_tree["n1"], csv_file([[*ANA, "0772123456"]], header=header))

    assert warnings_of(result) == [(1, "Mobil phone", f"{UNKNOWN} Did you mean Mobile phone?")]


def test_the_preview_page_names_the_ignored_columns_and_still_offers_the_import(
    client, office_tree, branch_user, immediate_tasks, django_capture_on_commit_callbacks
):
    client.force_login(branch_user)
    header = [*HEADER, "Branch"]

    page = upload(
        client,
        office_tree["n1"],
        csv_file([[*ANA, "Lakeside Branch"]], header=header),
        "clients.csv",
        django_capture_on_commit_callbacks,
    ).content.decode()

    assert "1 client will be created" in page
    assert "Branch" in page and UNKNOWN in page
    assert ImportRun.objects.get().errors[0]["warning"] is True


@pytest.mark.parametrize(
    ("repeated", "letters"),
    [(["First name"], "B, G"), (["first_name"], "B, G"), (["Gender", "Prénom"], "B, H")],
)
def test_a_column_named_twice_is_refused_naming_it(office_tree, branch_user, repeated, letters):
    header = [*HEADER, *repeated]

    with pytest.raises(FileError) as refused:
        check(branch_user, office_tree["n1"], csv_file([[*ANA, *["Other"] * len(repeated)]], header=header))

    assert "First name" in str(refused.value)
    assert f"(columns {letters})" in str(refused.value)


def test_headers_with_a_typographic_apostrophe_or_no_space_before_a_colon_are_read(office_tree, branch_user):
    IdentificationTypeFactory(name="National ID")
    EducationLevel.objects.create(name="Secondary")
    header = [*HEADER, "Pièce d’identité 1 : type", "Pièce d'identité 1: numéro", "Niveau d’études"]
    row = [*ANA, "National ID", "30000009A", "Secondary"]

    result = ClientImporter(by=branch_user, office=office_tree["n1"]).import_file(
        csv_file([row], header=header), "clients.csv"
    )

    assert (result.created, result.errors) == (1, [])
    client = Client.objects.get()
    assert client.education_level.name == "Secondary"
    assert client.identifications.get().number == "30000009A"
