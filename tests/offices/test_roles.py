import importlib
from html import unescape

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation

from offices import roles
from offices.models import Role
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
)

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("offices.migrations.0006_roles_by_their_name")


def test_the_three_roles_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        roles.BRANCH_STAFF,
        roles.BRANCH_MANAGER,
        roles.HEAD_OFFICE_ADMIN,
    }


@pytest.mark.parametrize(
    "factory, permission, allowed",
    [
        (BranchStaffUserFactory, "offices.view_staff", True),
        (BranchStaffUserFactory, "offices.change_office", False),
        (BranchManagerUserFactory, "offices.view_office", True),
        (BranchManagerUserFactory, "offices.add_user", False),
        (HeadOfficeAdminUserFactory, "offices.add_office", True),
        (HeadOfficeAdminUserFactory, "offices.change_user", True),
    ],
)
def test_each_role_holds_its_permissions(factory, permission, allowed):
    assert factory().has_perm(permission) is allowed


# --- Roles in admin, by their own name ------------------------------------------------------------------


def test_admin_lists_roles_under_offices_not_groups_beside_the_clients_groups(client):
    client.force_login(HeadOfficeAdminUserFactory())

    index = client.get(reverse("admin:index")).content.decode()
    roles_page = client.get(reverse("admin:offices_role_changelist"))

    assert reverse("admin:offices_role_changelist") in index
    assert "/admin/auth/group/" not in index
    assert roles_page.status_code == 200
    assert roles.HEAD_OFFICE_ADMIN in roles_page.content.decode()


def test_the_user_form_offers_roles_by_their_names_in_the_admins_language(client):
    admin_user = HeadOfficeAdminUserFactory(language="fr")
    officer = BranchStaffUserFactory()
    client.force_login(admin_user)

    page = unescape(client.get(reverse("admin:offices_user_change", args=[officer.pk])).content.decode())

    assert '<label for="id_groups">Rôles' in page
    branch_staff = Group.objects.get(name=roles.BRANCH_STAFF)
    assert f'<option value="{branch_staff.pk}" selected>Personnel d\'agence</option>' in page
    assert "Branch staff" not in page


def test_the_user_list_filters_by_role_in_the_admins_language(client):
    client.force_login(HeadOfficeAdminUserFactory(language="fr"))

    page = client.get(reverse("admin:offices_user_changelist")).content.decode()

    assert "Par rôles" in page and "Administrateur du siège" in page


def test_a_role_head_office_adds_reads_as_it_was_written():
    assert str(Role.objects.create(name="Auditeur externe")) == "Auditeur externe"
    with translation.override("es"):
        assert str(Role.objects.get(name=roles.BRANCH_MANAGER)) != roles.BRANCH_MANAGER


def test_the_migration_moves_the_right_to_see_groups_to_roles():
    reader = Group.objects.create(name="Reader")
    reader.permissions.add(Permission.objects.get(content_type__app_label="auth", codename="view_group"))

    MIGRATION.move_to_roles(apps, None)

    assert set(reader.permissions.values_list("content_type__app_label", "codename")) == {
        ("offices", "view_role")
    }
