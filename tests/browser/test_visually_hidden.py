"""Text meant for screen readers alone is in the page's accessibility tree but not drawn."""

import pytest
from playwright.sync_api import expect

from tests.clients.factories import ActiveClientFactory
from tests.ledger.factories import AccountFactory
from tests.offices.factories import BranchManagerUserFactory, OfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_heading_of_the_reverse_links_is_announced_but_not_drawn(page, sign_in):
    branch = OfficeFactory(name="Riverside")
    account = AccountFactory(client=ActiveClientFactory(office=branch))
    sign_in(BranchManagerUserFactory(office=branch))
    page.goto(account.get_absolute_url())
    page.get_by_label("Transaction", exact=True).select_option(label="Deposit")
    page.get_by_label("Amount", exact=True).fill("500")
    page.get_by_role("button", name="Post", exact=True).click()

    heading = page.get_by_role("columnheader", name="Actions")
    expect(heading).to_have_count(1)
    box = heading.locator("span").bounding_box()
    assert box["width"] <= 1 and box["height"] <= 1
