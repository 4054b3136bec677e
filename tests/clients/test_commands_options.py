"""The commands' errors name the command's own options, and read office codes as people type them."""

import io

import pytest
from django.core.management import CommandError, call_command

from clients.models import Client
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db


def export_clients(*args):
    out = io.StringIO()
    call_command("export_clients", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--search", "ab"], "--search: "),
        (["--legal-form", "corp"], "--legal-form: Select a valid choice"),
        (["--submitted-after", "2024-13-01"], "--submitted-after: Enter a valid date"),
        (["--activated-before", "soon"], "--activated-before: Enter a valid date"),
    ],
)
def test_a_bad_filter_is_named_by_its_option(office_tree, args, said):
    with pytest.raises(CommandError) as refused:
        export_clients(*args)

    assert str(refused.value).startswith(said)


def test_an_unknown_office_code_is_said_to_be_unknown(office_tree):
    with pytest.raises(CommandError, match="^No office has the code NOPE.$"):
        export_clients("--office", "NOPE")


def test_an_office_the_user_does_not_work_for_is_said_to_be_none_of_theirs(office_tree):
    user = BranchStaffUserFactory(office=office_tree["n1"], username="officer")

    with pytest.raises(CommandError, match="^The office S1 is not one of the offices of officer.$"):
        export_clients("--office", "S1", "--user", "officer")

    assert user.office.code == "N1"


def test_office_codes_are_read_in_any_case(office_tree, tmp_path):
    client = ClientFactory(office=office_tree["n1"])
    ClientFactory(office=office_tree["s1"])

    exported = export_clients("--office", "n1")

    assert client.account_no in exported and exported.count("\n") == 2

    path = tmp_path / "clients.csv"
    path.write_text(
        "External id,First name,Last name,Gender,Date of birth\r\nE1,Ana,Pérez,female,1990-04-12\r\n"
    )
    call_command("import_clients", str(path), "--office", "n1", stdout=io.StringIO(), stderr=io.StringIO())
    assert Client.objects.get(external_id="E1").office == office_tree["n1"]
