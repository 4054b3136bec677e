"""Whose an import is: a run is seen by the users whose offices include its uploader's, and only the
uploader confirms it. A file may name any office its uploader works for, so a head-office file
whose default office is a branch is not the branch's to read or to confirm."""

import pytest
from django.core.files import File
from django.urls import reverse

from audit.models import Event
from clients.choices import ImportStatus
from clients.models import Client, ImportRun
from tests.clients.test_import import ANA, BEN, csv_file, upload
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def head_office_run(client, office_tree, capture, rows):
    """A file head office uploaded with a branch (n1) as its default office, checked, not confirmed."""
    client.force_login(HeadOfficeAdminUserFactory())
    upload(client, office_tree["n1"], csv_file(rows), "ho.csv", capture)
    client.logout()
    return ImportRun.objects.get(file_name="ho.csv")


def test_a_head_office_file_is_not_the_branchs_to_read_or_confirm(
    client, office_tree, immediate_tasks, django_capture_on_commit_callbacks
):
    bad = ["EXT-2", "Ben", "Okello", "robot", "1985-01-30", ""]
    refused = head_office_run(client, office_tree, django_capture_on_commit_callbacks, [ANA, bad])
    refused.file_name = "refused.csv"
    refused.save()
    checked = head_office_run(client, office_tree, django_capture_on_commit_callbacks, [ANA, BEN])
    assert (refused.status, checked.status) == (ImportStatus.REFUSED, ImportStatus.CHECKED)
    client.force_login(BranchManagerUserFactory(office=office_tree["n1"]))

    assert client.get(reverse("clients:importrun_detail", args=[checked.pk])).status_code == 404
    assert client.post(reverse("clients:importrun_confirm", args=[checked.pk])).status_code == 404
    assert client.get(reverse("clients:importrun_errors", args=[refused.pk])).status_code == 404
    assert "ho.csv" not in client.get(reverse("clients:client_import")).content.decode()
    assert ImportRun.objects.get(pk=checked.pk).status == ImportStatus.CHECKED
    assert not Client.objects.exists()


def test_a_manager_reads_an_officers_run_but_only_the_officer_confirms_it(
    client, office_tree, immediate_tasks, django_capture_on_commit_callbacks
):
    officer = BranchStaffUserFactory(office=office_tree["n1"])
    client.force_login(officer)
    upload(client, office_tree["n1"], csv_file([ANA, BEN]), "mine.csv", django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    client.force_login(BranchManagerUserFactory(office=office_tree["n1"]))

    page = client.get(reverse("clients:importrun_detail", args=[run.pk])).content.decode()
    refused = client.post(reverse("clients:importrun_confirm", args=[run.pk]))

    assert f"waiting for {officer.username}, who uploaded the file" in page
    assert reverse("clients:importrun_confirm", args=[run.pk]) not in page
    assert refused.status_code == 403
    assert not Client.objects.exists()

    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("clients:importrun_confirm", args=[run.pk]))
    assert Client.objects.count() == 2


def test_downloading_the_file_with_its_errors_is_recorded(
    client, office_tree, immediate_tasks, django_capture_on_commit_callbacks
):
    officer = BranchStaffUserFactory(office=office_tree["n1"])
    client.force_login(officer)
    bad = ["EXT-2", "Ben", "Okello", "robot", "1985-01-30", ""]
    upload(client, office_tree["n1"], csv_file([ANA, bad]), "clients.csv", django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()

    response = client.get(reverse("clients:importrun_errors", args=[run.pk]))

    assert response.status_code == 200
    event = Event.objects.get(event="clients.importrun.errors_downloaded")
    assert (event.actor_id, event.details["rows"]) == (officer.pk, 2)


def test_the_check_speaks_the_language_of_the_page_it_was_uploaded_from(
    client, office_tree, immediate_tasks, django_capture_on_commit_callbacks
):
    """A user with no language of their own reads the browser's: so does their import's result."""
    officer = BranchStaffUserFactory(office=office_tree["n1"], language="")
    client.force_login(officer)
    bad = ["EXT-2", "Ben", "Okello", "robot", "1985-01-30", ""]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("clients:client_import"),
            {"office": office_tree["n1"].pk, "file": File(csv_file([ANA, bad]), name="c.csv")},
            HTTP_ACCEPT_LANGUAGE="fr",
        )

    run = ImportRun.objects.get()
    assert run.outcome.startswith("1 ligne refusée"), run.outcome
    assert all("allowed values" not in error["message"] for error in run.errors)
