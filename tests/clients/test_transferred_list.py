"""The sending office's "Transferred" list shows each client as it left: the office it went to and the
day, not its status, office or credit officer in its new life elsewhere."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import formats

from clients import lifecycle
from tests.clients.factories import ActiveClientFactory
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("clients:client_list")
LEFT = datetime.date(2024, 6, 1)


def short(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def rows(response):
    """Each row of the list as the text of its cells."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", "", cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def admin(office_tree):
    return HeadOfficeAdminUserFactory(office=office_tree["head"])


@pytest.fixture
def halima(office_tree, admin):
    """Left North One for South One on 1 June 2024, where a South One officer now looks after her."""
    halima = ActiveClientFactory(office=office_tree["n1"], first_name="Halima", last_name="Said")
    lifecycle.transfer(halima, to_office=office_tree["s1"], on=LEFT, by=admin)
    lifecycle.assign_officer(
        halima,
        staff=StaffFactory(office=office_tree["s1"], first_name="Maria", last_name="Fernandez"),
        on=LEFT,
        by=BranchManagerUserFactory(office=office_tree["s1"]),
    )
    return halima


def test_a_client_that_left_is_shown_with_its_new_office_and_the_day_it_left(client, office_tree, halima):
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"]))

    response = client.get(URL, {"status": "transferred"})

    assert rows(response) == [
        [halima.account_no, "Halima Said", "South One", short(LEFT), short(halima.submitted_on)]
    ]
    page = response.content.decode()
    assert "Fernandez" not in page
    assert '<span class="badge active">' not in page


def test_the_list_keeps_the_office_it_left_for_when_the_client_moves_on(client, office_tree, halima, admin):
    lifecycle.transfer(halima, to_office=office_tree["n2"], on=datetime.date(2024, 9, 1), by=admin)
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"]))

    response = client.get(URL, {"status": "transferred"})

    assert [row[2:4] for row in rows(response)] == [["South One", short(LEFT)]]


@pytest.mark.parametrize("moved", [1, 5])
def test_the_day_and_office_of_a_pages_departures_are_read_in_one_query(
    client, office_tree, admin, django_assert_num_queries, moved
):
    for _index in range(moved):
        lifecycle.transfer(
            ActiveClientFactory(office=office_tree["n1"]), to_office=office_tree["s1"], on=LEFT, by=admin
        )
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"]))

    # The session with its user, the page's ids then its rows, the count, the departures, and the
    # filters' choices of office, officer and group.
    with django_assert_num_queries(8):
        response = client.get(URL, {"status": "transferred"})

    assert [row[2] for row in rows(response)] == ["South One"] * moved
