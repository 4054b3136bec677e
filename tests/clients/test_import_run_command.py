"""A run of ``manage.py import_clients`` seen on the web: it offers nothing that needs an uploaded file."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from clients.choices import ImportStatus
from clients.models import Client, ImportRun
from tests.offices.factories import BranchStaffUserFactory, HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db

GOOD = "External id,First name,Last name,Gender,Date of birth\r\nE1,Ana,Pérez,female,1990-04-12\r\n"
BAD = "External id,First name,Last name,Gender,Date of birth\r\nE1,Ana,Pérez,robot,1990-04-12\r\n"


@pytest.fixture
def officer(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"], username="officer")


def import_clients(tmp_path, text, *args):
    path = tmp_path / "cli.csv"
    path.write_text(text)
    call_command(
        "import_clients", str(path), "--office", "N1", *args, stdout=io.StringIO(), stderr=io.StringIO()
    )
    return ImportRun.objects.latest("pk")


def test_a_dry_run_offers_no_confirmation_and_says_where_it_is_imported(client, tmp_path, officer):
    run = import_clients(tmp_path, GOOD, "--user", "officer", "--dry-run")
    client.force_login(officer)

    page = client.get(reverse("clients:importrun_detail", args=[run.pk])).content.decode()
    confirmed = client.post(reverse("clients:importrun_confirm", args=[run.pk]))

    assert reverse("clients:importrun_confirm", args=[run.pk]) not in page
    assert "Checked from the command line" in page
    assert confirmed.status_code == 403
    run.refresh_from_db()
    assert run.status == ImportStatus.CHECKED
    assert not Client.objects.exists()


def test_a_dry_run_of_the_system_user_waits_for_no_one(client, tmp_path, office_tree):
    run = import_clients(tmp_path, GOOD, "--dry-run")
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))

    page = client.get(reverse("clients:importrun_detail", args=[run.pk])).content.decode()

    assert "who uploaded the file, to confirm" not in page
    assert "Checked from the command line" in page


def test_a_refused_run_offers_no_errors_file(client, tmp_path, officer):
    with pytest.raises(CommandError):
        import_clients(tmp_path, BAD, "--user", "officer")
    run = ImportRun.objects.get()
    client.force_login(officer)

    page = client.get(reverse("clients:importrun_detail", args=[run.pk])).content.decode()

    assert "robot" in page
    assert reverse("clients:importrun_errors", args=[run.pk]) not in page
    assert "run the command again" in page
