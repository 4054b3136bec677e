import pytest
from django.contrib.auth.models import Group

from offices import roles
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
)

pytestmark = pytest.mark.django_db


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
