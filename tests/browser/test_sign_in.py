import pytest
from playwright.sync_api import expect

from tests.offices.factories import BranchStaffUserFactory, OfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_user_signs_in_through_the_real_page_and_sees_home(sign_in):
    user = BranchStaffUserFactory(
        first_name="Grace", last_name="Achieng", office=OfficeFactory(name="Riverside")
    )

    page = sign_in(user)

    expect(page.get_by_role("heading", name="Welcome, Grace Achieng")).to_be_visible()
    expect(page.get_by_text("You work in Riverside.")).to_be_visible()


def test_a_wrong_password_keeps_the_user_on_the_sign_in_page(sign_in):
    user = BranchStaffUserFactory()

    page = sign_in(user, password="not-the-password")

    assert "/accounts/login/" in page.url
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
