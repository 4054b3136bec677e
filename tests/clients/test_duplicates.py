"""One client is registered once, by the form, the admin and the import alike.

A person's unique identification number and a business's registration number (however it is
written) belong to one client: registering another with it is refused, naming the holder; a
business with the name of another is a possible duplicate to confirm, as a person with the name
and date of birth of another is. The import skips a row that is the client already registered
(a file may be uploaded again) and refuses one whose number belongs to someone else.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from clients import registration
from clients.choices import LegalForm
from clients.demo_clients import generated_clients
from clients.imports import ClientImporter
from clients.models import Client
from mifos.versioning import current_version
from tests.clients.factories import (
    ClientFactory,
    CorporateClientFactory,
    IdentificationFactory,
    IdentificationTypeFactory,
)
from tests.clients.test_import import csv_file
from tests.offices.factories import BranchStaffUserFactory, HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


@pytest.fixture
def national_id(db):
    return IdentificationTypeFactory(
        name="National ID", format_regex="^[0-9]{8}[A-Z]$", format_example="8 digits and a letter"
    )


@pytest.fixture
def wanjiru(office_tree, national_id):
    client = ClientFactory(
        office=office_tree["n1"],
        first_name="Wanjiru",
        last_name="Kamau",
        date_of_birth=datetime.date(1986, 4, 12),
        account_no="N1-000001",
    )
    IdentificationFactory(client=client, document_type=national_id, number="10000001A")
    return client


@pytest.fixture
def acme(office_tree):
    return CorporateClientFactory(
        office=office_tree["n1"],
        business_name="Acme Traders",
        registration_number="COOP-2019-0042",
        account_no="N1-000002",
    )


def business_data(office, **fields):
    return {
        "office": office.pk,
        "submitted_on": timezone.localdate().isoformat(),
        "business_name": "Umoja Traders",
        "registration_number": "RC-1",
        **fields,
    }


def register_business(client, office, **fields):
    return client.post(reverse("clients:client_create", args=["corporate"]), business_data(office, **fields))


# --- Businesses on the form -----------------------------------------------------------------------------


def test_a_registration_number_of_another_business_is_refused_however_written(
    client, office_tree, officer, acme
):
    client.force_login(officer)

    refused = register_business(client, office_tree["n1"], registration_number="coop 2019 0042")

    assert refused.status_code == 200
    assert refused.context["form"].errors["registration_number"] == [
        "This registration number already belongs to Acme Traders (N1-000002)."
    ]
    assert Client.objects.filter(legal_form=LegalForm.CORPORATE).count() == 1


def test_the_holder_in_another_office_is_not_named(client, office_tree, acme):
    client.force_login(BranchStaffUserFactory(office=office_tree["s1"]))

    refused = register_business(client, office_tree["s1"], registration_number="COOP/2019/0042")

    assert refused.context["form"].errors["registration_number"] == [
        "This registration number already belongs to another client."
    ]


def test_a_business_with_the_name_of_another_is_saved_only_once_confirmed(client, office_tree, officer, acme):
    client.force_login(officer)

    warned = register_business(client, office_tree["n1"], business_name="ACME  traders")

    assert warned.status_code == 200
    [duplicate] = warned.context["form"].duplicates
    assert duplicate.message == "Acme Traders (N1-000002) has the same business name."
    assert Client.objects.count() == 1

    confirmed = register_business(
        client, office_tree["n1"], business_name="ACME  traders", confirm_duplicates="on"
    )

    assert confirmed.status_code == 302
    assert Client.objects.filter(search_name="acme traders").count() == 2


def test_a_person_named_like_a_business_is_no_duplicate_of_it(officer, office_tree, acme):
    person = ClientFactory.build(office=office_tree["n1"], first_name="Acme", last_name="Traders")

    assert registration.possible_duplicates(person, by=officer) == []


def test_editing_a_business_into_another_ones_number_is_refused(client, office_tree, officer, acme):
    other = CorporateClientFactory(
        office=office_tree["n1"], business_name="Umoja", registration_number="RC-9"
    )
    client.force_login(officer)
    url = reverse("clients:client_edit", args=[other.pk])

    refused = client.post(
        url,
        {
            "business_name": "Umoja",
            "registration_number": "Coop-2019-0042",
            "version": current_version(other),
        },
    )

    assert refused.status_code == 200
    assert "already belongs to Acme Traders" in refused.content.decode()
    other.refresh_from_db()
    assert other.registration_number == "RC-9"


def test_the_service_refuses_the_number_whatever_calls_it(officer, office_tree, acme):
    business = CorporateClientFactory.build(
        office=office_tree["n1"], registration_number=" coop.2019.0042 ", account_no="", status=""
    )

    with pytest.raises(ValidationError) as refused:
        registration.register_client(business, by=officer)

    assert "registration_number" in refused.value.message_dict
    assert Client.objects.count() == 1


def test_two_businesses_that_shared_a_number_before_the_check_stay_editable(officer, office_tree, acme):
    twin = CorporateClientFactory(office=office_tree["n1"], registration_number="COOP 2019 0042")
    twin.city = "Kisumu"

    registration.update_client(twin, by=officer)

    assert Client.objects.get(pk=twin.pk).city == "Kisumu"


def test_admin_refuses_a_registration_number_of_another_business(client, office_tree, acme):
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))

    refused = client.post(
        reverse("admin:clients_client_add"),
        {
            "legal_form": "corporate",
            "office": office_tree["n1"].pk,
            "submitted_on": "2025-03-01",
            "business_name": "Acme Traders Two",
            "registration_number": "coop-2019-0042",
            "identifications-TOTAL_FORMS": "0",
            "identifications-INITIAL_FORMS": "0",
            "family_members-TOTAL_FORMS": "0",
            "family_members-INITIAL_FORMS": "0",
        },
    )

    assert refused.status_code == 200
    assert "This registration number already belongs to Acme Traders (N1-000002)." in refused.content.decode()
    assert Client.objects.count() == 1


# --- The import --------------------------------------------------------------------------------------------

PERSON = ["External id", "First name", "Last name", "Gender", "Date of birth"]
IDS = ["Identification 1: type", "Identification 1: number"]
BUSINESS = ["Legal form", "Business name", "Registration number"]


def import_file(user, office, rows, header):
    return ClientImporter(by=user, office=office).import_file(csv_file(rows, header=header), "clients.csv")


def errors_of(result):
    return [(error.line, error.column, error.message) for error in result.errors]


def test_a_different_person_with_a_registered_national_id_is_an_error_on_its_line(
    office_tree, officer, wanjiru
):
    rows = [
        ["EXT-1", "Ana", "Pérez", "female", "1990-04-12", "", ""],
        ["EXT-2", "Dup", "Id", "male", "1990-01-01", "National ID", "10000001A"],
    ]

    result = import_file(officer, office_tree["n1"], rows, [*PERSON, *IDS])

    assert (result.created, result.skipped, result.refused) == (1, 0, 1)
    assert errors_of(result) == [
        (
            3,
            "Identification 1: number",
            "This National ID number already belongs to Wanjiru Kamau (N1-000001).",
        )
    ]
    assert not Client.objects.filter(last_name="Id").exists()


def test_the_holder_of_a_number_is_named_only_to_who_may_see_it(office_tree, wanjiru):
    south = BranchStaffUserFactory(office=office_tree["s1"])
    rows = [["", "Dup", "Id", "male", "1990-01-01", "National ID", "1000-0001-a"]]

    result = import_file(south, office_tree["s1"], rows, [*PERSON, *IDS])

    assert [error.message for error in result.errors] == [
        "This National ID number already belongs to another client."
    ]


def test_the_same_person_without_an_external_id_is_skipped(office_tree, officer, wanjiru):
    rows = [["", "WANJIRU", "Kamau", "female", "1986-04-12", "National ID", "10000001-A"]]

    result = import_file(officer, office_tree["n1"], rows, [*PERSON, *IDS])

    assert (result.created, result.skipped, result.refused) == (0, 1, 0)


def test_a_row_of_a_registered_external_id_with_another_clients_number_is_an_error(
    office_tree, officer, wanjiru
):
    ClientFactory(office=office_tree["n1"], external_id="EXT-7", first_name="Ben", last_name="Okello")
    rows = [["EXT-7", "Ben", "Okello", "male", "1985-05-17", "National ID", "10000001A"]]

    result = import_file(officer, office_tree["n1"], rows, [*PERSON, *IDS])

    assert errors_of(result) == [
        (
            2,
            "Identification 1: number",
            "This National ID number already belongs to Wanjiru Kamau (N1-000001).",
        )
    ]


def test_a_row_with_a_differing_external_id_is_not_the_same_person(office_tree, officer, wanjiru):
    Client.objects.filter(pk=wanjiru.pk).update(external_id="CRM-1")
    rows = [["CRM-2", "Wanjiru", "Kamau", "female", "1986-04-12", "National ID", "10000001A"]]

    result = import_file(officer, office_tree["n1"], rows, [*PERSON, *IDS])

    assert result.refused == 1
    assert "already belongs to Wanjiru Kamau" in result.errors[0].message


def test_a_file_of_people_is_uploaded_again_without_duplicates_or_errors(office_tree, officer, national_id):
    rows = [
        ["EXT-1", "Ana", "Pérez", "female", "1990-04-12", "National ID", "20000001B"],
        ["", "Ben", "Okello", "male", "1985-01-30", "National ID", "20000002C"],
    ]
    import_file(officer, office_tree["n1"], rows, [*PERSON, *IDS])

    again = import_file(officer, office_tree["n1"], rows, [*PERSON, *IDS])

    assert (again.created, again.skipped, again.refused) == (0, 2, 0)
    assert Client.objects.count() == 2


def test_a_business_file_without_external_id_imported_twice_registers_it_once(office_tree, officer):
    rows = [["Corporate", "Umoja Traders", "COOP-2020-0001"]]
    first = import_file(officer, office_tree["n1"], rows, BUSINESS)

    again = import_file(
        officer, office_tree["n1"], [["corporate", "UMOJA traders", "coop 2020 0001"]], BUSINESS
    )

    assert first.created == 1
    assert (again.created, again.skipped, again.refused) == (0, 1, 0)
    assert Client.objects.get().registration_number_normalized == "COOP20200001"


def test_an_imported_business_with_another_ones_registration_number_is_an_error(office_tree, officer, acme):
    result = import_file(officer, office_tree["n1"], [["Corporate", "Other Co", "coop/2019/0042"]], BUSINESS)

    assert errors_of(result) == [
        (2, "Registration number", "This registration number already belongs to Acme Traders (N1-000002).")
    ]


def test_one_registration_number_twice_in_a_file_is_an_error_on_the_second_line(office_tree, officer):
    rows = [["Corporate", "Umoja Traders", "RC-1"], ["Corporate", "Umoja Two", "rc 1"]]

    result = import_file(officer, office_tree["n1"], rows, BUSINESS)

    assert errors_of(result) == [(3, "Registration number", "This registration number is also on line 2.")]


def test_the_demo_businesses_are_compared_as_registration_compares_numbers(db):
    """The demo loads its clients in bulk, without save(): it writes the compared number itself."""
    call_command("seed_demo", clients=60, quiet_logins=True)

    businesses = list(generated_clients().filter(legal_form=LegalForm.CORPORATE))
    assert businesses
    assert all(
        business.registration_number_normalized == business.compose_registration_number()
        for business in businesses
    )


@pytest.mark.parametrize(
    "language, business, person, line",
    [
        (
            "es",
            "Acme Traders (N1-000002) tiene la misma razón social.",
            "Un cliente de otra oficina tiene el mismo nombre y la misma fecha de nacimiento.",
            "El cliente de la línea 4 tiene el mismo número de teléfono.",
        ),
        (
            "fr",
            "Acme Traders (N1-000002) a la même raison sociale.",
            "Un client d'une autre agence a les mêmes nom et date de naissance.",
            "Le client de la ligne 4 a le même numéro de téléphone.",
        ),
    ],
)
def test_a_possible_duplicate_is_told_in_sentences_that_agree(acme, language, business, person, line):
    """Whole sentences, not "the same %(reason)s": "la misma razón social", "les mêmes nom et date"."""
    with translation.override(language):
        assert registration.PossibleDuplicate(acme, registration.SAME_BUSINESS).message == business
        assert registration.PossibleDuplicate(None, registration.SAME_PERSON).message == person
        assert registration.duplicate_message(registration.SAME_PHONE, line=4) == line
