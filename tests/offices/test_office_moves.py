"""An office moves to another parent only when every client and group of its tree keeps a credit officer
who may serve them: one of their office or of an office above it, as when a credit officer moves."""

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients.choices import ClientStatus
from offices.models import Office
from tests.clients.factories import ActiveClientFactory, ClientFactory
from tests.groups.factories import ActiveGroupFactory
from tests.offices.factories import HeadOfficeAdminUserFactory, OfficeFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rose(office_tree):
    """A credit officer of the North region, who may serve clients of its branches."""
    return StaffFactory(first_name="Rose", last_name="Regional", office=office_tree["north"])


def moved(office, parent):
    office = Office.objects.get(pk=office.pk)
    office.parent = parent
    return office


def test_moving_a_branch_away_from_its_clients_regional_officer_is_refused(office_tree, rose):
    ActiveClientFactory(office=office_tree["n1"], staff=rose)
    ClientFactory(office=office_tree["n1"], staff=rose)  # pending
    ActiveGroupFactory(office=office_tree["n1"], staff=rose)
    branch = moved(office_tree["n1"], office_tree["south"])

    with pytest.raises(ValidationError) as caught:
        branch.full_clean()

    assert caught.value.message_dict == {
        "parent": [
            "Rose Regional still looks after 2 clients of North One, which North does not cover: "
            "hand them to another credit officer first, on the page Reassign officers.",
            "Rose Regional still looks after 1 group or center of North One, which North does not cover: "
            "give it another credit officer first (Change credit officer, on its page).",
        ]
    }


def test_every_path_that_saves_refuses_the_move(office_tree, rose):
    ActiveClientFactory(office=office_tree["n1"], staff=rose)
    branch = moved(office_tree["n1"], office_tree["south"])

    with pytest.raises(ValidationError) as saved:
        branch.save()

    assert "1 client of North One" in saved.value.message_dict["parent"][0]
    assert Office.objects.get(pk=branch.pk).parent == office_tree["north"]
    assert Office.objects.get(pk=branch.pk).path == office_tree["n1"].path


def test_admin_shows_the_refusal_next_to_the_parent_office(client, office_tree, rose):
    ActiveClientFactory(office=office_tree["n1"], staff=rose)
    branch = office_tree["n1"]
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))

    response = client.post(
        reverse("admin:offices_office_change", args=[branch.pk]),
        {
            "name": branch.name,
            "code": branch.code,
            "parent": office_tree["south"].pk,
            "opening_date": "2020-01-01",
        },
    )

    assert response.status_code == 200
    assert "Rose Regional still looks after 1 client of North One, which North does not cover" in unescape(
        response.content.decode()
    )
    assert Office.objects.get(pk=branch.pk).parent == office_tree["north"]


def test_clients_of_offices_below_the_moved_one_count_too(office_tree, rose):
    area = OfficeFactory(name="North Area", code="NA", parent=office_tree["north"])
    village = OfficeFactory(name="Village", code="V1", parent=area)
    ActiveClientFactory(office=village, staff=rose)

    with pytest.raises(ValidationError) as caught:
        moved(area, office_tree["south"]).full_clean()

    assert "1 client of Village, which North does not cover" in caught.value.message_dict["parent"][0]


@pytest.mark.parametrize("officer_office", ["n1", "head"])
def test_officers_who_still_cover_the_clients_let_the_office_move(office_tree, officer_office):
    """The branch's own officer moves with it; head office's covers every office."""
    officer = StaffFactory(office=office_tree[officer_office])
    ActiveClientFactory(office=office_tree["n1"], staff=officer)
    ActiveGroupFactory(office=office_tree["n1"], staff=officer)
    branch = moved(office_tree["n1"], office_tree["south"])

    branch.full_clean()
    branch.save()

    assert Office.objects.get(pk=branch.pk).path.startswith(office_tree["south"].path)


def test_a_region_moves_with_its_own_officer(office_tree, rose):
    ActiveClientFactory(office=office_tree["n1"], staff=rose)
    region = moved(office_tree["north"], office_tree["south"])

    region.full_clean()
    region.save()

    assert Office.objects.get(pk=office_tree["n1"].pk).path.startswith(office_tree["south"].path)


def test_closed_clients_do_not_hold_the_move(office_tree, rose):
    ClientFactory(office=office_tree["n1"], staff=rose, status=ClientStatus.CLOSED)
    branch = moved(office_tree["n1"], office_tree["south"])

    branch.full_clean()
    branch.save()

    assert Office.objects.get(pk=branch.pk).parent == office_tree["south"]
