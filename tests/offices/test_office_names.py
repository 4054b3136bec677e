"""An office's name and code are its own whatever their case and surrounding spaces: "br01" beside
"BR01", or "riverside branch " beside "Riverside Branch", would be two offices no one tells apart."""

import datetime
import importlib
from html import unescape
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from offices.models import Office
from tests.offices.factories import HeadOfficeAdminUserFactory, OfficeFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("offices.migrations.0005_office_name_and_code_unique_ignoring_case")


@pytest.fixture
def riverside(head_office):
    return OfficeFactory(name="Riverside Branch", code="BR01", parent=head_office)


def test_a_name_or_code_in_another_case_with_spaces_is_refused_on_its_field(riverside, head_office):
    twin = Office(
        name="  riverside branch ", code=" br01", parent=head_office, opening_date=datetime.date(2020, 1, 1)
    )

    with pytest.raises(ValidationError) as caught:
        twin.full_clean()

    assert caught.value.message_dict == {
        "name": ["Another office is already called Riverside Branch."],
        "code": ["Riverside Branch already has the code BR01."],
    }


def test_admin_shows_the_refusal_next_to_the_fields(client, riverside, head_office):
    client.force_login(HeadOfficeAdminUserFactory(office=head_office))

    response = client.post(
        reverse("admin:offices_office_add"),
        {"name": "riverside branch", "code": "br01", "parent": head_office.pk, "opening_date": "2020-01-01"},
    )

    page = unescape(response.content.decode())
    assert "Another office is already called Riverside Branch." in page
    assert "Riverside Branch already has the code BR01." in page
    assert Office.objects.filter(code__iexact="br01").count() == 1


def test_an_office_may_change_the_case_of_its_own_name_and_code(riverside):
    riverside.name, riverside.code = "RIVERSIDE Branch", "br01"

    riverside.full_clean()
    riverside.save()

    riverside.refresh_from_db()
    assert (riverside.name, riverside.code) == ("RIVERSIDE Branch", "br01")


def test_name_and_code_are_saved_without_surrounding_spaces(head_office):
    office = OfficeFactory(name="  Lakeside \t", code=" BR03 ", parent=head_office)

    office.refresh_from_db()
    assert (office.name, office.code) == ("Lakeside", "BR03")


@pytest.mark.parametrize("field", ["name", "code"])
def test_the_database_refuses_a_twin_that_skipped_the_checks(riverside, head_office, field):
    twin = OfficeFactory.build(parent=head_office, **{field: getattr(riverside, field).lower()})

    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_the_migration_strips_and_numbers_later_namesakes(head_office, riverside):
    """Offices saved before the constraints: the oldest keeps the name or code, later ones a number."""
    with connection.cursor() as cursor:
        for index in ("offices_office_unique_name", "offices_office_unique_code"):
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(index)}")
    twin, spaced, taken = (OfficeFactory(parent=head_office) for _ in range(3))
    Office.objects.filter(pk=twin.pk).update(name="riverside branch", code="br01")
    Office.objects.filter(pk=spaced.pk).update(name=" Riverside Branch ", code="BR01 ")
    Office.objects.filter(pk=taken.pk).update(name="Riverside Branch (2)", code="BR01-2")

    MIGRATION.make_names_and_codes_unique(
        apps, SimpleNamespace(connection=connection, execute=lambda sql: None)
    )

    offices = {office.pk: (office.name, office.code) for office in Office.objects.exclude(pk=head_office.pk)}
    assert offices == {
        riverside.pk: ("Riverside Branch", "BR01"),
        twin.pk: ("riverside branch (3)", "br01-3"),
        spaced.pk: ("Riverside Branch (4)", "BR01-4"),
        taken.pk: ("Riverside Branch (2)", "BR01-2"),
    }


def test_the_parent_offices_opening_date_reads_as_the_pages_write_it(head_office):
    parent = OfficeFactory(parent=head_office, opening_date=datetime.date(2021, 5, 3))
    early = Office(name="Hillside", code="BR77", parent=parent, opening_date=datetime.date(2021, 5, 1))

    with pytest.raises(ValidationError) as caught:
        early.full_clean()

    assert caught.value.message_dict["opening_date"] == [
        "An office cannot open before its parent office (03/05/2021)."
    ]
