import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from offices.backends import OfficeModelBackend
from offices.models import User
from offices.scoping import visible_office_ids
from tests.offices.factories import BranchStaffUserFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads it: nothing cached yet."""
    return User.objects.get(pk=user.pk)


def test_a_users_own_and_role_permissions_come_in_one_query(django_assert_num_queries):
    user = BranchStaffUserFactory()
    user.user_permissions.add(Permission.objects.get(codename="close_client"))
    user = fresh(user)

    with django_assert_num_queries(1):
        assert user.has_perm("clients.add_client")  # from the Branch staff role
        assert user.has_perm("clients.close_client")  # given to the user alone
        assert not user.has_perm("clients.activate_client")


def test_an_inactive_user_has_no_permission_and_a_superuser_has_all():
    inactive = fresh(BranchStaffUserFactory(is_active=False))
    superuser = fresh(UserFactory(is_superuser=True))

    assert not inactive.has_perm("clients.add_client")
    assert inactive.get_all_permissions() == set()
    assert superuser.has_perm("clients.activate_client")
    assert len(superuser.get_all_permissions()) == Permission.objects.count()


def test_a_signed_in_page_reads_the_user_their_office_and_permissions_in_one_query(
    django_assert_num_queries,
):
    user = BranchStaffUserFactory()
    user.user_permissions.add(Permission.objects.get(codename="close_client"))
    backend = OfficeModelBackend()

    with django_assert_num_queries(1):
        loaded = backend.get_user(user.pk)
        assert loaded.office.name == user.office.name
        assert loaded.office.opening_date == user.office.opening_date  # a date, on SQLite too
        assert loaded.has_perm("clients.add_client")  # from the Branch staff role
        assert loaded.has_perm("clients.close_client")  # given to the user alone
        assert not loaded.has_perm("clients.activate_client")
    assert loaded.get_all_permissions() == fresh(user).get_all_permissions()
    assert loaded.is_active is True
    assert loaded.date_joined == user.date_joined
    assert loaded.username == user.username


def test_a_user_without_office_or_gone_or_inactive_is_handled_as_before():
    backend = OfficeModelBackend()
    without_office = UserFactory(office=None)

    assert backend.get_user(without_office.pk).office is None
    assert backend.get_user(without_office.pk + 1000) is None
    assert backend.get_user(UserFactory(is_active=False).pk) is None


def test_a_role_taken_away_counts_from_the_users_next_page(client):
    user = BranchStaffUserFactory()
    client.force_login(user)
    clients_link = f'href="{reverse("clients:client_list")}"'
    assert clients_link in client.get(reverse("home")).content.decode()

    user.groups.clear()

    assert clients_link not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("clients:client_list")).status_code == 403


def test_a_user_with_no_permission_at_all_has_none():
    user = UserFactory(office=BranchStaffUserFactory().office)

    loaded = OfficeModelBackend().get_user(user.pk)

    assert loaded.get_all_permissions() == set()
    assert not loaded.has_perm("clients.view_client")


@pytest.mark.parametrize(
    ("office", "tree"),
    [("north", {"north", "n1", "n2"}), ("n1", {"n1"}), ("head", None)],
)
def test_the_users_office_tree_comes_with_the_user(office_tree, office, tree, django_assert_num_queries):
    user = BranchStaffUserFactory(office=office_tree[office])

    with django_assert_num_queries(1):
        loaded = OfficeModelBackend().get_user(user.pk)
        visible = visible_office_ids(loaded)

    expected = None if tree is None else {office_tree[name].pk for name in tree}
    assert (None if visible is None else set(visible)) == expected


def test_a_branch_opened_under_the_users_region_counts_from_their_next_page(office_tree):
    user = BranchStaffUserFactory(office=office_tree["north"])
    before = visible_office_ids(OfficeModelBackend().get_user(user.pk))

    new_branch = OfficeFactory(name="North Three", code="N3", parent=office_tree["north"])

    assert new_branch.pk not in before
    assert new_branch.pk in visible_office_ids(OfficeModelBackend().get_user(user.pk))
