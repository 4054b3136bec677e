"""A worker killed while it checks or imports a file: the run's page finds its work gone and says so,
where it showed "working on it" for ever. Nothing was written: the work is one transaction."""

import datetime
import io
import threading

import pytest
from django.core.files import File
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clients import tasks
from clients.choices import ImportStatus
from clients.imports import ClientImporter
from clients.models import Client, ImportRun
from tests.offices.factories import BranchStaffUserFactory

GOOD = b"External id,First name,Last name,Gender,Date of birth\r\nE1,Ana,P\xc3\xa9rez,female,1990-04-12\r\n"


class Killed(BaseException):
    """What the process's death is to its transaction: it ends, rolled back, and nothing else runs."""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def started_long_ago(monkeypatch):
    """The page judges a run's work only once it has had time to take its lock (30 s): here, at once."""
    monkeypatch.setattr(tasks, "STARTING", datetime.timedelta(0))


def upload(client, user):
    client.force_login(user)
    client.post(
        reverse("clients:client_import"),
        {"office": user.office.pk, "file": File(io.BytesIO(GOOD), name="clients.csv")},
    )
    return ImportRun.objects.latest("pk")


@pytest.mark.django_db(transaction=True)
def test_an_import_at_work_is_left_alone_and_one_whose_worker_died_can_be_confirmed_again(
    client, office_tree, restored_roles, settings, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    officer = BranchStaffUserFactory(office=office_tree["n1"])
    run = upload(client, officer)
    assert run.status == ImportStatus.CHECKED
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.post(reverse("clients:importrun_confirm", args=[run.pk]))
    job = DBTaskResult.objects.get()
    at_work, go = threading.Event(), threading.Event()

    def import_file(importer, stream, file_name):
        at_work.set()
        go.wait(10)
        raise Killed

    monkeypatch.setattr(ClientImporter, "import_file", import_file)

    def worker():
        try:
            job.claim("worker-1")
            tasks.run_import.call(run.pk)
        except Killed:
            pass
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    assert at_work.wait(10)
    page = reverse("clients:importrun_detail", args=[run.pk])
    while_working = client.get(page).content.decode()
    go.set()
    thread.join(10)
    after = client.get(page).content.decode()

    assert "Working on it" in while_working
    assert "stopped before it finished" in after
    assert reverse("clients:importrun_confirm", args=[run.pk]) in after
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.CHECKED
    assert not Client.objects.exists()


@pytest.mark.django_db
def test_a_check_whose_worker_died_fails_and_its_file_is_deleted(
    client, office_tree, settings, media, django_capture_on_commit_callbacks
):
    officer = BranchStaffUserFactory(office=office_tree["n1"])
    with django_capture_on_commit_callbacks(execute=True):
        run = upload(client, officer)  # queued for the database backend's worker
    page = reverse("clients:importrun_detail", args=[run.pk])

    waiting = client.get(page).content.decode()
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())  # taken, then killed
    with django_capture_on_commit_callbacks(execute=True):
        stopped = client.get(page).content.decode()

    assert "Working on it" in waiting
    assert "The check stopped before it finished" in stopped
    assert "Upload another file" in stopped
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED and not run.file
    assert not any(media.rglob("*.csv"))


@pytest.mark.django_db
@pytest.mark.parametrize("status", [ImportStatus.CHECKING, ImportStatus.RUNNING])
def test_a_command_run_whose_process_died_fails(client, office_tree, status):
    run = ImportRun.objects.create(file_name="cli.csv", office=office_tree["n1"], status=status)
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"]))
    ImportRun.objects.filter(pk=run.pk).update(user=None)

    page = client.get(reverse("clients:importrun_detail", args=[run.pk])).content.decode()

    assert "The command stopped before it finished" in page
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.FAILED
