"""The office filter of Django admin's lists: a tree to walk down, and a choice that covers the
chosen office's whole tree, as the client list's office filter does."""

import pytest
from django.urls import reverse

from audit import record
from offices.roles import HEAD_OFFICE_ADMIN
from tests.clients.factories import ClientFactory
from tests.groups.factories import GroupFactory
from tests.offices.factories import HeadOfficeAdminUserFactory, OfficeFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

# Each admin list with an office filter: its URL name, the filter's parameter, how to make one in an office.
LISTS = {
    "client": ("clients_client", "office__id__exact", lambda office: ClientFactory(office=office)),
    "group": ("groups_group", "office__id__exact", lambda office: GroupFactory(office=office)),
    "staff": ("offices_staff", "office__id__exact", lambda office: StaffFactory(office=office)),
    "user": ("offices_user", "office__id__exact", lambda office: UserFactory(office=office)),
    "event": ("audit_event", "office__id__exact", lambda office: record(None, "tests.seen", office=office)),
    # Offices filter by parent: a region lists the offices below it.
    "office": ("offices_office", "parent__id__exact", lambda office: OfficeFactory(parent=office)),
}


def office_choices(response, parameter="office__id__exact"):
    """The office filter's choices as the sidebar shows them, "All" left out."""
    changelist = response.context["cl"]
    spec = next(spec for spec in changelist.filter_specs if getattr(spec, "lookup_kwarg", "") == parameter)
    return [choice["display"] for choice in spec.choices(response.context["cl"])][1:]


@pytest.fixture
def head_admin(client, office_tree):
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))
    return client


@pytest.mark.parametrize("kind", LISTS)
def test_choosing_a_region_lists_everything_of_its_branches(head_admin, office_tree, kind):
    name, parameter, make = LISTS[kind]
    in_branch, elsewhere = make(office_tree["n2"]), make(office_tree["s1"])

    response = head_admin.get(reverse(f"admin:{name}_changelist"), {parameter: office_tree["north"].pk})

    shown = set(response.context["cl"].result_list)
    assert in_branch in shown
    assert elsewhere not in shown


def test_the_sidebar_shows_the_head_office_and_regions_until_one_is_chosen(head_admin, office_tree):
    url = reverse("admin:clients_client_changelist")

    first = office_choices(head_admin.get(url))
    in_north = office_choices(head_admin.get(url, {"office__id__exact": office_tree["north"].pk}))

    head = office_tree["head"].name
    assert first == [head, "\u2003North", "\u2003South"]
    assert in_north == [head, "\u2003North", "\u2003\u2003North One", "\u2003\u2003North Two"]


def test_a_region_admin_walks_down_from_their_own_office(client, office_tree):
    north_admin = UserFactory(office=office_tree["north"], is_staff=True, roles=[HEAD_OFFICE_ADMIN])
    client.force_login(north_admin)
    url = reverse("admin:clients_client_changelist")
    outside = ClientFactory(office=office_tree["s1"])

    choices = office_choices(client.get(url))
    response = client.get(url, {"office__id__exact": office_tree["s1"].pk})

    assert choices == ["North", "\u2003North One", "\u2003North Two"]
    # An office outside scope is refused as a bad filter (admin's "?e=1"), as a made-up id is.
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
    assert client.get(url, {"office__id__exact": 10**9})["Location"] == response["Location"]
    assert outside not in set(client.get(response["Location"]).context["cl"].result_list)


def test_the_sidebar_does_not_grow_with_the_branches(head_admin, office_tree, django_assert_max_num_queries):
    url = reverse("admin:clients_client_changelist")
    for number in range(30):
        OfficeFactory(name=f"North Branch {number:02d}", parent=office_tree["north"])

    with django_assert_max_num_queries(12):
        page = head_admin.get(url).content.decode()

    assert "North Branch 00" not in page
    in_north = head_admin.get(url, {"office__id__exact": office_tree["north"].pk}).content.decode()
    assert "North Branch 29" in in_north


def test_show_counts_counts_each_office_with_its_tree(head_admin, office_tree):
    for office in ("n1", "n2", "n2", "s1"):
        ClientFactory(office=office_tree[office])

    url = reverse("admin:clients_client_changelist")
    response = head_admin.get(url, {"office__id__exact": office_tree["north"].pk, "_facets": "True"})

    choices = office_choices(response)
    assert "\u2003North (3)" in choices
    assert "\u2003\u2003North Two (2)" in choices
    assert f"{office_tree['head'].name} (4)" in choices
