"""The import and export commands answer bad input with one line, and leave no import stuck."""

import io

import pytest
from django.core.management import CommandError, call_command

from clients.choices import ImportStatus
from clients.models import ImportRun
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db


def import_clients(*args):
    call_command("import_clients", *args, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def csv_path(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text(
        "External id,First name,Last name,Gender,Date of birth\r\nE1,Ana,Pérez,female,1990-04-12\r\n"
    )
    return path


def test_a_user_importing_into_an_office_they_do_not_serve_is_told_so(office_tree, csv_path):
    user = BranchStaffUserFactory(office=office_tree["n1"])

    with pytest.raises(CommandError, match="only into the offices you work for"):
        import_clients(str(csv_path), "--office", "S1", "--user", user.username)

    assert not ImportRun.objects.exists()


def test_a_picture_is_refused_as_not_a_client_file_and_its_run_says_so(office_tree, tmp_path):
    picture = tmp_path / "red.jpg"
    picture.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x81\x8d\x8f\x90\x9d" * 50)

    with pytest.raises(CommandError, match="neither a CSV text file nor an Excel"):
        import_clients(str(picture), "--office", "N1")

    (run,) = ImportRun.objects.all()
    assert run.status == ImportStatus.REFUSED


def test_a_folder_is_refused_and_no_import_is_recorded(office_tree, tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        import_clients(str(tmp_path), "--office", "N1")

    assert not ImportRun.objects.exists()


def test_an_unexpected_error_marks_the_run_failed(office_tree, csv_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr("clients.imports.ClientImporter.check", broken)

    with pytest.raises(RuntimeError):
        import_clients(str(csv_path), "--office", "N1", "--dry-run")

    assert ImportRun.objects.get().status == ImportStatus.FAILED


def test_an_export_to_a_missing_folder_is_refused_in_one_line(office_tree, tmp_path):
    with pytest.raises(CommandError, match="there is no folder"):
        call_command("export_clients", "-o", str(tmp_path / "nowhere" / "x.csv"), stderr=io.StringIO())
