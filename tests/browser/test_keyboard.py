"""With the keyboard alone (Tab, Enter and typing), an officer signs in, registers a client, runs an
action on it and finds it again with the search; the focused control is always visibly marked."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.offices.factories import BranchManagerUserFactory, OfficeFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 80


def tab_to(page, target):
    """Press Tab until ``target`` (a locator) has the focus, as a keyboard user would; then check
    that the focus can be seen."""
    for _press in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            outline = target.evaluate(
                "element => { const style = getComputedStyle(element);"
                " return [style.outlineStyle, style.outlineWidth]; }"
            )
            assert outline[0] != "none" and outline[1] != "0px", f"no visible focus on {target}"
            return
    raise AssertionError(f"{target} was not reached with {MAX_TABS} presses of Tab")


def sign_in_with_the_keyboard(page, user):
    page.goto(reverse("login"))
    tab_to(page, page.get_by_label("Username"))
    page.keyboard.type(user.username)
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type("secret-pass-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press_enter_on(page, target):
    """Tab to ``target`` and press Enter, which opens a page (a link, or a form's button)."""
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_keyboard_alone_registers_a_client_finds_it_and_activates_it(page):
    branch = OfficeFactory(name="Riverside", code="BR01")
    officer = BranchManagerUserFactory(office=branch)
    StaffFactory(office=branch, first_name="Grace", last_name="Achieng", user=officer)
    # Four-eyes approval: another manager activates the client the officer registered.
    manager = BranchManagerUserFactory(office=branch)
    main_nav = page.get_by_role("navigation", name="Main")

    sign_in_with_the_keyboard(page, officer)
    press_enter_on(page, main_nav.get_by_role("link", name="Clients"))
    press_enter_on(page, page.get_by_role("link", name="New client"))
    press_enter_on(page, page.get_by_role("link", name="A person (individual client)"))
    tab_to(page, page.get_by_label("First name"))
    page.keyboard.type("Wanjiru")
    tab_to(page, page.get_by_label("Last name"))
    page.keyboard.type("Kamau")
    tab_to(page, page.get_by_label("Gender"))
    page.keyboard.type("Female")
    tab_to(page, page.get_by_label("Date of birth"))
    page.keyboard.type("04121986")  # the date picker's fields, in the browser's order (en-US)
    press_enter_on(page, page.get_by_role("button", name="Register"))
    expect(page.get_by_role("heading", name="Wanjiru Kamau")).to_be_visible()
    press_enter_on(page, page.get_by_role("button", name="Sign out"))

    sign_in_with_the_keyboard(page, manager)
    press_enter_on(page, main_nav.get_by_role("link", name="Clients"))
    tab_to(page, page.get_by_role("searchbox"))
    page.keyboard.type("kamau")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    press_enter_on(page, page.get_by_role("table").get_by_role("link", name="Wanjiru Kamau"))
    expect(page.get_by_role("heading", name="Wanjiru Kamau")).to_be_visible()

    press_enter_on(page, page.get_by_role("link", name="Activate"))
    press_enter_on(page, page.get_by_role("button", name="Activate"))
    expect(page.locator(".badge").first).to_have_text("Active")
