"""There is one head office: its users see every office, so a second office without a parent would give
a whole office (and its head-office admins the institution's rules) a view of everything."""

import datetime
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from offices.models import Office
from tests.offices.factories import HeadOfficeAdminUserFactory, OfficeFactory

pytestmark = pytest.mark.django_db

REFUSAL = "There is already a head office; choose a parent office."


def test_a_second_office_without_a_parent_is_refused_on_the_parent_field(head_office):
    second = Office(name="Second HO", code="HO2", opening_date=datetime.date(2020, 1, 1))

    with pytest.raises(ValidationError) as caught:
        second.full_clean()

    assert caught.value.message_dict == {"parent": [REFUSAL]}


def test_a_branch_cannot_lose_its_parent(office_tree):
    branch = office_tree["n1"]
    branch.parent = None

    with pytest.raises(ValidationError) as caught:
        branch.full_clean()

    assert caught.value.message_dict == {"parent": [REFUSAL]}


def test_the_head_office_itself_still_saves(head_office):
    head_office.name = "Main Office"

    head_office.full_clean()
    head_office.save()

    assert Office.objects.get(parent=None).name == "Main Office"


def test_the_first_office_of_a_new_installation_needs_no_parent(db):
    first = Office(name="Head Office", code="HO", opening_date=datetime.date(2020, 1, 1))

    first.full_clean()
    first.save()

    assert Office.objects.get(parent=None) == first


def test_admin_refuses_a_second_head_office_next_to_the_parent_field(client, head_office):
    client.force_login(HeadOfficeAdminUserFactory(office=head_office))

    response = client.post(
        reverse("admin:offices_office_add"),
        {"name": "Second HO", "code": "HO2", "parent": "", "opening_date": "2020-01-01"},
    )

    assert response.status_code == 200
    assert REFUSAL in unescape(response.content.decode())
    assert list(Office.objects.filter(parent=None)) == [head_office]


def test_admin_refuses_clearing_a_branchs_parent(client, office_tree):
    branch = office_tree["n1"]
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))

    response = client.post(
        reverse("admin:offices_office_change", args=[branch.pk]),
        {"name": branch.name, "code": branch.code, "parent": "", "opening_date": "2020-01-01"},
    )

    assert response.status_code == 200
    assert REFUSAL in unescape(response.content.decode())
    branch.refresh_from_db()
    assert branch.parent == office_tree["north"]


def test_the_database_refuses_a_second_head_office_that_skipped_the_checks(head_office):
    second = OfficeFactory.build(parent=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_the_database_refuses_a_branch_moved_to_the_top_behind_the_models_back(office_tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        Office.objects.filter(pk=office_tree["n1"].pk).update(parent=None)


def test_offices_below_one_parent_are_not_refused_by_the_database(office_tree):
    OfficeFactory(parent=office_tree["north"])

    assert office_tree["north"].children.count() == 3
