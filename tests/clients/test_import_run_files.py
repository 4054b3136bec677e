"""An uploaded client file (personal data) is kept no longer than its import needs it."""

import datetime
import io
import os

import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clients.choices import ImportStatus
from clients.models import ImportRun
from tests.offices.factories import BranchManagerUserFactory, BranchStaffUserFactory

pytestmark = pytest.mark.django_db

GOOD = b"External id,First name,Last name,Gender,Date of birth\r\nE1,Ana,P\xc3\xa9rez,female,1990-04-12\r\n"
BAD = b"External id,First name,Last name,Gender,Date of birth\r\nE1,Ana,P\xc3\xa9rez,robot,1990-04-12\r\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return tmp_path


@pytest.fixture
def officer(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


def stored(media):
    return [name for _root, _dirs, files in os.walk(media) for name in files]


def upload(client, user, content, name, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("clients:client_import"),
            {"office": user.office.pk, "file": File(io.BytesIO(content), name=name)},
        )
    return ImportRun.objects.latest("pk")


def test_cancel_deletes_the_checked_file_with_its_run(
    client, officer, media, django_capture_on_commit_callbacks
):
    run = upload(client, officer, GOOD, "clients.csv", django_capture_on_commit_callbacks)
    page = client.get(reverse("clients:importrun_detail", args=[run.pk])).content.decode()
    cancel = reverse("clients:importrun_cancel", args=[run.pk])
    assert run.status == ImportStatus.CHECKED and stored(media) == ["clients.csv"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel)

    assert f'formaction="{cancel}"' in page
    assert response["Location"] == reverse("clients:client_import")
    assert not ImportRun.objects.exists()
    assert stored(media) == []


def test_only_the_uploader_cancels_and_only_with_a_post(
    client, office_tree, officer, media, django_capture_on_commit_callbacks
):
    run = upload(client, officer, GOOD, "clients.csv", django_capture_on_commit_callbacks)
    cancel = reverse("clients:importrun_cancel", args=[run.pk])

    assert client.get(cancel).status_code == 405
    client.force_login(BranchManagerUserFactory(office=office_tree["n1"]))
    assert client.post(cancel).status_code == 403

    assert ImportRun.objects.filter(pk=run.pk).exists() and stored(media) == ["clients.csv"]


def test_a_file_refused_as_a_whole_is_deleted_at_once(
    client, officer, media, django_capture_on_commit_callbacks
):
    run = upload(
        client, officer, b"Name,Phone\r\nAmos,0700\r\n", "people.csv", django_capture_on_commit_callbacks
    )

    assert run.status == ImportStatus.REFUSED
    assert not run.file
    assert stored(media) == []


def test_a_refused_file_is_kept_for_its_errors_file_until_its_uploader_deletes_it(
    client, officer, media, django_capture_on_commit_callbacks
):
    run = upload(client, officer, BAD, "clients.csv", django_capture_on_commit_callbacks)
    errors_file = client.get(reverse("clients:importrun_errors", args=[run.pk]))
    page = client.get(reverse("clients:importrun_detail", args=[run.pk])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("clients:importrun_cancel", args=[run.pk]))

    assert errors_file.status_code == 200
    assert "Delete the uploaded file" in page
    assert not ImportRun.objects.exists()
    assert stored(media) == []


def run_of(office, status, days_ago, name):
    run = ImportRun(file_name=name, office=office, status=status)
    run.file.save(name, ContentFile(b"First name\r\nAna\r\n"), save=False)
    run.save()
    ImportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_ago))
    return run


def test_the_sweep_removes_old_imports_that_wrote_nothing_with_their_files(
    office_tree, media, django_capture_on_commit_callbacks
):
    office = office_tree["n1"]
    for status in (ImportStatus.CHECKED, ImportStatus.REFUSED, ImportStatus.FAILED):
        run_of(office, status, 8, f"old-{status}.csv")
    recent = run_of(office, ImportStatus.CHECKED, 1, "recent.csv")
    done = ImportRun.objects.create(file_name="done.csv", office=office, status=ImportStatus.DONE)
    ImportRun.objects.filter(pk=done.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    orphan = default_storage.save("imports/2020/01/orphan.csv", ContentFile(b"Ana"))
    os.utime(default_storage.path(orphan), (0, 0))
    listed = io.StringIO()

    call_command("sweep_imports", stdout=listed)
    assert ImportRun.objects.count() == 5 and len(stored(media)) == 5
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_imports", "--delete", stdout=io.StringIO())

    assert "old-refused.csv" in listed.getvalue() and "orphan.csv" in listed.getvalue()
    assert set(ImportRun.objects.values_list("pk", flat=True)) == {recent.pk, done.pk}
    assert stored(media) == ["recent.csv"]
