"""A client's identifications stay consistent whichever way they are changed (page, admin, import):
one active document of a type, an expired one shown as expired, and a client still served never
left without the identification registration required."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from clients import registration
from clients.choices import ClientStatus
from clients.imports import ClientImporter
from clients.models import Identification
from mifos.versioning import current_version
from tests.clients.factories import (
    ActiveClientFactory,
    ClientFactory,
    IdentificationFactory,
    IdentificationTypeFactory,
)
from tests.clients.pages import form_on
from tests.clients.test_import import csv_file
from tests.offices.factories import BranchManagerUserFactory, HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(office_tree):
    return BranchManagerUserFactory(office=office_tree["n1"])


@pytest.fixture
def passport(db):
    return IdentificationTypeFactory(name="Passport", is_unique=True)


@pytest.fixture
def national_id(db):
    return IdentificationTypeFactory(name="National ID", is_required=True, is_unique=True)


@pytest.fixture
def holder(office_tree):
    return ActiveClientFactory(office=office_tree["n1"], first_name="Wanjiru", last_name="Kamau")


def page(response):
    return response.content.decode()


# --- One active document of a type ------------------------------------------------------------------


def test_a_second_active_passport_is_refused_naming_the_one_held(client, manager, holder, passport):
    IdentificationFactory(client=holder, document_type=passport, number="P1234567")
    client.force_login(manager)

    refused = client.post(
        reverse("clients:identification_add", args=[holder.pk]),
        {"document_type": passport.pk, "number": "P7654321", "is_active": "on"},
    )

    assert refused.status_code == 200
    assert refused.context["form"].errors["is_active"] == [
        "This client already holds an active Passport (P1234567). Mark that one inactive first, "
        "or record this one as inactive."
    ]
    assert holder.identifications.count() == 1


def test_a_renewal_is_recorded_once_the_old_one_is_inactive(client, manager, holder, passport):
    old = IdentificationFactory(client=holder, document_type=passport, number="P1234567")
    client.force_login(manager)
    edit = reverse("clients:identification_edit", args=[holder.pk, old.pk])
    client.post(edit, {**form_on(client.get(edit)), "is_active": ""})

    added = client.post(
        reverse("clients:identification_add", args=[holder.pk]),
        {"document_type": passport.pk, "number": "P7654321", "is_active": "on"},
    )

    assert added.status_code == 302
    assert sorted(holder.identifications.values_list("number", "is_active")) == [
        ("P1234567", False),
        ("P7654321", True),
    ]


def test_the_service_and_the_database_refuse_two_active_documents_of_a_type(manager, holder, passport):
    IdentificationFactory(client=holder, document_type=passport, number="P1")

    with pytest.raises(ValidationError) as refused:
        registration.save_identification(
            Identification(client=holder, document_type=passport, number="P2"), by=manager
        )
    assert "already holds an active Passport (P1)" in refused.value.message_dict["is_active"][0]

    with pytest.raises(IntegrityError), transaction.atomic():
        IdentificationFactory(client=holder, document_type=passport, number="P3")


def test_registration_refuses_two_active_documents_of_a_type(manager, office_tree, passport):
    client = ClientFactory.build(office=office_tree["n1"], account_no="", status=ClientStatus.PENDING)

    with pytest.raises(ValidationError) as refused:
        registration.register_client(
            client,
            by=manager,
            identifications=[
                Identification(document_type=passport, number="P1"),
                Identification(document_type=passport, number="P2"),
            ],
        )

    assert "already holds an active Passport (P1)" in refused.value.message_dict["is_active"][0]
    assert not Identification.objects.exists()


def test_an_imported_row_with_two_active_documents_of_a_type_is_an_error_on_its_line(office_tree, passport):
    header = [
        "First name",
        "Last name",
        "Gender",
        "Date of birth",
        "Identification 1: type",
        "Identification 1: number",
        "Identification 2: type",
        "Identification 2: number",
    ]
    row = ["Ana", "Pérez", "female", "1990-04-12", "Passport", "P1", "Passport", "P2"]

    result = ClientImporter(by=HeadOfficeAdminUserFactory(), office=office_tree["n1"]).import_file(
        csv_file([row], header=header), "clients.csv"
    )

    assert [(error.line, error.column) for error in result.errors] == [(2, "Identification 2: type")]
    assert "already holds an active Passport (P1)" in result.errors[0].message
    assert not Identification.objects.exists()


# --- Expired documents ------------------------------------------------------------------------------


def test_a_passport_that_expired_is_listed_as_expired_not_active(client, manager, holder, passport):
    client.force_login(manager)

    saved = client.post(
        reverse("clients:identification_add", args=[holder.pk]),
        {
            "document_type": passport.pk,
            "number": "P1234567",
            "issue_date": "2011-03-01",
            "expiry_date": "2021-03-01",
            "is_active": "on",
        },
    )

    assert saved.status_code == 302  # an old document may be kept on record
    listed = page(client.get(reverse("clients:client_identifications", args=[holder.pk])))
    assert '<td><span class="badge pending">Expired</span></td>' in listed
    assert '<td><span class="badge active">Active</span></td>' not in listed


def test_a_document_is_active_until_its_expiry_date_has_passed(holder, passport):
    today = datetime.date.today()
    current = IdentificationFactory.build(client=holder, document_type=passport, expiry_date=today)
    lapsed = IdentificationFactory.build(
        client=holder, document_type=passport, expiry_date=today - datetime.timedelta(days=1)
    )
    inactive = IdentificationFactory.build(client=holder, document_type=passport, is_active=False)

    assert [current.get_status_display(), lapsed.get_status_display(), inactive.get_status_display()] == [
        "Active",
        "Expired",
        "Inactive",
    ]


# --- The identification registration required -------------------------------------------------------


def delete_url(identification):
    return reverse("clients:identification_delete", args=[identification.client_id, identification.pk])


def test_the_only_national_id_of_an_active_client_is_not_removed(client, manager, holder, national_id):
    only = IdentificationFactory(client=holder, document_type=national_id, number="10000001A")
    client.force_login(manager)

    refused = client.post(delete_url(only), form_on(client.get(delete_url(only))))

    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        "This is the client's last National ID, which every client must hold: add the new one first, "
        "then remove or change this one."
    ]
    assert Identification.objects.filter(pk=only.pk).exists()


def test_an_old_national_id_is_removed_when_the_client_holds_another(client, manager, holder, national_id):
    old = IdentificationFactory(client=holder, document_type=national_id, number="1", is_active=False)
    IdentificationFactory(client=holder, document_type=national_id, number="2")
    client.force_login(manager)

    removed = client.post(delete_url(old), form_on(client.get(delete_url(old))))

    assert removed.status_code == 302
    assert list(holder.identifications.values_list("number", flat=True)) == ["2"]


@pytest.mark.parametrize("status", [ClientStatus.CLOSED, ClientStatus.REJECTED, ClientStatus.WITHDRAWN])
def test_a_client_no_longer_served_may_lose_its_national_id(manager, office_tree, national_id, status):
    former = ClientFactory(office=office_tree["n1"], status=status)
    only = IdentificationFactory(client=former, document_type=national_id)

    registration.delete_part(only, by=manager)

    assert not Identification.objects.filter(pk=only.pk).exists()


def test_the_last_national_id_is_not_changed_into_another_type(manager, holder, national_id, passport):
    only = IdentificationFactory(client=holder, document_type=national_id, number="10000001A")
    only.document_type = passport

    with pytest.raises(ValidationError, match="last National ID"):
        registration.save_identification(only, by=manager)
    assert Identification.objects.get(pk=only.pk).document_type == national_id


def test_the_last_national_id_may_be_marked_inactive(manager, holder, national_id):
    """A lost card: the client stays identified on record until the new one is added."""
    only = IdentificationFactory(client=holder, document_type=national_id)
    only.is_active = False

    registration.save_identification(only, by=manager)

    assert not Identification.objects.get(pk=only.pk).is_active


# --- Admin ----------------------------------------------------------------------------------------------


def admin_line(identification, **changes):
    line = {
        "id": identification.pk,
        "client": identification.client_id,
        "document_type": identification.document_type_id,
        "number": identification.number,
        "version": current_version(identification),
        **({"is_active": "on"} if identification.is_active else {}),
    }
    return {**line, **changes}


def admin_post(client, holder, lines, initial):
    data = {
        "first_name": holder.first_name,
        "last_name": holder.last_name,
        "gender": holder.gender,
        "date_of_birth": holder.date_of_birth.isoformat(),
        "version": current_version(holder),
        "identifications-TOTAL_FORMS": str(len(lines)),
        "identifications-INITIAL_FORMS": str(initial),
        "family_members-TOTAL_FORMS": "0",
        "family_members-INITIAL_FORMS": "0",
    }
    for index, line in enumerate(lines):
        data.update({f"identifications-{index}-{key}": value for key, value in line.items()})
    return client.post(reverse("admin:clients_client_change", args=[holder.pk]), data)


@pytest.fixture
def admin_client(client, office_tree):
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))
    return client


def test_admin_refuses_removing_the_only_national_id(admin_client, holder, national_id):
    only = IdentificationFactory(client=holder, document_type=national_id)

    refused = admin_post(admin_client, holder, [admin_line(only, DELETE="on")], initial=1)

    assert refused.status_code == 200
    assert "last National ID, which every client must hold" in page(refused)
    assert Identification.objects.filter(pk=only.pk).exists()


def test_admin_replaces_a_national_id_in_one_save(admin_client, holder, national_id):
    old = IdentificationFactory(client=holder, document_type=national_id, number="10000001A")
    new = {"document_type": national_id.pk, "number": "10000002B", "is_active": "on"}

    saved = admin_post(admin_client, holder, [admin_line(old, DELETE="on"), new], initial=1)

    assert saved.status_code == 302
    assert list(holder.identifications.values_list("number", "is_active")) == [("10000002B", True)]


def test_admin_swaps_which_passport_is_active_in_one_save(admin_client, holder, passport):
    renewal = IdentificationFactory(client=holder, document_type=passport, number="P2", is_active=False)
    old = IdentificationFactory(client=holder, document_type=passport, number="P1")

    saved = admin_post(
        admin_client,
        holder,
        [admin_line(renewal, is_active="on"), {**admin_line(old), "is_active": ""}],
        initial=2,
    )

    assert saved.status_code == 302
    assert sorted(holder.identifications.values_list("number", "is_active")) == [("P1", False), ("P2", True)]


def test_admin_refuses_two_active_passports(admin_client, holder, passport):
    old = IdentificationFactory(client=holder, document_type=passport, number="P1")
    new = {"document_type": passport.pk, "number": "P2", "is_active": "on"}

    refused = admin_post(admin_client, holder, [admin_line(old), new], initial=1)

    assert refused.status_code == 200
    assert "already holds an active Passport (P1)" in page(refused)
    assert holder.identifications.count() == 1
