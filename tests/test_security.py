"""Hardening that a user or an attacker would notice: malformed input answers 4xx, sign-in guessing
is throttled, pages carry the security headers, idle sessions end."""

import base64
import json
import re

import pytest
import time_machine
from django.test import Client as TestClient
from django.test import override_settings
from django.urls import reverse

from audit.models import Event
from tests.clients.factories import ActiveClientFactory
from tests.groups.factories import ActiveGroupFactory
from tests.offices.factories import BranchStaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


@pytest.fixture
def browser():
    """A client that re-raises a view's exception, so a server error fails the test plainly."""
    return TestClient(raise_request_exception=True)


@pytest.fixture
def superuser(office_tree):
    return UserFactory(office=office_tree["head"], is_superuser=True, is_staff=True)


# --- No server error from malformed input -------------------------------------------------------------


def cursor(values):
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize("url_name", ["clients:client_list", "groups:group_list"])
@pytest.mark.parametrize(
    "value",
    [
        "%%%",
        "!!",
        cursor([10**30, 10**30]),
        cursor(["a\x00b", 1]),
        cursor([[1], {"a": 2}]),
        cursor(["NaN", "Infinity"]),
        cursor(["x" * 5000, 1]),
    ],
)
def test_a_hostile_page_cursor_gives_the_first_page(browser, office_tree, url_name, value):
    user = BranchStaffUserFactory(office=office_tree["n1"])
    ActiveClientFactory(office=user.office)
    ActiveGroupFactory(office=user.office)
    browser.force_login(user)

    for direction in ("after", "before"):
        response = browser.get(reverse(url_name), {direction: value})
        assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/clients/client/?status__exact=%00",
        "/admin/clients/client/?q=a%00b",
        "/admin/autocomplete/?app_label=offices&model_name=staff&field_name=office&term=%00",
        "/clients/?q=ab%00c",
        "/groups/?q=a%00b",
    ],
)
def test_a_nul_character_in_a_query_string_is_dropped(browser, superuser, url):
    browser.force_login(superuser)

    assert browser.get(url).status_code == 200


def test_a_nul_character_in_the_path_is_a_bad_request(browser, superuser):
    browser.force_login(superuser)

    assert browser.get("/admin/clients/client/%00/change/").status_code == 400


def test_a_nul_character_in_a_form_is_a_bad_request(browser, office_tree):
    browser.force_login(BranchStaffUserFactory(office=office_tree["n1"]))
    client = ActiveClientFactory(office=office_tree["n1"])

    response = browser.post(reverse("clients:note_add", args=[client.pk]), {"text": "a\x00b"})

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/groups/group/add/", {"office": "abc", "staff": "abc", "name": "x"}),
        ("/admin/offices/staff/add/", {"office": "abc", "user": "abc"}),
        ("/admin/offices/office/add/", {"parent": "abc"}),
        ("/admin/offices/user/add/", {"office": "abc"}),
    ],
)
def test_an_admin_form_with_a_malformed_choice_shows_the_form_again(browser, superuser, url, data):
    browser.force_login(superuser)

    response = browser.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors


@pytest.mark.parametrize(
    ("url", "action"),
    [
        ("/admin/offices/staff/", "delete_selected"),
        ("/admin/groups/group/", "activate_selected"),
        ("/admin/clients/client/", "activate_today"),
    ],
)
def test_an_admin_action_on_malformed_ids_is_refused_with_a_message(browser, superuser, url, action):
    browser.force_login(superuser)

    response = browser.post(url, {"action": action, "_selected_action": ["abc"]}, follow=True)

    assert response.status_code == 200
    assert "The selection was not understood" in response.content.decode()


# --- Sign-in throttling ---------------------------------------------------------------------------------


def sign_in(browser, username, password, address="10.0.0.1"):
    return browser.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_sign_in_pauses_after_five_failures_for_one_user_name(browser, office_tree):
    user = BranchStaffUserFactory(office=office_tree["n1"])
    for attempt in range(4):
        assert sign_in(browser, user.username, "wrong", address=f"10.0.0.{attempt}").status_code == 200
    assert sign_in(browser, user.username, "wrong", address="10.0.0.5").status_code == 429

    response = sign_in(browser, user.username, PASSWORD, address="10.0.1.1")

    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in browser.session
    assert Event.objects.filter(event="auth.user.locked_out", details__username=user.username).exists()


def test_one_persons_typos_do_not_lock_out_their_colleagues_behind_the_same_address(browser, office_tree):
    user = BranchStaffUserFactory(office=office_tree["n1"])
    for attempt in range(5):
        sign_in(browser, f"guess{attempt}", "wrong", address="10.9.9.9")

    assert sign_in(browser, user.username, PASSWORD, address="10.9.9.9").status_code == 302


@override_settings(SIGN_IN_ADDRESS_FAILURE_LIMIT=12)
def test_sign_in_pauses_for_an_address_that_tries_name_after_name(browser, office_tree):
    user = BranchStaffUserFactory(office=office_tree["n1"])
    for attempt in range(11):
        assert sign_in(browser, f"guess{attempt}", "wrong", address="10.9.9.9").status_code == 200
    assert sign_in(browser, "guess11", "wrong", address="10.9.9.9").status_code == 429

    response = sign_in(browser, user.username, PASSWORD, address="10.9.9.9")

    assert response.status_code == 429
    assert "_auth_user_id" not in browser.session
    assert sign_in(browser, user.username, PASSWORD, address="10.9.9.8").status_code == 302


def test_the_address_limit_is_ten_times_the_user_name_limit_by_default(settings):
    assert settings.SIGN_IN_ADDRESS_FAILURE_LIMIT == 10 * settings.AXES_FAILURE_LIMIT == 50


def test_sign_in_opens_again_after_the_cool_off(browser, office_tree):
    user = BranchStaffUserFactory(office=office_tree["n1"])
    with time_machine.travel("2026-01-05 09:00", tick=False) as traveller:
        for _attempt in range(5):
            sign_in(browser, user.username, "wrong")
        assert sign_in(browser, user.username, PASSWORD).status_code == 429
        traveller.shift(16 * 60)

        assert sign_in(browser, user.username, PASSWORD).status_code == 302


def test_a_success_before_the_limit_clears_the_failures(browser, office_tree):
    user = BranchStaffUserFactory(office=office_tree["n1"])
    for _attempt in range(4):
        sign_in(browser, user.username, "wrong")
    assert sign_in(browser, user.username, PASSWORD).status_code == 302
    browser.logout()

    for _attempt in range(4):
        sign_in(browser, user.username, "wrong")

    assert sign_in(browser, user.username, PASSWORD).status_code == 302


# --- Headers -------------------------------------------------------------------------------------------


def test_signed_in_pages_are_not_stored_and_carry_the_policies(browser, office_tree):
    user = BranchStaffUserFactory(office=office_tree["n1"])
    client = ActiveClientFactory(office=user.office)
    browser.force_login(user)

    response = browser.get(reverse("clients:client_detail", args=[client.pk]))

    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_sign_in_page_is_not_cached_either(browser):
    response = browser.get(reverse("login"))

    assert "no-store" in response["Cache-Control"]
    assert "Permissions-Policy" in response


# --- Idle sessions --------------------------------------------------------------------------------------


def test_a_session_ends_after_the_idle_time(browser, office_tree, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    user = BranchStaffUserFactory(office=office_tree["n1"])
    with time_machine.travel("2026-01-05 09:00", tick=False) as traveller:
        browser.force_login(user)
        assert browser.get(reverse("clients:client_list")).status_code == 200
        traveller.shift(29 * 60)
        assert browser.get(reverse("clients:client_list")).status_code == 200
        traveller.shift(29 * 60)  # counted from the last page, not from sign-in
        assert browser.get(reverse("clients:client_list")).status_code == 200
        traveller.shift(31 * 60)

        response = browser.get(reverse("clients:client_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in browser.session


# --- Content-Security-Policy -------------------------------------------------------------------------

INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE)


def test_pages_allow_only_our_own_scripts_styles_and_images(browser, office_tree):
    response = browser.get(reverse("login"))

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "img-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_our_pages_have_nothing_inline_that_the_policy_would_block(browser, office_tree, superuser):
    client = ActiveClientFactory(office=office_tree["n1"])
    group = ActiveGroupFactory(office=office_tree["n1"])
    browser.force_login(superuser)
    urls = [
        reverse("home"),
        reverse("clients:client_list"),
        reverse("clients:client_detail", args=[client.pk]),
        reverse("clients:client_edit", args=[client.pk]),
        reverse("clients:client_identifications", args=[client.pk]),
        reverse("clients:client_family", args=[client.pk]),
        reverse("clients:client_notes", args=[client.pk]),
        reverse("clients:client_timeline", args=[client.pk]),
        reverse("groups:group_list"),
        reverse("groups:group_detail", args=[group.pk]),
        reverse("admin:index"),
        reverse("admin:clients_client_change", args=[client.pk]),
        reverse("admin:clients_client_changelist"),
        reverse("admin:offices_user_changelist"),
    ]
    for url in urls:
        response = browser.get(url)
        assert response.status_code == 200, url
        assert not INLINE.findall(response.content.decode()), url


# --- Four-eyes approval ----------------------------------------------------------------------------


def test_a_new_installation_asks_another_user_to_activate_a_client(office_tree):
    from clients import lifecycle
    from clients.models import ClientRules
    from tests.clients.factories import ClientFactory
    from tests.offices.factories import BranchManagerUserFactory

    manager = BranchManagerUserFactory(office=office_tree["n1"])
    client = ClientFactory(office=office_tree["n1"], created_by=manager)

    assert ClientRules.load().four_eyes_activation
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.activate(client, on=client.submitted_on, by=manager)


def test_every_form_of_a_page_carries_one_token_that_the_server_accepts(office_tree):
    browser = TestClient(enforce_csrf_checks=True)
    browser.force_login(BranchStaffUserFactory(office=office_tree["n1"]))

    page = browser.get(reverse("password_change")).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    form = {"csrfmiddlewaretoken": tokens[-1], "language": "fr"}
    response = browser.post(reverse("offices:language_switch"), form)

    assert len(tokens) == 3  # signing out, the language, the password form
    assert len(set(tokens)) == 1
    assert response.status_code == 302
