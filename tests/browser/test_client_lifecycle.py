import pytest
from playwright.sync_api import expect

from clients.choices import ReasonKind
from tests.clients.factories import ClientActionReasonFactory, ClientFactory
from tests.offices.factories import BranchManagerUserFactory, OfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_branch_manager_activates_a_client_then_closes_it_and_the_timeline_shows_both(sign_in):
    branch = OfficeFactory(name="Riverside")
    manager = BranchManagerUserFactory(office=branch, first_name="Peter", last_name="Mwangi")
    applicant = ClientFactory(office=branch, first_name="Amina", last_name="Diallo")
    ClientActionReasonFactory(kind=ReasonKind.CLOSURE, name="Moved away")

    page = sign_in(manager)
    page.goto(applicant.get_absolute_url())
    page.get_by_role("link", name="Activate").click()
    page.get_by_role("button", name="Activate").click()

    expect(page.get_by_text("Amina Diallo").first).to_be_visible()
    expect(page.locator(".badge")).to_have_text("Active")

    page.get_by_role("link", name="Close").click()
    page.get_by_label("Reason").select_option(label="Moved away")
    page.get_by_label("Note").fill("Moved to the city.")
    page.get_by_role("button", name="Close").click()
    expect(page.locator(".badge")).to_have_text("Closed")

    page.get_by_role("link", name="Timeline").click()
    rows = page.locator("table").first.locator("tbody tr")
    expect(rows.nth(1)).to_contain_text("Pending → Active")  # the timeline has loaded
    closed, activated = (rows.nth(index).locator("td").all_inner_texts() for index in (0, 1))
    assert closed[1:3] == ["Closed", "Active → Closed"]
    assert "Moved away" in closed[5] and "Moved to the city." in closed[5]
    assert closed[6] == "Peter Mwangi"
    assert activated[1:3] == ["Activated", "Pending → Active"]
