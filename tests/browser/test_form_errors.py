"""A form that comes back with an error puts the cursor on it, even below the fold."""

import pytest
from playwright.sync_api import expect

from tests.offices.factories import BranchStaffUserFactory, OfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_cursor_lands_on_the_first_field_in_error(sign_in):
    user = BranchStaffUserFactory(office=OfficeFactory(name="Riverside", code="BR01"))
    page = sign_in(user)
    page.set_viewport_size({"width": 1000, "height": 500})

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    page.get_by_role("link", name="New client").click()
    page.get_by_role("link", name="A person (individual client)").click()
    page.get_by_label("First name").fill("Wanjiru")
    page.get_by_label("Last name").fill("Kamau")
    page.get_by_label("Gender").select_option(label="Female")
    page.get_by_label("Date of birth").fill("2020-01-01")  # too young
    page.get_by_label("Mobile phone").fill("12")  # not a phone number either
    page.get_by_role("button", name="Register").click()

    date_of_birth = page.get_by_label("Date of birth")
    expect(date_of_birth).to_be_focused()
    expect(date_of_birth).to_be_in_viewport()
    expect(page.get_by_role("alert").filter(has_text="at least 18 years old")).to_be_visible()
