import pytest
from playwright.sync_api import expect

from ledger.models import Account
from tests.clients.factories import ActiveClientFactory
from tests.ledger.factories import AccountFactory
from tests.offices.factories import BranchManagerUserFactory, BranchStaffUserFactory, OfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def post(page, kind, amount, receipt):
    page.get_by_label("Transaction", exact=True).select_option(label=kind)
    page.get_by_label("Amount", exact=True).fill(amount)
    page.get_by_label("Receipt reference", exact=True).fill(receipt)
    page.get_by_role("button", name="Post", exact=True).click()


def test_a_teller_deposits_and_withdraws_and_a_manager_reverses_the_withdrawal(page, sign_in):
    branch = OfficeFactory(name="Riverside")
    client = ActiveClientFactory(office=branch, first_name="Wanjiru", last_name="Kamau")
    account = AccountFactory(client=client)

    sign_in(BranchStaffUserFactory(office=branch))
    page.goto(client.get_absolute_url())
    page.get_by_role("navigation", name="Client").get_by_role("link", name="Accounts").click()
    page.get_by_role("link", name=account.number).click()
    post(page, "Deposit", "500", "R-001")
    expect(page.get_by_text("Deposit of 500.00 USD posted; the balance is 500.00 USD.")).to_be_visible()
    post(page, "Withdrawal", "120.50", "R-002")
    expect(page.get_by_text("Withdrawal of 120.50 USD posted; the balance is 379.50 USD.")).to_be_visible()
    expect(
        page.get_by_role("row").filter(has_text="Withdrawal").get_by_role("link", name="Reverse")
    ).to_have_count(0)

    page.context.clear_cookies()
    sign_in(BranchManagerUserFactory(office=branch))
    page.goto(account.get_absolute_url())
    page.get_by_role("row").filter(has_text="R-002").get_by_role("link", name="Reverse").click()
    page.get_by_label("Reason", exact=True).fill("Paid out to the wrong client")
    page.get_by_role("button", name="Reverse a transaction").click()

    expect(page.get_by_text("The transaction is reversed.")).to_be_visible()
    expect(page.locator(".balance")).to_have_text("500.00 USD")
    assert Account.objects.get(pk=account.pk).balance == 500

    page.goto(client.get_absolute_url())
    page.get_by_role("navigation", name="Client").get_by_role("link", name="Transactions").click()
    rows = page.locator("table.transactions tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Reversal of the Withdrawal")
    expect(rows.nth(0)).to_contain_text("Paid out to the wrong client")
    expect(rows.nth(0)).to_contain_text("500.00")
    expect(rows.nth(1)).to_contain_text("Reversed")
    expect(rows.nth(1)).to_contain_text("-120.50")
    expect(rows.nth(2)).to_contain_text("R-001")

    page.goto(client.get_absolute_url())
    expect(page.locator(".client-totals")).to_contain_text("500.00")
