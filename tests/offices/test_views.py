import pytest
from django.urls import reverse

from tests.offices.factories import (
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
    OfficeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_every_page_but_sign_in_requires_signing_in(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200


def test_a_wrong_password_gets_the_usual_message_without_hints(client):
    user = UserFactory()

    response = client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    unknown = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert response.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_the_home_page_shows_the_users_name_and_office(client):
    user = BranchStaffUserFactory(
        first_name="Grace", last_name="Achieng", office=OfficeFactory(name="Riverside")
    )
    client.force_login(user)

    page = client.get(reverse("home")).content.decode()

    assert "Grace Achieng" in page
    assert "Riverside" in page


def test_sign_out_is_post_only_and_signs_out(client):
    client.force_login(UserFactory())

    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_password_change_works(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "secret-pass-123",
            "new_password1": "a-much-better-pw-77",
            "new_password2": "a-much-better-pw-77",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-much-better-pw-77")


def test_admin_lists_only_offices_in_the_admins_scope(client, office_tree):
    admin_user = HeadOfficeAdminUserFactory(office=office_tree["north"])
    client.force_login(admin_user)

    page = client.get(reverse("admin:offices_office_changelist")).content.decode()

    assert "North One" in page
    assert "South One" not in page
    assert client.get(reverse("admin:offices_office_change", args=[office_tree["s1"].pk])).status_code == 302


def test_a_head_office_admin_cannot_make_anyone_superuser(client, office_tree):
    admin_user = HeadOfficeAdminUserFactory(office=office_tree["head"])
    target = UserFactory(office=office_tree["n1"])
    client.force_login(admin_user)

    page = client.get(reverse("admin:offices_user_change", args=[target.pk])).content.decode()

    assert 'name="is_superuser"' not in page
    assert 'name="office"' in page


def test_the_home_page_leads_a_branch_officer_to_the_work_waiting(client):
    client.force_login(BranchStaffUserFactory())

    page = client.get(reverse("home")).content.decode()

    assert f'action="{reverse("clients:client_list")}"' in page
    assert f'href="{reverse("clients:client_list")}?status=pending"' in page
    assert f'href="{reverse("clients:client_add")}"' in page


def test_the_home_page_offers_no_client_shortcuts_without_the_permission(client):
    client.force_login(UserFactory())

    page = client.get(reverse("home")).content.decode()

    assert reverse("clients:client_list") not in page
