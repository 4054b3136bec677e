"""Control characters in a file's cells (a NUL, a vertical tab pasted from another program): PostgreSQL
stores no NUL and an Excel file none of them, so the check and the import refuse them, each on its
line and column, as the registration form refuses a NUL."""

import io

import pytest
from django.core.management import CommandError, call_command

from clients.imports import ClientImporter
from clients.models import Client, ImportRun
from tests.clients.test_import import BEN, csv_file
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch_user(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


def with_first_name(first_name):
    return csv_file([["EXT-9", first_name, "Kamau", "male", "1980-01-01", ""], BEN])


@pytest.mark.parametrize("write", [False, True])
@pytest.mark.parametrize(
    ("first_name", "shown", "message"),
    [
        ("A\x00b", "A\u2400b", "Null characters are not allowed."),
        ("Vert\x0bTab", "Vert\u240bTab", "Control characters are not allowed (here U+000B): delete it."),
    ],
)
def test_a_control_character_is_refused_on_its_line_and_column(
    office_tree, branch_user, write, first_name, shown, message
):
    importer = ClientImporter(by=branch_user, office=office_tree["n1"])
    stream = with_first_name(first_name)

    result = importer.import_file(stream, "c.csv") if write else importer.check(stream, "c.csv")

    assert [(e.line, e.column, e.value, e.message) for e in result.errors] == [
        (2, "First name", shown, message)
    ]
    assert (result.refused, result.written, Client.objects.count()) == (1, False, 0)


def test_the_command_lists_a_null_character_and_keeps_the_run(office_tree, tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(with_first_name("A\x00b").getvalue())
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 row refused"):
        call_command("import_clients", str(path), "--office", "N1", "--dry-run", stderr=err)

    assert "line 2, First name (A\u2400b): Null characters are not allowed." in err.getvalue()
    assert ImportRun.objects.get().errors[0]["value"] == "A\u2400b"
