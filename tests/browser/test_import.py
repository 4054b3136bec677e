import csv
import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from clients.models import Client, ImportRun, ImportStatus
from tests.clients.factories import IdentificationTypeFactory
from tests.offices.factories import BranchStaffUserFactory, OfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    # The job runs inside the request here; in production the worker (manage.py db_worker) runs it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def filled(header, rows):
    """The template's header with these rows, each a dict of header -> value."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_an_officer_fixes_a_file_with_two_bad_rows_and_imports_it(sign_in, tmp_path):
    branch = OfficeFactory(name="Riverside", code="BR01")
    user = BranchStaffUserFactory(office=branch)
    IdentificationTypeFactory(
        name="National ID", format_regex=r"^[0-9]{8}[A-Z]$", format_example="8 digits, a letter"
    )
    page = sign_in(user)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    page.get_by_role("link", name="Import clients").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    header = download.value.path().read_text(encoding="utf-8-sig").splitlines()[0].split(",")

    people = [
        {"First name": "Wanjiru", "Last name": "Kamau", "Gender": "Female", "Date of birth": "12/04/1986"},
        {"First name": "Otieno", "Last name": "Odhiambo", "Gender": "Mal", "Date of birth": "1979-02-01"},
        {"First name": "Akinyi", "Last name": "Were", "Gender": "female", "Date of birth": "1991-13-40"},
    ]
    for number, person in enumerate(people, start=1):
        person.update({"External id": f"OLD-{number}", "Identification 1: type": "National ID"})
        person["Identification 1: number"] = f"1000000{number}A"
    path = tmp_path / "clients.csv"
    path.write_bytes(filled(header, people))
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_text("2 rows refused")).to_be_visible()
    errors = page.get_by_role("table").last
    expect(errors.get_by_role("row").nth(1)).to_contain_text("3")
    expect(errors.get_by_role("row").nth(1)).to_contain_text("Gender")
    expect(errors.get_by_role("row").nth(1)).to_contain_text("Mal")
    expect(errors.get_by_role("row").nth(2)).to_contain_text("4")
    expect(errors.get_by_role("row").nth(2)).to_contain_text("Date of birth")
    assert not Client.objects.exists()

    people[1]["Gender"] = "Male"
    people[2]["Date of birth"] = "1991-12-04"
    path.write_bytes(filled(header, people))
    page.get_by_role("link", name="Upload the corrected file").click()
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("3 clients will be created")).to_be_visible()
    page.get_by_role("button", name="Import 3 clients").click()

    expect(page.get_by_text("3 clients created")).to_be_visible()
    page.get_by_role("link", name="See the clients").click()
    for name in ("Wanjiru Kamau", "Otieno Odhiambo", "Akinyi Were"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    assert Client.objects.filter(office=branch, created_by=user).count() == 3


def test_the_progress_of_an_import_moves_in_place_then_the_result_shows(sign_in):
    branch = OfficeFactory(name="Riverside", code="BR01")
    user = BranchStaffUserFactory(office=branch)
    run = ImportRun.objects.create(
        file_name="clients.csv", office=branch, user=user, status=ImportStatus.RUNNING, rows=400, rows_done=40
    )
    page = sign_in(user)
    page.goto(reverse("clients:importrun_detail", args=[run.pk]))
    expect(page.get_by_text("40 rows read so far.")).to_be_visible()
    page.evaluate("window.loadedOnce = true")

    ImportRun.objects.filter(pk=run.pk).update(rows_done=300)

    expect(page.get_by_text("300 rows read so far.")).to_be_visible(timeout=8000)
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "75")
    assert page.evaluate("window.loadedOnce") is True, "the page was reloaded, not updated in place"

    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.DONE, rows_done=400, created=400, outcome="400 clients created."
    )

    expect(page.get_by_text("400 clients created.")).to_be_visible(timeout=8000)
    expect(page.get_by_role("link", name="See the clients")).to_be_visible()
