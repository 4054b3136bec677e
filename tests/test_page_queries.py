"""Object pages read their object with SQL written once per scope (mifos/views.py): whoever asked first,
each user still sees only what their offices hold."""

import pytest
from django.urls import reverse

from tests.clients.factories import ActiveClientFactory
from tests.groups.factories import ActiveGroupFactory
from tests.offices.factories import BranchStaffUserFactory, HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "page, factory",
    [("clients:client_detail", ActiveClientFactory), ("groups:group_detail", ActiveGroupFactory)],
)
def test_a_page_read_by_head_office_and_its_branch_stays_hidden_from_another_branch(
    client, office_tree, page, factory
):
    held = factory(office=office_tree["n1"])
    address = reverse(page, args=[held.pk])
    answers = []
    for user in (
        HeadOfficeAdminUserFactory(office=office_tree["head"]),
        BranchStaffUserFactory(office=office_tree["n1"]),
        BranchStaffUserFactory(office=office_tree["s1"]),
        BranchStaffUserFactory(office=office_tree["north"]),
        BranchStaffUserFactory(office=office_tree["n2"]),
    ):
        client.force_login(user)
        answers.append(client.get(address).status_code)

    assert answers == [200, 200, 404, 200, 404]


def test_the_same_scope_reads_each_client_it_is_asked_for(client, office_tree):
    first, second = (
        ActiveClientFactory(office=office_tree["s1"]),
        ActiveClientFactory(office=office_tree["s1"]),
    )
    client.force_login(BranchStaffUserFactory(office=office_tree["s1"]))

    pages = [client.get(reverse("clients:client_detail", args=[member.pk])) for member in (first, second)]

    assert [page.context["client"] for page in pages] == [first, second]
    assert client.get(reverse("clients:client_detail", args=[second.pk + 1000])).status_code == 404
