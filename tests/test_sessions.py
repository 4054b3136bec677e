"""Sessions live in the database every server shares: what one server ends, every server has ended."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


def signed_in_browser(user):
    browser = Browser()
    assert browser.login(username=user.username, password=PASSWORD)
    return browser


def same_session(browser):
    """A second browser tab (or a request served by another server) with the same session cookie."""
    other = Browser()
    other.cookies = browser.cookies
    return other


def test_a_signed_in_user_stays_signed_in_from_page_to_page():
    browser = signed_in_browser(BranchStaffUserFactory())

    assert browser.get(reverse("password_change")).status_code == 200
    assert same_session(browser).get(reverse("password_change")).status_code == 200


def test_signing_out_ends_the_session_for_every_request_that_carries_it():
    browser = signed_in_browser(BranchStaffUserFactory())
    cookies = {key: morsel.value for key, morsel in browser.cookies.items()}
    browser.post(reverse("logout"))

    stale = Browser()
    for key, value in cookies.items():
        stale.cookies[key] = value
    response = stale.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_expired_session_signs_the_user_out():
    browser = signed_in_browser(BranchStaffUserFactory())
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = browser.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_made_up_session_key_signs_no_one_in():
    browser = Browser()
    browser.cookies["sessionid"] = "x" * 32

    response = browser.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
