import pytest

from offices.forms import OfficeChoiceField, OfficerChoiceField
from offices.models import Office, Staff
from tests.offices.factories import (
    BranchManagerUserFactory,
    HeadOfficeAdminUserFactory,
    OfficeFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def labels(field):
    return [label for _value, label in field.choices][1:]  # after the empty choice


def test_offices_read_as_a_tree_with_sister_offices_by_name(office_tree):
    alpha = OfficeFactory(name="Alpha", parent=office_tree["head"])
    OfficeFactory(name="Zulu", parent=alpha)
    OfficeFactory(name="Beta", parent=alpha)  # opened after Zulu: a larger id

    field = OfficeChoiceField(queryset=Office.objects.all())

    assert labels(field) == [
        "Head Office",
        "\u00a0\u00a0Alpha",
        "\u00a0\u00a0\u00a0\u00a0Beta",
        "\u00a0\u00a0\u00a0\u00a0Zulu",
        "\u00a0\u00a0North",
        "\u00a0\u00a0\u00a0\u00a0North One",
        "\u00a0\u00a0\u00a0\u00a0North Two",
        "\u00a0\u00a0South",
        "\u00a0\u00a0\u00a0\u00a0South One",
    ]


def test_a_regions_offices_are_indented_from_the_region_not_from_the_head_office(office_tree):
    user = BranchManagerUserFactory(office=office_tree["north"])

    field = OfficeChoiceField(queryset=Office.objects.visible_to(user))

    assert labels(field) == ["North", "\u00a0\u00a0North One", "\u00a0\u00a0North Two"]


def test_an_officer_is_listed_with_their_office_and_chosen_by_id(office_tree):
    officer = StaffFactory(office=office_tree["n1"], first_name="Grace", last_name="Achieng")
    field = OfficerChoiceField(queryset=Staff.objects.all())

    assert labels(field) == ["Grace Achieng (North One)"]
    assert field.clean(str(officer.pk)) == officer
    assert f'value="{officer.pk}"' in field.widget.render("staff", None)


def test_a_user_may_give_a_client_to_officers_of_their_offices_and_of_the_offices_above(office_tree):
    own = StaffFactory(office=office_tree["n1"])
    regional = StaffFactory(office=office_tree["north"])
    head = StaffFactory(office=office_tree["head"])
    sister = StaffFactory(office=office_tree["n2"])
    StaffFactory(office=office_tree["n1"], is_credit_officer=False)
    StaffFactory(office=office_tree["n1"], is_active=False)

    assert set(Staff.objects.available_to(BranchManagerUserFactory(office=office_tree["n1"]))) == {
        own,
        regional,
        head,
    }
    assert set(Staff.objects.available_to(HeadOfficeAdminUserFactory(office=office_tree["head"]))) == {
        own,
        regional,
        head,
        sister,
    }
