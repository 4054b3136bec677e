import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients import lifecycle
from tests.access import assert_access
from tests.clients.factories import (
    ActiveClientFactory,
    ClientFactory,
    IdentificationFactory,
    create_clients_in_bulk,
)
from tests.offices.factories import (
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("clients:client_list")


@pytest.fixture
def branch_user(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


def listed(response):
    return [client.display_name for client in response.context["page"]]


def test_only_signed_in_users_with_the_view_permission_see_the_list(client, office_tree, branch_user):
    assert_access(
        client, URL, permitted=branch_user, without_permission=UserFactory(office=office_tree["n1"])
    )


def test_it_lists_the_clients_of_the_users_offices_only(client, office_tree, branch_user):
    ClientFactory(office=office_tree["n1"], first_name="Inside", last_name="Client")
    ClientFactory(office=office_tree["s1"], first_name="Outside", last_name="Client")
    client.force_login(branch_user)

    response = client.get(URL)

    assert listed(response) == ["Inside Client"]
    assert "Outside" not in response.content.decode()


def test_each_row_links_to_its_clients_page(client, office_tree, branch_user):
    clients = [ClientFactory(office=office_tree["n1"]) for _ in range(2)]
    client.force_login(branch_user)

    page = client.get(URL).content.decode()

    for listed_client in clients:
        assert f'<a href="{listed_client.get_absolute_url()}">' in page


@pytest.mark.parametrize("by", ["name", "number", "identification", "phone"])
def test_no_search_reveals_a_client_outside_the_users_offices(client, office_tree, branch_user, by):
    outside = ClientFactory(
        office=office_tree["s1"], first_name="Hidden", last_name="Person", mobile_phone="+33612345678"
    )
    IdentificationFactory(client=outside, number="X-99887766", number_normalized="X99887766")
    client.force_login(branch_user)
    text = {
        "name": "hidden person",
        "number": outside.account_no,
        "identification": "x99887766",
        "phone": "+33 6 12 34 56 78",
    }[by]

    response = client.get(URL, {"q": text})

    assert response.status_code == 200
    assert listed(response) == []
    assert "Hidden" not in response.content.decode()


def test_a_search_by_partial_name_and_by_identification_finds_the_client(client, office_tree, branch_user):
    josé = ClientFactory(office=office_tree["n1"], first_name="José", last_name="Martínez")
    IdentificationFactory(client=josé, number="1234-5678-A", number_normalized="12345678A")
    ClientFactory(office=office_tree["n1"], first_name="Other", last_name="Person")
    client.force_login(branch_user)

    assert listed(client.get(URL, {"q": "MARTIN"})) == ["José Martínez"]
    assert listed(client.get(URL, {"q": "12345678 a"})) == ["José Martínez"]


def test_the_url_keeps_the_search_and_filters_in_the_form(client, office_tree, branch_user):
    client.force_login(branch_user)

    page = client.get(URL, {"q": "josé", "status": "active", "sort": "-submitted"}).content.decode()

    assert 'value="josé"' in page
    assert '<option value="active" selected>' in page
    assert 'href="?q=jos%C3%A9&amp;status=active&amp;sort=number"' in page  # the column link keeps the rest


def count_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "smith"},
        {"q": "T-000"},
        {"status": "active", "sort": "-submitted", "submitted_after": "2020-01-01"},
        {"status": "transferred"},
    ],
)
def test_the_page_runs_the_same_queries_with_ten_or_a_thousand_clients(client, office_tree, params):
    user = HeadOfficeAdminUserFactory(office=office_tree["head"])
    officer = StaffFactory(office=office_tree["n1"])
    create_clients_in_bulk(10, office=office_tree["n1"], staff=officer, last_name="Smith", status="active")
    params = {**params, "office": office_tree["north"].pk, "officer": officer.pk}
    client.force_login(user)
    with_ten = count_queries(client, params)

    create_clients_in_bulk(990, office=office_tree["n1"], staff=officer, last_name="Smith", status="active")
    with_a_thousand = count_queries(client, params)

    # Session with user, office, permissions, office and officer checked, the chosen office's tree,
    # the page's ids then its rows, the count up to 1,000 (not for a name search), and the choices of
    # office, officer and group.
    assert with_ten == with_a_thousand <= 10


@pytest.mark.parametrize(
    ("params", "queries"),
    [
        ({}, 7),
        ({"q": "smith"}, 6),  # a search is not counted (ClientListView.count)
        # A number search reads the ids it matches first.
        ({"q": "772 000"}, 7),
        ({"q": "772 000", "status": "active", "sort": "number"}, 7),
    ],
)
def test_a_branchs_page_runs_the_same_queries_with_ten_or_a_thousand_clients(
    client, office_tree, branch_user, params, queries
):
    fields = {
        "office": office_tree["n1"],
        "last_name": "Smith",
        "status": "active",
        "mobile_phone": "+256772000111",
    }
    create_clients_in_bulk(10, **fields)
    client.force_login(branch_user)
    with_ten = count_queries(client, params)

    create_clients_in_bulk(990, **fields)
    with_a_thousand = count_queries(client, params)

    assert len(listed(client.get(URL, params))) == 25
    # Session with user, office, its tree and permissions, (the search's ids,) the page's
    # ids then its rows, the count up to 1,000 (not for a name search), and the choices of office,
    # officer and group.
    assert with_ten == with_a_thousand == queries


def test_pages_go_forward_and_back_counting_no_further_than_a_thousand(client, office_tree, branch_user):
    create_clients_in_bulk(30, office=office_tree["n1"])
    client.force_login(branch_user)

    first = client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(URL, {"after": first.context["page"].next_cursor})
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"]]
    back = client.get(URL, {"before": second.context["page"].previous_cursor})

    assert len(listed(first)) == 25 and len(listed(second)) == 5
    assert listed(back) == listed(first)
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' not in first.content.decode()
    assert 'rel="prev"' in second.content.decode() and 'rel="next"' not in second.content.decode()
    # Every page says the list's size, counted up to 1,000 only: no query counts the whole list.
    assert all("30 clients" in page.content.decode() for page in (first, second, back))
    assert len(counts) == 1 and "LIMIT 1001" in counts[0]


@pytest.mark.parametrize("search", ["772 000", "smith"])
def test_a_search_pages_through_all_its_matches_once(client, office_tree, branch_user, search):
    create_clients_in_bulk(30, office=office_tree["n1"], last_name="Smith", mobile_phone="+256772000111")
    create_clients_in_bulk(5, office=office_tree["s1"], last_name="Smith", mobile_phone="+256772000111")
    client.force_login(branch_user)

    first = client.get(URL, {"q": search})
    second = client.get(URL, {"q": search, "after": first.context["page"].next_cursor})

    assert len(listed(first)) == 25 and len(listed(second)) == 5  # none of the other region's five
    ids = [row.pk for row in [*first.context["page"], *second.context["page"]]]
    assert len(set(ids)) == 30


def test_an_edited_page_link_shows_the_first_page_with_a_message(client, office_tree, branch_user):
    ClientFactory(office=office_tree["n1"], first_name="Only", last_name="One")
    client.force_login(branch_user)

    response = client.get(URL, {"after": "bogus"})

    assert listed(response) == ["Only One"]
    assert "out of date" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": "100%"},
        {"q": "%_%"},
        {"q": "\\\\"},
        {"q": "' OR 1=1 --"},
        {"q": '"quoted"'},
        {"q": "nul\x00"},
        {"q": "😀😀😀"},
        {"office": "abc"},
        {"office": "1" * 30},
        {"officer": "-5"},
        {"status": "<script>"},
        {"submitted_after": "2024-02-30"},
        {"activated_before": "0000-00-00"},
        {"sort": "password"},
        {"after": "W1siYSJdLDFd"},
        {"before": "W251bGwsIm51bGwiXQ"},
        {"after": "WyJhIiwgOTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OV0"},
        {"after": "x" * 5000},
    ],
)
def test_bad_input_answers_a_normal_page(client, office_tree, branch_user, params):
    ClientFactory(office=office_tree["n1"], first_name="Still", last_name="Listed")
    client.force_login(branch_user)

    response = client.get(URL, params)

    assert response.status_code == 200
    assert response.context["page"] is not None


def test_an_invalid_filter_gets_a_message_next_to_it(client, office_tree, branch_user):
    client.force_login(branch_user)

    page = client.get(URL, {"submitted_after": "2024-02-30", "q": "ab"}).content.decode()

    assert 'id="id_submitted_error"' in page and "valid date" in page
    assert 'id="id_q_error"' in page and "at least 3" in page


def test_clients_that_left_by_transfer_are_listed_but_not_linked(client, office_tree, branch_user):
    admin = HeadOfficeAdminUserFactory(office=office_tree["head"])
    moved = ActiveClientFactory(office=office_tree["n1"], first_name="Moved", last_name="Away")
    lifecycle.transfer(moved, to_office=office_tree["s1"], on=datetime.date(2024, 6, 1), by=admin)
    client.force_login(branch_user)

    response = client.get(URL, {"status": "transferred"})

    assert listed(response) == ["Moved Away"]
    assert moved.get_absolute_url() not in response.content.decode()


@pytest.mark.parametrize("params", [{}, {"q": "incoming"}, {"sort": "-submitted"}])
def test_a_branch_lists_the_clients_being_transferred_to_it_among_its_own(client, office_tree, params):
    admin = HeadOfficeAdminUserFactory(office=office_tree["head"])
    ActiveClientFactory(office=office_tree["n1"], first_name="Own", last_name="Incoming")
    arriving = ActiveClientFactory(office=office_tree["s1"], first_name="Arriving", last_name="Incoming")
    lifecycle.propose_transfer(arriving, to_office=office_tree["n1"], on=datetime.date(2024, 6, 1), by=admin)
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"]))

    response = client.get(URL, params)

    assert sorted(listed(response)) == ["Arriving Incoming", "Own Incoming"]


def test_a_transfer_between_two_of_the_users_offices_lists_the_client_once(client, office_tree):
    admin = HeadOfficeAdminUserFactory(office=office_tree["head"])
    moving = ActiveClientFactory(office=office_tree["n1"], first_name="Moving", last_name="Once")
    lifecycle.propose_transfer(moving, to_office=office_tree["n2"], on=datetime.date(2024, 6, 1), by=admin)
    client.force_login(BranchStaffUserFactory(office=office_tree["north"]))

    assert listed(client.get(URL)) == ["Moving Once"]


def test_a_long_officer_list_says_how_to_narrow_it(client, office_tree):
    StaffFactory.create_batch(101, office=office_tree["n2"])
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))

    page = client.get(URL).content.decode()

    assert "Only the first 100 are listed: choose an office to narrow the list." in page


def test_clients_that_left_are_found_by_name_and_number_not_by_their_new_phone_or_id(
    client, office_tree, branch_user
):
    """The sending office sees their name, number and new office; their phone and identifications,
    which the new office keeps, do not find them."""
    admin = HeadOfficeAdminUserFactory(office=office_tree["head"])
    moved = ActiveClientFactory(office=office_tree["n1"], first_name="Moved", last_name="Away")
    lifecycle.transfer(moved, to_office=office_tree["s1"], on=datetime.date(2024, 6, 1), by=admin)
    moved.mobile_phone = "+254711222333"
    moved.save()
    IdentificationFactory(client=moved, number="99887766Q")
    client.force_login(branch_user)

    def found(q):
        return listed(client.get(URL, {"status": "transferred", "q": q}))

    assert found("Moved") == ["Moved Away"] and found(moved.account_no) == ["Moved Away"]
    assert found("0711222333") == [] and found("99887766Q") == []
