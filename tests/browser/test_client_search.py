import pytest
from playwright.sync_api import expect

from tests.clients.factories import ClientFactory, IdentificationFactory
from tests.offices.factories import BranchStaffUserFactory, OfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_finds_a_client_by_part_of_the_name_then_by_identification(sign_in):
    branch = OfficeFactory(name="Riverside", code="BR01")
    josé = ClientFactory(office=branch, first_name="José", last_name="Hernández", account_no="BR01-000007")
    IdentificationFactory(client=josé, number="4455 6677-k", number_normalized="44556677K")
    ClientFactory(office=branch, first_name="Grace", last_name="Achieng")
    page = sign_in(BranchStaffUserFactory(office=branch))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    search_box = page.get_by_label("Search by name, client number, external id, identification or phone")
    search_box.fill("hernan")
    page.get_by_role("button", name="Search").click()

    results = page.get_by_role("table")
    expect(results.get_by_role("link", name="José Hernández")).to_be_visible()
    expect(results.get_by_text("Grace Achieng")).to_be_hidden()
    assert "q=hernan" in page.url  # the search is in the address, to bookmark or share

    search_box = page.get_by_label("Search by name, client number, external id, identification or phone")
    search_box.fill("44556677 K")
    page.get_by_role("button", name="Search").click()

    results.get_by_role("link", name="José Hernández").click()
    expect(page.get_by_role("heading", name="José Hernández")).to_be_visible()
