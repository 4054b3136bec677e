import re

import pytest
from playwright.sync_api import expect

from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchManagerUserFactory, OfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_sees_their_phone_change_in_the_history_and_their_failed_sign_in_in_the_log(page, sign_in):
    branch = OfficeFactory(name="Riverside")
    manager = BranchManagerUserFactory(
        office=branch, username="rehema", first_name="Rehema", last_name="Juma"
    )
    client = ClientFactory(office=branch, first_name="Amani", last_name="Kweli", mobile_phone="+255712345678")

    sign_in(manager, password="not-the-password")
    sign_in(manager)
    page.goto(f"/clients/{client.pk}/edit/")
    page.get_by_label("Mobile phone").fill("+255787654321")
    page.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_load_state()
    page.get_by_role("link", name="History").click()

    row = page.get_by_role("row").filter(has_text="Mobile phone: +255712345678 → +255787654321")
    expect(row).to_be_visible()
    expect(row).to_contain_text("Rehema Juma")

    page.get_by_role("link", name="Activity log").click()
    page.locator("summary", has_text="Filters").click()  # folded until a filter is set
    page.get_by_label("Kind of event").fill("auth.user.sign_in_failed")
    page.get_by_role("button", name="Apply").click()
    failed = page.get_by_role("row").filter(has_text="Failed sign-in")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("User name: rehema")
