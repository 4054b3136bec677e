"""``manage.py import_clients`` tells IT what to do from the command line, not on a web page."""

import io

import pytest
from django.core.management import CommandError, call_command

from clients.models import ImportRun

pytestmark = pytest.mark.django_db

ACTIVE = (
    "First name,Last name,Gender,Date of birth,Status,Activated on,Submitted on\r\n"
    "Ana,Pérez,female,1990-04-12,Active,2025-06-01,2025-05-01\r\n"
)


def import_clients(*args):
    call_command("import_clients", *args, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def active_file(tmp_path):
    path = tmp_path / "active.csv"
    path.write_text(ACTIVE)
    return str(path)


def test_active_rows_refused_to_the_default_user_point_to_the_user_option(office_tree, active_file, tmp_path):
    nameless = tmp_path / "bad.csv"
    nameless.write_text("First name,Last name,Gender,Date of birth\r\n,Pérez,female,1990-04-12\r\n")

    with pytest.raises(CommandError) as refused:
        import_clients(active_file, "--office", "N1", "--dry-run")
    with pytest.raises(CommandError) as other:
        import_clients(str(nameless), "--office", "N1", "--dry-run")

    message = str(refused.value)
    assert "run the command again with --user" in message
    assert "upload" not in message
    assert (
        ImportRun.objects.filter(file_name="active.csv")
        .get()
        .outcome.endswith("Fix it and run the command again.")
    )
    assert "--user" not in str(other.value)
