"""Sessions live in the database every server shares: what one server ends, every server has ended."""

import datetime
import importlib

import pytest
from django.contrib.auth.models import Permission
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from offices.models import Session
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


def test_a_signed_in_page_that_lists_nothing_reads_its_session_and_user_in_one_query(
    django_assert_num_queries,
):
    user = BranchStaffUserFactory()
    user.user_permissions.add(Permission.objects.get(codename="close_client"))
    browser = signed_in_browser(user)
    browser.get(reverse("password_change_done"))  # the first page notes the time of activity

    with django_assert_num_queries(1):
        response = browser.get(reverse("password_change_done"))

    assert response.status_code == 200
    assert response.wsgi_request.user == user
    assert response.wsgi_request.user.office.name == user.office.name
    assert response.wsgi_request.user.has_perm("clients.close_client")  # given to the user alone
    assert response.wsgi_request.user.has_perm("clients.add_client")  # from their role


def test_a_session_names_its_user_and_goes_with_them():
    user = BranchStaffUserFactory()
    browser = signed_in_browser(user)
    signed_in_browser(user)  # a second browser

    assert Session.objects.filter(user=user).count() == 2
    user.delete()

    assert not Session.objects.exists()
    assert browser.get(reverse("password_change")).status_code == 302


def test_a_user_made_inactive_is_signed_out_on_their_next_page():
    user = BranchStaffUserFactory()
    browser = signed_in_browser(user)
    assert browser.get(reverse("password_change")).status_code == 200

    type(user).objects.filter(pk=user.pk).update(is_active=False)

    response = browser.get(reverse("password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_changed_password_signs_out_the_users_other_sessions():
    user = BranchStaffUserFactory()
    other = signed_in_browser(user)
    browser = signed_in_browser(user)
    new_password = "another-secret-456"

    response = browser.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert response.status_code == 302
    assert browser.get(reverse("password_change")).status_code == 200
    assert other.get(reverse("password_change")).status_code == 302


def test_a_session_of_another_user_is_not_taken_for_the_signed_in_one():
    """The user row read with a session serves only the user that session names."""
    user, intruder = BranchStaffUserFactory(), BranchStaffUserFactory()
    browser = signed_in_browser(user)
    key = browser.cookies["sessionid"].value
    Session.objects.filter(pk=key).update(user=intruder)  # as if the column disagreed with the data

    response = browser.get(reverse("password_change"))

    assert response.status_code == 200
    assert response.wsgi_request.user == user


def test_sessions_in_djangos_table_are_kept_on_upgrade():
    """Migration offices 0004 moves who is signed in to the table that names its user."""
    from django.apps import apps
    from django.contrib.sessions.models import Session as DjangoSession

    copy_sessions = importlib.import_module("offices.migrations.0004_session").copy_sessions
    user = BranchStaffUserFactory()
    signed_in_browser(user)
    session = Session.objects.get(user=user)  # as Django's table held it before the upgrade
    later = timezone.now() + datetime.timedelta(hours=1)
    DjangoSession.objects.create(session_key="k" * 32, session_data=session.session_data, expire_date=later)
    DjangoSession.objects.create(
        session_key="x" * 32, session_data=session.session_data, expire_date=timezone.now()
    )
    Session.objects.all().delete()

    copy_sessions(apps, None)

    assert list(Session.objects.values_list("pk", "user")) == [("k" * 32, user.pk)]
    browser = Browser()
    browser.cookies["sessionid"] = "k" * 32
    assert browser.get(reverse("password_change")).wsgi_request.user == user


def test_signing_in_deletes_the_users_expired_sessions_and_no_one_elses():
    user, colleague = BranchStaffUserFactory(), BranchStaffUserFactory()
    stale, current = signed_in_browser(user), signed_in_browser(user)
    colleagues = signed_in_browser(colleague)
    keys = [browser.cookies["sessionid"].value for browser in (stale, current, colleagues)]
    Session.objects.filter(pk__in=[keys[0], keys[2]]).update(expire_date=timezone.now())

    signed_in_browser(user)

    assert not Session.objects.filter(pk=keys[0]).exists()
    assert Session.objects.filter(pk__in=keys[1:]).count() == 2
    assert current.get(reverse("password_change")).status_code == 200
