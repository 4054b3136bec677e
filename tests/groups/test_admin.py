import pytest
from django.urls import reverse

from groups.choices import GroupStatus
from groups.models import Group
from tests.clients.test_admin import revert_data
from tests.groups.factories import GroupFactory, MembershipFactory
from tests.offices.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_admin_history_refuses_to_put_back_an_old_status_office_or_officer(admin_client, office_tree):
    group = GroupFactory(office=office_tree["n2"], staff=StaffFactory(office=office_tree["n2"]))
    pending_version = group.history.get().history_id
    officer = StaffFactory(office=office_tree["n1"])
    Group.objects.filter(pk=group.pk).update(
        status=GroupStatus.ACTIVE, office=office_tree["n1"], staff=officer
    )
    version_page = reverse("admin:groups_group_simple_history", args=[group.pk, pending_version])

    refused = admin_client.post(version_page, revert_data(admin_client.get(version_page)), follow=True)

    page = refused.content.decode()
    assert "This version was not put back: A group or center stays in the office it was created in." in page
    assert "The status changes only through the actions Activate and Close." in page
    group.refresh_from_db()
    assert (group.status, group.office, group.staff) == (GroupStatus.ACTIVE, office_tree["n1"], officer)
    assert group.history.count() == 1


def test_admin_history_puts_back_a_groups_name_and_keeps_the_user(admin_client):
    group = GroupFactory(name="Umoja")
    first_version = group.history.get().history_id
    Group.objects.filter(pk=group.pk).update(name="Umoja Renamed")
    version_page = reverse("admin:groups_group_simple_history", args=[group.pk, first_version])

    response = admin_client.post(version_page, revert_data(admin_client.get(version_page)))

    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Umoja"
    assert str(group.history.first().history_user_id) == admin_client.session["_auth_user_id"]


def test_a_center_with_hundreds_of_members_can_still_be_saved_in_admin(admin_client, office_tree):
    """Members are not inline rows: each added fields until the page passed Django's field limit."""
    group = GroupFactory(name="Umoja", office=office_tree["n1"])
    MembershipFactory.create_batch(400, group=group)
    url = reverse("admin:groups_group_change", args=[group.pk])

    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    response = admin_client.post(
        url, {k: v for k, v in data.items() if v is not None} | {"name": "Umoja Two"}
    )

    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Umoja Two"
    content = page.content.decode()
    assert "400 current members" in content and group.get_absolute_url() in content
    assert 'name="memberships-' not in content
