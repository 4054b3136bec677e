"""Admin signs a user out of every browser: a lost laptop, a password others learnt."""

import pytest
from django.test import Client as Browser
from django.urls import reverse

from audit.models import Event
from offices.models import Session
from tests.offices.factories import (
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
    OfficeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"
PAGE = reverse("password_change")


def browser_of(user):
    browser = Browser()
    assert browser.login(username=user.username, password=PASSWORD)
    assert browser.get(PAGE).status_code == 200
    return browser


def sign_out_everywhere(admin_browser, *users):
    return admin_browser.post(
        reverse("admin:offices_user_changelist"),
        {"action": "sign_out_everywhere", "_selected_action": [user.pk for user in users]},
        follow=True,
    )


def test_the_selected_users_are_signed_out_of_every_browser_and_it_is_recorded():
    admin = HeadOfficeAdminUserFactory()
    officer, colleague = BranchStaffUserFactory(), BranchStaffUserFactory()
    laptop, phone, colleagues = browser_of(officer), browser_of(officer), browser_of(colleague)
    admin_browser = browser_of(admin)

    response = sign_out_everywhere(admin_browser, officer)

    assert "1 user signed out everywhere." in response.content.decode()
    assert laptop.get(PAGE).status_code == 302
    assert phone.get(PAGE).status_code == 302
    assert colleagues.get(PAGE).status_code == 200
    event = Event.objects.get(event="auth.user.signed_out_everywhere")
    assert (event.actor_id, event.object_id, event.details["sessions"]) == (admin.pk, str(officer.pk), 2)


def test_a_user_holding_rights_the_admin_lacks_stays_signed_in():
    admin = HeadOfficeAdminUserFactory()
    superuser = UserFactory(is_superuser=True, is_staff=True, office=admin.office)
    theirs = browser_of(superuser)

    response = sign_out_everywhere(browser_of(admin), superuser)

    assert "1 user left signed in: they hold rights you do not." in response.content.decode()
    assert theirs.get(PAGE).status_code == 200
    assert not Event.objects.filter(event="auth.user.signed_out_everywhere").exists()


def test_a_user_outside_the_admins_offices_is_left_alone():
    region = OfficeFactory()
    admin = HeadOfficeAdminUserFactory(office=region)
    outsider = BranchStaffUserFactory()  # in an office of another tree
    theirs = browser_of(outsider)

    sign_out_everywhere(browser_of(admin), outsider)

    assert theirs.get(PAGE).status_code == 200
    assert Session.objects.filter(user=outsider).exists()


def test_the_users_page_tells_how_many_browsers_they_are_signed_in_on():
    admin = HeadOfficeAdminUserFactory()
    officer = BranchStaffUserFactory()
    browser_of(officer), browser_of(officer)

    page = browser_of(admin).get(reverse("admin:offices_user_change", args=[officer.pk])).content.decode()

    assert "2 browsers" in page
