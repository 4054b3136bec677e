"""A bound form with errors marks its first field in error, and only that one, to take the focus."""

import re

import pytest
from django.urls import reverse

from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db


def autofocused(html):
    return re.findall(r'<(?:input|select|textarea)[^>]*name="([^"]+)"[^>]*\sautofocus', html)


def test_the_first_field_in_error_takes_the_focus_and_no_other(client):
    user = BranchStaffUserFactory()
    client.force_login(user)

    response = client.post(
        reverse("clients:client_create", args=["individual"]),
        {
            "office": user.office.pk,
            "submitted_on": "2025-03-01",
            "first_name": "Wanjiru",
            "gender": "female",
            "date_of_birth": "2020-01-01",
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "last_name" in errors and "date_of_birth" in errors
    assert autofocused(response.content.decode()) == ["last_name"]


def test_a_form_shown_the_first_time_keeps_its_own_focus(client):
    html = client.get(reverse("login")).content.decode()

    assert autofocused(html) == ["username"]


def test_a_refused_sign_in_keeps_the_focus_on_the_user_name(client):
    """An error of the whole form (wrong password) names no field: the form's own focus stays."""
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})

    assert "Please enter a correct username and password" in response.content.decode()
    assert autofocused(response.content.decode()) == ["username"]
