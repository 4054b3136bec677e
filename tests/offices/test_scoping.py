import pytest

from offices.models import Office, Staff
from tests.offices.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_branch_user_never_sees_a_sibling_branchs_staff(office_tree):
    mine = StaffFactory(office=office_tree["n1"])
    StaffFactory(office=office_tree["n2"])
    user = UserFactory(office=office_tree["n1"])

    assert list(Staff.objects.visible_to(user)) == [mine]


def test_a_region_user_sees_its_branches_but_not_the_other_region(office_tree):
    in_region = {StaffFactory(office=office_tree[key]) for key in ("north", "n1", "n2")}
    StaffFactory(office=office_tree["s1"])
    user = UserFactory(office=office_tree["north"])

    assert set(Staff.objects.visible_to(user)) == in_region


def test_head_office_sees_every_office(office_tree):
    user = UserFactory(office=office_tree["head"])

    assert Office.objects.visible_to(user).count() == len(office_tree)


def test_a_user_without_office_or_signed_out_sees_nothing(office_tree):
    from django.contrib.auth.models import AnonymousUser

    StaffFactory(office=office_tree["n1"])

    assert not Staff.objects.visible_to(UserFactory(office=None)).exists()
    assert not Staff.objects.visible_to(AnonymousUser()).exists()


def test_offices_visible_to_a_region_are_the_region_and_its_branches(office_tree):
    user = UserFactory(office=office_tree["north"])

    assert {o.code for o in Office.objects.visible_to(user)} == {"N", "N1", "N2"}


def test_moving_an_office_moves_its_branches_with_it(office_tree):
    north = office_tree["north"]
    north.parent = office_tree["south"]
    north.save()

    n1 = Office.objects.get(code="N1")
    assert n1.is_within(office_tree["south"])
    user = UserFactory(office=office_tree["south"])
    assert {o.code for o in Office.objects.visible_to(user)} == {"S", "S1", "N", "N1", "N2"}


def test_an_office_cannot_be_placed_below_itself(office_tree):
    from django.core.exceptions import ValidationError

    north = office_tree["north"]
    north.parent = office_tree["n1"]
    with pytest.raises(ValidationError) as excinfo:
        north.full_clean()
    assert "below itself" in str(excinfo.value)


def test_credit_officers_serving_a_branch_include_those_above_it(office_tree):
    branch_officer = StaffFactory(office=office_tree["n1"])
    region_officer = StaffFactory(office=office_tree["north"])
    StaffFactory(office=office_tree["n2"])
    StaffFactory(office=office_tree["n1"], is_active=False)
    StaffFactory(office=office_tree["n1"], is_credit_officer=False)

    assert set(Staff.objects.serving(office_tree["n1"])) == {branch_officer, region_officer}
