"""The account page's actions as a manager sees them: the activation box drawn whole, and closing
reached through a page that asks before it closes."""

import pytest
from playwright.sync_api import expect

from ledger.choices import AccountStatus
from ledger.models import Account
from tests.clients.factories import ActiveClientFactory
from tests.ledger.factories import AccountFactory
from tests.offices.factories import BranchManagerUserFactory, OfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def inside(inner, outer):
    return (
        outer["x"] <= inner["x"]
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
        and outer["y"] <= inner["y"]
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
    )


@pytest.fixture
def branch():
    return OfficeFactory(name="Riverside")


def test_the_activation_box_holds_its_date_and_button(page, sign_in, branch):
    account = AccountFactory(client=ActiveClientFactory(office=branch), status=AccountStatus.PENDING)
    sign_in(BranchManagerUserFactory(office=branch))

    page.goto(account.get_absolute_url())

    box = page.get_by_role("form", name="Activate the account")
    # Drawn inline, the card broke into pieces (white slivers) with the fields loose between them.
    assert box.evaluate("form => form.getClientRects().length") == 1
    card = box.bounding_box()
    assert inside(box.get_by_label("Activation date").bounding_box(), card)
    assert inside(box.get_by_role("button", name="Activate the account").bounding_box(), card)


def test_a_manager_closes_an_empty_savings_account_after_a_page_that_asks(page, sign_in, branch):
    account = AccountFactory(client=ActiveClientFactory(office=branch))
    sign_in(BranchManagerUserFactory(office=branch))

    page.goto(account.get_absolute_url())
    page.get_by_role("link", name="Close the account").click()

    expect(page.get_by_text("Closing is final")).to_be_visible()
    assert Account.objects.get(pk=account.pk).status == AccountStatus.ACTIVE
    page.get_by_role("button", name="Close the account").click()

    expect(page.get_by_text("The account is closed.")).to_be_visible()
    assert Account.objects.get(pk=account.pk).status == AccountStatus.CLOSED
