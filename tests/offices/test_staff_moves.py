"""A credit officer moves to another office only once no client or group they look after would be
left outside it: otherwise the branch that keeps those clients could no longer hand them over."""

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients import lifecycle
from clients.choices import ClientStatus
from groups.choices import GroupStatus
from mifos.today import today
from offices.models import Staff
from tests.clients.factories import ActiveClientFactory, ClientFactory
from tests.groups.factories import ActiveGroupFactory, GroupFactory
from tests.offices.factories import BranchManagerUserFactory, HeadOfficeAdminUserFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def samuel(office_tree):
    return StaffFactory(first_name="Samuel", last_name="Okello", office=office_tree["n1"])


def staff_form(staff, office):
    return {
        "first_name": staff.first_name,
        "last_name": staff.last_name,
        "office": office.pk,
        "is_credit_officer": "on",
        "is_active": "on",
        "phone": "",
        "email": "",
        "joining_date": staff.joining_date.isoformat(),
        "external_id": "",
        "user": "",
    }


def test_admin_refuses_moving_an_officer_whose_clients_stay_behind_and_says_where_to_hand_them_over(
    client, office_tree, samuel
):
    ActiveClientFactory.create_batch(2, office=office_tree["n1"], staff=samuel)
    ClientFactory(office=office_tree["n1"], staff=samuel)  # pending
    ActiveGroupFactory(office=office_tree["n1"], staff=samuel)
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))

    response = client.post(
        reverse("admin:offices_staff_change", args=[samuel.pk]), staff_form(samuel, office_tree["n2"])
    )

    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert (
        "Samuel Okello still looks after 3 clients of North One, which North Two does not cover: "
        "hand them to another credit officer first, on the page Reassign officers."
    ) in page
    assert (
        "Samuel Okello still looks after 1 group or center of North One, which North Two does not cover: "
        "give it another credit officer first (Change credit officer, on its page)."
    ) in page
    assert Staff.objects.get(pk=samuel.pk).office == office_tree["n1"]


def test_every_path_that_saves_refuses_the_move(office_tree, samuel):
    ActiveClientFactory(office=office_tree["n1"], staff=samuel)
    samuel.office = office_tree["s1"]

    with pytest.raises(ValidationError) as cleaned:
        samuel.full_clean()
    with pytest.raises(ValidationError) as saved:
        samuel.save()

    assert "1 client of North One" in cleaned.value.message_dict["office"][0]
    assert saved.value.message_dict == cleaned.value.message_dict
    assert Staff.objects.get(pk=samuel.pk).office == office_tree["n1"]


def test_the_move_is_refused_too_for_a_staff_member_read_afresh(office_tree, samuel):
    GroupFactory(office=office_tree["n1"], staff=samuel)
    staff = Staff.objects.get(pk=samuel.pk)
    staff.office = office_tree["n2"]

    with pytest.raises(ValidationError, match="1 group or center of North One"):
        staff.save()


def test_an_officer_moves_up_to_an_office_that_still_covers_their_clients(office_tree, samuel):
    ActiveClientFactory(office=office_tree["n1"], staff=samuel)
    samuel.office = office_tree["north"]

    samuel.full_clean()
    samuel.save()

    assert Staff.objects.get(pk=samuel.pk).office == office_tree["north"]


def test_clients_and_groups_that_no_longer_need_an_officer_do_not_hold_a_move(office_tree, samuel):
    ActiveClientFactory(office=office_tree["n1"], staff=samuel, status=ClientStatus.CLOSED)
    GroupFactory(office=office_tree["n1"], staff=samuel, status=GroupStatus.CLOSED)
    samuel.office = office_tree["n2"]

    samuel.full_clean()
    samuel.save()

    assert Staff.objects.get(pk=samuel.pk).office == office_tree["n2"]


def test_once_the_branch_has_handed_over_the_clients_the_officer_moves(client, office_tree, samuel):
    ActiveClientFactory.create_batch(2, office=office_tree["n1"], staff=samuel)
    colleague = StaffFactory(office=office_tree["n1"])
    manager = BranchManagerUserFactory(office=office_tree["n1"])
    client.force_login(manager)
    listed = client.get(reverse("clients:officer_reassign")).context["form"].fields["from_staff"].queryset
    assert samuel in listed

    lifecycle.reassign_officer_clients(samuel, colleague, on=today(), by=manager)
    samuel.office = office_tree["n2"]
    samuel.full_clean()
    samuel.save()

    assert Staff.objects.get(pk=samuel.pk).office == office_tree["n2"]
