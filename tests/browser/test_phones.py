"""Pages for old phones and poor connections: every page fits a 360 px screen without sideways
scrolling, weighs under 100 KB, comes from our own origin, and works with JavaScript off."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_accessibility import site_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
MAX_PAGE_BYTES = 100 * 1024


def signed_in_page(browser, live_server, user, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(reverse("login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("secret-pass-123")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize("language", ["en", "fr"])  # French words are the longest
def test_every_page_fits_a_360_px_screen_with_the_header_whole(browser, live_server, language):
    admin, pages = site_pages()
    admin.language = language
    admin.save(update_fields=["language"])
    page = signed_in_page(browser, live_server, admin, viewport=PHONE)
    too_wide = {}
    for name, address in [("sign-in", reverse("login")), *pages]:
        if name == "sign-in":
            page.context.clear_cookies()
        page.goto(address)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[name] = width
        if name == "sign-in":
            page = signed_in_page(browser, live_server, admin, viewport=PHONE)
            continue
        # The header wraps whole: its last link (Sign out) is on the screen, not cut off.
        sign_out = page.locator(".whoami button").bounding_box()
        if sign_out["x"] + sign_out["width"] > PHONE["width"]:
            too_wide[f"{name} (header)"] = sign_out["x"] + sign_out["width"]
    assert not too_wide, too_wide


def test_the_client_list_on_a_phone_shows_the_search_box_first_and_the_filters_folded(browser, live_server):
    admin, _pages = site_pages()
    page = signed_in_page(browser, live_server, admin, viewport=PHONE)
    page.goto(reverse("clients:client_list"))

    search_box = page.get_by_role("searchbox")
    table = page.get_by_role("table")
    assert search_box.bounding_box()["y"] < table.bounding_box()["y"]
    expect(page.get_by_label("Office", exact=True)).to_be_hidden()
    page.get_by_text("Filters", exact=True).click()
    expect(page.get_by_label("Office", exact=True)).to_be_visible()


def test_every_page_weighs_under_100_kb_all_from_our_own_origin(browser, live_server):
    admin, pages = site_pages()
    page = signed_in_page(browser, live_server, admin)
    heavy, foreign = {}, set()
    for name, address in pages:
        # A fresh context each time: nothing comes from the cache, everything is counted.
        context = browser.new_context(base_url=live_server.url, storage_state=page.context.storage_state())
        fresh = context.new_page()
        responses = []
        fresh.on("response", lambda response, responses=responses: responses.append(response))
        fresh.goto(address)
        fresh.wait_for_load_state("load")
        size = 0
        for response in responses:
            if not response.url.startswith(live_server.url):
                foreign.add(response.url)
            if 300 <= response.status < 400:
                continue
            size += len(response.body())
        assert size > 0, f"nothing counted for {name}"
        if size > MAX_PAGE_BYTES:
            heavy[name] = size
        context.close()
    assert not foreign, foreign
    assert not heavy, heavy


def test_with_javascript_off_an_officer_searches_and_opens_a_client(browser, live_server):
    admin, _pages = site_pages()
    page = signed_in_page(browser, live_server, admin, java_script_enabled=False)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    page.get_by_role("searchbox").fill("Amina")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("table").get_by_role("link", name="Amina Diallo").click()

    expect(page.get_by_role("heading", name="Amina Diallo")).to_be_visible()
    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", name="Amina Diallo")).to_be_visible()
