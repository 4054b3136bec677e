import os
import shutil

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils import translation

from offices.roles import ROLE_PERMISSIONS
from tests.offices.factories import HeadOfficeFactory, OfficeFactory

CHROMIUM = "/usr/bin/chromium"


def pytest_configure(config):
    """Our pages are Jinja2 (mifos/templating.py): have them report what they rendered, as Django's
    test set-up does for its own templates, so that ``response.context`` holds their variables; and
    refuse to print a method not called (``{{ client.get_status_display }}``), which Django's language
    called silently and Jinja2 writes out as "<bound method ...>"."""
    import jinja2
    from django.template import engines
    from django.template.backends import jinja2 as backend
    from django.test.signals import template_rendered

    render = backend.Template.render

    def render_and_report(self, context=None, request=None):
        context = {} if context is None else context
        html = render(self, context, request)
        template_rendered.send(sender=self, template=self, context=context)
        return html

    environment = engines["jinja2"].env
    localized = environment.finalize

    def refuse_methods(value):
        if callable(value) and not isinstance(value, jinja2.Undefined):
            raise TypeError(f"a template prints {value!r}: call it, with ()")
        return localized(value)

    backend.Template.render = render_and_report
    environment.finalize = refuse_methods


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def no_language_left_active():
    """A request activates its user's language and leaves it active on the thread, as in a server
    where the next request activates its own: here, the next test would read Spanish messages."""
    yield
    translation.deactivate()


@pytest.fixture
def restored_roles(transactional_db):
    """Roles come from data migrations, which the flush after a transactional test removes: put them back."""
    for role, permissions in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = Q()
        for dotted in permissions:
            app_label, codename = dotted.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.filter(wanted))


@pytest.fixture
def head_office(db):
    return HeadOfficeFactory()


@pytest.fixture
def office_tree(db):
    """Head office -> two regions -> two branches each (a small but real hierarchy)."""
    head = HeadOfficeFactory()
    north = OfficeFactory(name="North", code="N", parent=head)
    south = OfficeFactory(name="South", code="S", parent=head)
    return {
        "head": head,
        "north": north,
        "south": south,
        "n1": OfficeFactory(name="North One", code="N1", parent=north),
        "n2": OfficeFactory(name="North Two", code="N2", parent=north),
        "s1": OfficeFactory(name="South One", code="S1", parent=south),
    }


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM) or not shutil.which("chromium"):
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required under CI=true but /usr/bin/chromium is missing")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the test thread; the ORM calls that the
    # tests and their database teardown make there are still plain synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    """Sign in through the real sign-in page, as a person would."""

    def do_sign_in(user, password="secret-pass-123"):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    return do_sign_in
