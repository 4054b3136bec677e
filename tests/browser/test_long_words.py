"""A word longer than a line (a pasted URL, an account number, a key held down) wraps where it is shown:
the page stays as wide as the screen, on a desktop as on a phone, and a table keeps it in its column."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_phones import signed_in_page
from tests.clients.factories import ActiveClientFactory
from tests.offices.factories import BranchStaffUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
WORD = "https://example.org/" + "x" * 3000


def page_width(page):
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def test_a_note_of_one_3000_letter_word_wraps_inside_the_page(browser, live_server):
    officer = BranchStaffUserFactory()
    client = ActiveClientFactory(office=officer.office)
    page = signed_in_page(browser, live_server, officer, viewport=DESKTOP)
    page.goto(reverse("clients:note_add", args=[client.pk]))
    page.get_by_label("Note").fill(f"Paid in cash, receipt at {WORD} as agreed")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("as agreed")).to_be_visible()

    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        for tab in ("clients:client_notes", "audit:client_history"):
            page.goto(reverse(tab, args=[client.pk]))
            scroll_width, screen_width = page_width(page)
            assert scroll_width <= screen_width, f"{tab} at {screen_width} px is {scroll_width} px wide"

    # On a desktop the history's table holds the word in its column, rather than scrolling sideways.
    page.set_viewport_size(DESKTOP)
    page.goto(reverse("audit:client_history", args=[client.pk]))
    box = page.locator(".table-wrap").first
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), box.evaluate("e => e.scrollWidth")
