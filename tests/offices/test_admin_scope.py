"""Django admin for a scoped admin (a region's admin): every kind of admin page holds office scope,
and no one hands out more rights than they hold."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from audit import record
from audit.models import Event
from clients.models import Client
from groups.models import Group as ClientGroup
from offices.models import Office, Staff, User
from offices.roles import BRANCH_STAFF, HEAD_OFFICE_ADMIN
from tests.clients.factories import ClientFactory
from tests.groups.factories import GroupFactory
from tests.offices.factories import HeadOfficeAdminUserFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def region_admin(office_tree):
    return UserFactory(
        username="north-admin", office=office_tree["north"], is_staff=True, roles=[HEAD_OFFICE_ADMIN]
    )


@pytest.fixture
def signed_in(client, region_admin):
    client.force_login(region_admin)
    return client


# Each admin page kind for each office-bound model: how to make one in an office.
KINDS = {
    "client": (Client, "clients", "client", lambda office: ClientFactory(office=office)),
    "group": (ClientGroup, "groups", "group", lambda office: GroupFactory(office=office)),
    "staff": (Staff, "offices", "staff", lambda office: StaffFactory(office=office)),
    "office": (Office, "offices", "office", lambda office: office),
    "user": (User, "offices", "user", lambda office: UserFactory(office=office, roles=[BRANCH_STAFF])),
    "event": (Event, "audit", "event", lambda office: record(None, "system.checked", office=office)),
}
HISTORY_KINDS = ["client", "group"]


def admin_url(kind, page, *args):
    _model, app, model, _make = KINDS[kind]
    return reverse(f"admin:{app}_{model}_{page}", args=args)


def assert_answers_as_missing(client, method, kind, page, outside, data=None):
    """Outside scope the admin answers exactly as for an id that does not exist (404, admin's "does
    not exist" redirect, or 403 where the page needs a permission the admin lacks), and shows nothing."""
    send = getattr(client, method)
    response = send(admin_url(kind, page, outside.pk), data or {})
    missing = send(admin_url(kind, page, 10**9), data or {})
    assert response.status_code in (302, 403, 404), response.status_code
    assert (response.status_code, response.get("Location")) == (missing.status_code, missing.get("Location"))


@pytest.mark.parametrize("kind", KINDS)
def test_change_and_delete_pages_hold_scope(signed_in, office_tree, kind):
    inside = KINDS[kind][3](office_tree["n1"])
    outside = KINDS[kind][3](office_tree["s1"])

    assert signed_in.get(admin_url(kind, "change", inside.pk)).status_code == 200
    assert_answers_as_missing(signed_in, "get", kind, "change", outside)
    assert_answers_as_missing(signed_in, "post", kind, "change", outside, {"name": "Taken"})
    assert_answers_as_missing(signed_in, "get", kind, "delete", outside)
    assert_answers_as_missing(signed_in, "post", kind, "delete", outside, {"post": "yes"})
    assert KINDS[kind][0].objects.filter(pk=outside.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_change_list_lists_only_the_scope(signed_in, office_tree, kind):
    inside = KINDS[kind][3](office_tree["n1"])
    outside = KINDS[kind][3](office_tree["s1"])

    response = signed_in.get(admin_url(kind, "changelist"))

    shown = set(response.context["cl"].result_list)
    assert inside in shown
    assert outside not in shown


@pytest.mark.parametrize("kind", HISTORY_KINDS)
def test_history_pages_hold_scope(signed_in, office_tree, kind):
    inside = KINDS[kind][3](office_tree["n1"])
    outside = KINDS[kind][3](office_tree["s1"])
    inside_version = inside.history.earliest().history_id
    outside_version = outside.history.earliest().history_id

    assert signed_in.get(admin_url(kind, "history", inside.pk)).status_code == 200
    assert signed_in.get(admin_url(kind, "history", outside.pk)).status_code == 404
    assert signed_in.get(admin_url(kind, "history", "not-an-id")).status_code == 404
    version_page = reverse(
        f"admin:{KINDS[kind][1]}_{KINDS[kind][2]}_simple_history", args=[inside.pk, inside_version]
    )
    assert signed_in.get(version_page).status_code == 200
    other_page = reverse(
        f"admin:{KINDS[kind][1]}_{KINDS[kind][2]}_simple_history", args=[outside.pk, outside_version]
    )
    assert signed_in.get(other_page).status_code == 404
    assert signed_in.get(version_page.replace(f"/{inside_version}/", "/x/")).status_code == 404

    name_before = str(KINDS[kind][0].objects.get(pk=outside.pk))
    response = signed_in.post(
        other_page, {"name": "Reverted", "first_name": "Reverted", "_change_history": "1"}
    )

    assert response.status_code == 404
    assert str(KINDS[kind][0].objects.get(pk=outside.pk)) == name_before


def test_add_pages_refuse_an_office_outside_scope(signed_in, office_tree):
    south = office_tree["s1"]
    attempts = {
        "staff": {"first_name": "Ana", "last_name": "Out", "office": south.pk},
        "office": {"name": "Far", "code": "FAR", "parent": south.pk, "opening_date": "2020-01-01"},
        "user": {
            "username": "far",
            "office": south.pk,
            "password1": "x-Long-pass-91",
            "password2": "x-Long-pass-91",
        },
        "group": {
            "name": "Far group",
            "kind": "group",
            "office": south.pk,
            "submitted_on": "2024-01-01",
        },
    }
    for kind, data in attempts.items():
        before = KINDS[kind][0].objects.count()

        response = signed_in.post(admin_url(kind, "add"), data)

        assert response.status_code == 200, kind
        assert "office" in response.context["adminform"].form.errors or "parent" in (
            response.context["adminform"].form.errors
        ), kind
        assert KINDS[kind][0].objects.count() == before, kind


def test_a_scoped_admin_cannot_add_an_office_without_a_parent(signed_in):
    response = signed_in.post(
        admin_url("office", "add"), {"name": "Root", "code": "RT", "opening_date": "2020-01-01"}
    )

    assert "parent" in response.context["adminform"].form.errors
    assert not Office.objects.filter(code="RT").exists()


def test_a_scoped_admin_cannot_move_their_own_office(signed_in, office_tree):
    north = office_tree["north"]

    signed_in.post(
        admin_url("office", "change", north.pk),
        {"name": "North", "code": "N", "parent": "", "opening_date": "2015-01-01"},
    )

    north.refresh_from_db()
    assert north.parent == office_tree["head"]


def test_actions_reach_only_the_scope(signed_in, office_tree):
    inside = StaffFactory(office=office_tree["n1"])
    outside = StaffFactory(office=office_tree["s1"])
    signed_in.post(
        admin_url("staff", "changelist"),
        {"action": "delete_selected", "_selected_action": [inside.pk, outside.pk], "post": "yes"},
    )

    assert not Staff.objects.filter(pk=inside.pk).exists()
    assert Staff.objects.filter(pk=outside.pk).exists()


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name"),
    [("offices", "staff", "office"), ("offices", "staff", "user"), ("groups", "group", "office")],
)
def test_autocomplete_offers_only_the_scope(signed_in, office_tree, app_label, model_name, field_name):
    UserFactory(office=office_tree["s1"], username="south-user")
    UserFactory(office=office_tree["n1"], username="north-user")

    response = signed_in.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""},
    )

    assert response.status_code == 200
    names = {row["text"] for row in response.json()["results"]}
    assert names
    assert not names & {"South", "South One", "Head Office", str(User.objects.get(username="south-user"))}


def user_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "office": user.office_id,
        "groups": list(user.groups.values_list("pk", flat=True)),
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_a_scoped_admin_cannot_change_their_own_office_or_roles(signed_in, office_tree, region_admin):
    branch_staff = Group.objects.get(name=BRANCH_STAFF)

    signed_in.post(
        admin_url("user", "change", region_admin.pk),
        user_form(region_admin, office=office_tree["head"].pk, groups=[branch_staff.pk], is_superuser="on"),
    )

    region_admin.refresh_from_db()
    assert region_admin.office == office_tree["north"]
    assert list(region_admin.groups.values_list("name", flat=True)) == [HEAD_OFFICE_ADMIN]
    assert not region_admin.is_superuser


def test_a_scoped_admin_cannot_give_a_role_with_more_rights_than_their_own(signed_in, office_tree):
    bigger = Group.objects.create(name="Bigger")
    bigger.permissions.add(Permission.objects.get(codename="delete_user"))
    clerk = UserFactory(office=office_tree["n1"], roles=[BRANCH_STAFF])

    response = signed_in.post(admin_url("user", "change", clerk.pk), user_form(clerk, groups=[bigger.pk]))

    assert "groups" in response.context["adminform"].form.errors
    assert not clerk.groups.filter(pk=bigger.pk).exists()


def test_a_scoped_admin_cannot_change_a_user_with_more_rights(signed_in, office_tree):
    stronger = UserFactory(office=office_tree["n1"], roles=[HEAD_OFFICE_ADMIN])
    stronger.user_permissions.add(Permission.objects.get(codename="delete_user"))

    response = signed_in.post(
        admin_url("user", "change", stronger.pk), user_form(stronger, first_name="Changed")
    )

    assert response.status_code == 403
    stronger.refresh_from_db()
    assert stronger.first_name != "Changed"


def test_only_a_superuser_changes_a_superuser(client, office_tree):
    root = UserFactory(office=office_tree["head"], is_superuser=True, is_staff=True)
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))
    password_page = f"/admin/offices/user/{root.pk}/password/"

    refused = client.post(password_page, {"password1": "taken-Over-1234", "password2": "taken-Over-1234"})
    refused_change = client.post(admin_url("user", "change", root.pk), user_form(root, first_name="Changed"))

    assert refused.status_code == 403
    assert refused_change.status_code == 403
    root.refresh_from_db()
    assert not root.check_password("taken-Over-1234")
    assert root.first_name != "Changed"

    client.force_login(UserFactory(office=office_tree["head"], is_superuser=True, is_staff=True))
    allowed = client.post(password_page, {"password1": "taken-Over-1234", "password2": "taken-Over-1234"})
    assert allowed.status_code == 302
