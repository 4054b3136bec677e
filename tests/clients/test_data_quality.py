"""Data quality: each check counted per office, and each count a link to a list of exactly those clients."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients import quality
from clients.choices import ClientStatus
from tests.access import assert_access
from tests.clients.factories import (
    ActiveClientFactory,
    ClientFactory,
    IdentificationFactory,
    IdentificationTypeFactory,
    create_clients_in_bulk,
)
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("clients:data_quality")
LIST = reverse("clients:client_list")
EXPORT = reverse("clients:client_export", args=["csv"])
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def listed(client, check, **params):
    response = client.get(LIST, {"check": check, **params})
    assert response.status_code == 200
    return sorted(row.display_name for row in response.context["page"])


@pytest.fixture
def manager(office_tree):
    return BranchManagerUserFactory(office=office_tree["n1"])


@pytest.fixture
def records(office_tree):
    """One client of North One for each problem, one without any, and the same problems elsewhere."""
    n1 = office_tree["n1"]
    passport = IdentificationTypeFactory(name="Passport", is_required=True)
    phone = {"mobile_phone": "+254711111111"}

    def good(first, **fields):
        client = ActiveClientFactory(office=n1, first_name=first, last_name="Doe", **{**phone, **fields})
        IdentificationFactory(client=client, document_type=passport, number=f"P{client.pk:07d}")
        return client

    made = {
        quality.NO_PHONE: good("Nophone", mobile_phone=""),
        quality.NO_OFFICER: good("Noofficer", staff=None),
        quality.NO_IDENTIFICATION: ActiveClientFactory(
            office=n1, first_name="Noid", last_name="Doe", **phone
        ),
    }
    made[quality.ID_EXPIRED] = good("Expired")
    made[quality.ID_EXPIRED].identifications.update(expiry_date=TODAY - DAY)
    made[quality.ID_EXPIRING] = good("Expiring")
    made[quality.ID_EXPIRING].identifications.update(expiry_date=TODAY + 10 * DAY)
    born = datetime.date(1990, 4, 2)
    made[quality.SAME_NAME] = [
        good("Twin", date_of_birth=born, mobile_phone="+254722222221"),
        good("Twin", date_of_birth=born, mobile_phone="+254722222222"),
    ]
    made[quality.SAME_PHONE] = [
        good("Sharer", mobile_phone="+254733333333"),
        good("Other", mobile_phone="+254733333333"),
    ]
    made["fine"] = good("Fine", mobile_phone="+254744444444")
    # A closed client is no longer a concern; other offices' clients are theirs.
    ActiveClientFactory(office=n1, status=ClientStatus.CLOSED, mobile_phone="", first_name="Closed")
    ClientFactory(office=office_tree["s1"], mobile_phone="", first_name="Elsewhere")
    return made


EXPECTED = {
    quality.NO_PHONE: ["Nophone Doe"],
    quality.NO_OFFICER: ["Noofficer Doe"],
    quality.NO_IDENTIFICATION: ["Noid Doe"],
    quality.ID_EXPIRED: ["Expired Doe"],
    quality.ID_EXPIRING: ["Expiring Doe"],
    quality.SAME_NAME: ["Twin Doe", "Twin Doe"],
    # Every "good" client of the fixture shares its phone but for the ones given their own.
}


@pytest.mark.parametrize("check", list(EXPECTED))
def test_each_check_lists_exactly_the_clients_it_finds(client, manager, records, check):
    client.force_login(manager)

    assert listed(client, check) == EXPECTED[check]


def test_clients_sharing_a_phone_are_listed_as_possible_duplicates(client, manager, records):
    client.force_login(manager)

    names = listed(client, quality.SAME_PHONE)

    assert "Sharer Doe" in names and "Other Doe" in names
    assert "Fine Doe" not in names and "Twin Doe" not in names and "Nophone Doe" not in names


def test_the_page_counts_what_each_list_shows_per_office(client, manager, records):
    quality.recount()
    client.force_login(manager)

    context = client.get(URL).context

    for check in context["checks"]:
        url = check["url"]
        response = client.get(url)
        assert check["total"] == len(response.context["page"].object_list), check["label"]
    assert [office["name"] for office in context["offices"]] == ["North One"]


def test_the_export_of_a_check_holds_the_same_clients(client, manager, records):
    client.force_login(manager)

    response = client.get(EXPORT, {"check": quality.NO_PHONE})

    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = content.decode().splitlines()[1:]
    assert len(rows) == 1 and ",Nophone," in rows[0]


def test_a_branch_sees_only_its_own_offices_figures(client, office_tree, records):
    quality.recount()
    client.force_login(BranchManagerUserFactory(office=office_tree["s1"]))

    checks = {check["label"]: check["total"] for check in client.get(URL).context["checks"]}

    assert checks["No phone"] == 1  # "Elsewhere", not North One's
    assert [name.split()[0] for name in listed(client, quality.NO_PHONE)] == ["Elsewhere"]


def test_head_office_sees_every_office(client, office_tree, records):
    quality.recount()
    client.force_login(HeadOfficeAdminUserFactory())

    context = client.get(URL).context

    assert [office["name"] for office in context["offices"]] == ["North One", "South One"]
    assert {check["label"]: check["total"] for check in context["checks"]}["No phone"] == 2


def test_only_managers_open_the_page(client, office_tree, manager):
    assert_access(client, URL, permitted=manager, without_permission=BranchStaffUserFactory())


def test_a_count_past_the_cap_says_so(client, office_tree, manager, monkeypatch):
    monkeypatch.setattr(quality, "COUNT_CAP", 5)
    for holder in create_clients_in_bulk(8, office=office_tree["n1"], status=ClientStatus.ACTIVE):
        IdentificationFactory(client=holder, expiry_date=TODAY + DAY)
    client.force_login(manager)

    checks = {check["label"]: check for check in client.get(URL).context["checks"]}

    assert checks["Identification expiring within 30 days"]["total"] == "5+"


def test_counts_that_read_every_client_are_made_in_the_background_and_dated(
    client, office_tree, manager, records, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks() as queued:
        page = client.get(URL)
    assert len(queued) == 1  # the first view asks for a count
    assert page.context["counted_at"] is None
    assert {check["label"]: check["total"] for check in page.context["checks"]}[
        "Identification expired"
    ] == "—"

    quality.recount()
    with django_capture_on_commit_callbacks() as queued:
        page = client.get(URL)

    assert not queued  # fresh counts are not asked for again
    assert page.context["counted_at"] is not None
    assert {check["label"]: check["total"] for check in page.context["checks"]}["Identification expired"] == 1


def test_a_manager_may_ask_for_a_new_count(client, manager, records, django_capture_on_commit_callbacks):
    quality.recount()
    client.force_login(manager)

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(URL)

    assert response.status_code == 302
    assert len(queued) == 1


def test_the_page_runs_as_many_queries_whatever_the_number_of_clients(
    client, office_tree, manager, django_assert_max_num_queries
):
    create_clients_in_bulk(40, office=office_tree["n1"], status=ClientStatus.ACTIVE)
    create_clients_in_bulk(40, office=office_tree["n2"])
    IdentificationTypeFactory(name="National id", is_required=True)
    client.force_login(HeadOfficeAdminUserFactory())

    with django_assert_max_num_queries(14):
        assert client.get(URL).status_code == 200


def test_checks_not_counted_yet_show_no_figure_rather_than_nothing_to_correct(client, manager, records):
    """Before the first count in the background, "0" and "Nothing to correct" were wrong: the lists
    behind those links held clients."""
    client.force_login(manager)

    page = client.get(URL).content.decode()

    shown = {
        check: page.split(f"{label}: <strong>")[1].split("</strong>")[0]
        for check, label in quality.CHECK_CHOICES
    }
    assert all(shown[check] == "—" for check in quality.COUNTED_LATER)
    assert shown[quality.NO_PHONE] == "1"
    assert "Expired Doe" in listed(client, quality.ID_EXPIRED)  # while the list behind it is right
