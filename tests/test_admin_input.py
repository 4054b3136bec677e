"""Every admin list answers a malformed selection with a message, never a server error (issue #16)."""

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.urls import reverse

from tests.offices.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELISTS = sorted(
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" for model in admin.site._registry
)


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_a_malformed_selection_in_any_admin_list_is_answered_with_a_message(client, head_office, changelist):
    client.force_login(UserFactory(office=head_office, is_staff=True, is_superuser=True))

    response = client.post(
        reverse(changelist),
        {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: ["abc", "9" * 30], "index": "0"},
    )

    assert response.status_code < 500
