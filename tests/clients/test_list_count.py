"""The client list says how many clients it holds: exactly up to a thousand, "more than" beyond, and never
by counting a million rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.views import list as list_views
from tests.clients.factories import ClientFactory, create_clients_in_bulk
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db

URL = reverse("clients:client_list")


@pytest.fixture
def officer(client, office_tree):
    user = BranchStaffUserFactory(office=office_tree["n1"])
    client.force_login(user)
    return user


def shown(client, params=None):
    """The page's text and the SQL of the counts it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params or {})
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"]]
    return response.content.decode(), counts


def test_it_says_how_many_clients_the_officer_may_see(client, office_tree, officer):
    create_clients_in_bulk(312, office=office_tree["n1"])
    create_clients_in_bulk(5, office=office_tree["s1"])  # another region's

    page, _counts = shown(client)

    assert "312 clients" in page


def test_one_client_is_one(client, office_tree, officer):
    ClientFactory(office=office_tree["n1"])

    assert "1 client<" in shown(client)[0]


def test_filters_are_counted(client, office_tree, officer):
    create_clients_in_bulk(40, office=office_tree["n1"], status="active")
    create_clients_in_bulk(7, office=office_tree["n1"], status="pending")

    page, counts = shown(client, {"status": "pending"})

    assert "7 clients" in page and len(counts) == 1


def test_a_number_search_says_what_its_pages_know_without_a_count(client, office_tree, officer):
    create_clients_in_bulk(40, office=office_tree["n1"], mobile_phone="+256772000111")
    create_clients_in_bulk(7, office=office_tree["n1"], mobile_phone="+256772999888")

    narrow, narrow_counts = shown(client, {"q": "772 999 888"})
    broad, broad_counts = shown(client, {"q": "772 000 111"})

    assert "7 clients" in narrow
    assert "More than 25 clients match: type more of the name or number to narrow the search." in broad
    assert narrow_counts == broad_counts == []


def test_past_a_thousand_it_says_more_than_a_thousand_without_counting_them_all(client, office_tree, officer):
    create_clients_in_bulk(1001, office=office_tree["n1"])

    page, counts = shown(client)

    assert "More than 1,000 clients" in page and "1,001 clients" not in page and "1001 clients" not in page
    assert len(counts) == 1 and "LIMIT 1001" in counts[0]


def test_the_limit_is_the_views_to_set(client, office_tree, officer, monkeypatch):
    monkeypatch.setattr(list_views, "COUNT_LIMIT", 10)
    create_clients_in_bulk(11, office=office_tree["n1"])

    page, counts = shown(client)

    assert "More than 10 clients" in page
    assert "LIMIT 11" in counts[0]


def test_a_name_search_that_fits_one_page_says_how_many_it_found_without_a_count(
    client, office_tree, officer
):
    create_clients_in_bulk(3, office=office_tree["n1"], last_name="Achieng")
    create_clients_in_bulk(30, office=office_tree["n1"], last_name="Otieno")

    page, counts = shown(client, {"q": "achieng"})

    assert "3 clients" in page
    assert counts == []


def test_a_broad_name_search_asks_for_more_of_the_name_without_a_count(client, office_tree, officer):
    create_clients_in_bulk(30, office=office_tree["n1"], last_name="Achieng")

    page, counts = shown(client, {"q": "achieng"})

    assert "More than 25 clients match: type more of the name or number to narrow the search." in page
    assert counts == []


def test_an_empty_list_says_so_once(client, office_tree, officer):
    page, _counts = shown(client, {"q": "nobody"})

    assert "No client matches this search and these filters." in page
    assert "0 clients" not in page


@pytest.mark.parametrize(("language", "number"), [("es", "1\xa0000")])
def test_the_number_is_written_as_the_users_language_writes_it(client, office_tree, language, number):
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"], language=language))
    create_clients_in_bulk(1001, office=office_tree["n1"])

    page = shown(client)[0]

    assert number in page and "1,000" not in page
