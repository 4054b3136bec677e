"""A page link edited by hand or kept from long ago shows the list's first page, never a server error."""

import base64

import pytest
from django.urls import reverse

from audit import record
from tests.clients.factories import ClientFactory
from tests.groups.factories import GroupFactory
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db


def cursor(text):
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


# What no list writes but json reads: a number too large for any id, a list nested past Python's
# recursion limit, a date that the database's UTC would put before year 1.
TAMPERED = {
    "huge number": '["BR01-000001",1e400]',
    "minus huge number": '["BR01-000001",-1e400]',
    "deep nesting": "[" * 1500 + "]" * 1500,
    "deep nesting in a value": '["BR01-000001",' + "[" * 1500 + "]" * 1500 + "]",
}
# The activity log's first sort key is a time.
TAMPERED_DATES = {
    "huge id": '["2025-01-01T00:00:00+00:00",1e400]',
    "deep nesting": "[" * 1500 + "]" * 1500,
    "before year 1 in UTC": '["0001-01-01T00:00:00+05:00",1]',
    "after year 9999 in UTC": '["9999-12-31T23:59:59-05:00",1]',
}


@pytest.fixture
def manager(office_tree):
    office = office_tree["n1"]
    subject = ClientFactory(office=office, first_name="Amina", last_name="Okafor")
    GroupFactory(office=office, name="Umoja")
    record(None, "clients.client.exported", obj=subject)
    return BranchManagerUserFactory(office=office)


@pytest.mark.parametrize("text", TAMPERED.values(), ids=TAMPERED.keys())
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_tampered_cursor_shows_the_first_page_of_the_client_list(client, manager, text, direction):
    client.force_login(manager)

    response = client.get(reverse("clients:client_list"), {"sort": "number", direction: cursor(text)})

    assert response.status_code == 200
    assert response.context["page_error"]
    assert "Amina Okafor" in response.content.decode()


@pytest.mark.parametrize("text", TAMPERED.values(), ids=TAMPERED.keys())
def test_a_tampered_cursor_shows_the_first_page_of_the_group_list(client, manager, text):
    client.force_login(manager)

    response = client.get(reverse("groups:group_list"), {"after": cursor(text)})

    assert response.status_code == 200
    assert response.context["page_error"]
    assert "Umoja" in response.content.decode()


@pytest.mark.parametrize("text", TAMPERED_DATES.values(), ids=TAMPERED_DATES.keys())
def test_a_tampered_cursor_shows_the_first_page_of_the_activity_log(client, manager, text):
    client.force_login(manager)

    response = client.get(reverse("audit:event_list"), {"after": cursor(text)})

    assert response.status_code == 200
    assert response.context["page_error"]
    assert "Amina Okafor" in response.content.decode()
