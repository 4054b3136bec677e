import pytest
from django.urls import reverse

from tests.groups.factories import CenterFactory, GroupFactory, MembershipFactory
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db

LATER = "2024-06-01"


def listed(client, **filters):
    response = client.get(reverse("clients:client_list"), filters)
    assert response.status_code == 200
    return {row.pk for row in response.context["page"]}


def test_the_client_list_filters_by_group_or_center(client, office_tree):
    center = CenterFactory(office=office_tree["n1"])
    group = GroupFactory(office=center.office, parent=center)
    in_group = MembershipFactory(group=group)
    assigned = MembershipFactory(group=center)
    MembershipFactory(group=group, left_on=LATER)  # a former member
    MembershipFactory(group=GroupFactory(office=center.office))  # another group
    client.force_login(BranchStaffUserFactory(office=office_tree["north"]))

    assert listed(client, group=group.pk) == {in_group.client_id}
    assert listed(client, group=center.pk) == {in_group.client_id, assigned.client_id}


def test_groups_outside_the_users_offices_are_not_offered(client, office_tree):
    elsewhere = MembershipFactory(group=GroupFactory(office=office_tree["s1"]))
    client.force_login(BranchStaffUserFactory(office=office_tree["north"]))

    response = client.get(reverse("clients:client_list"), {"group": elsewhere.group_id})

    assert "group" in response.context["form"].errors
    assert elsewhere.group.name not in response.content.decode()
