"""A mistyped submission date is named as such: a person old enough today, but not on the day typed
(2000 for 2020), is refused next to the submission date, not told their correct birth date is wrong.
And a client is not submitted before its office opened, as a transfer is not dated before it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats

from clients import registration
from clients.models import Client
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchStaffUserFactory, OfficeFactory

pytestmark = pytest.mark.django_db

BORN = datetime.date(1986, 4, 1)


def short(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@pytest.fixture
def old_branch(office_tree):
    """A branch open since 1975, so that only the age speaks of a submission in 2000."""
    return OfficeFactory(
        name="Old Town", code="OT", parent=office_tree["north"], opening_date=datetime.date(1975, 1, 1)
    )


@pytest.fixture
def officer(office_tree):
    return BranchStaffUserFactory(office=office_tree["north"])


def register_person(client, office, **fields):
    data = {
        "office": office.pk,
        "submitted_on": "2000-01-01",
        "first_name": "Amina",
        "last_name": "Odhiambo",
        "gender": "female",
        "date_of_birth": BORN.isoformat(),
        **fields,
    }
    return client.post(reverse("clients:client_create", args=["individual"]), data)


def test_a_submission_date_when_the_client_was_a_child_is_refused_next_to_it(client, old_branch, officer):
    client.force_login(officer)

    response = register_person(client, old_branch)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "submitted_on": [
            f"On the submission date ({short(datetime.date(2000, 1, 1))}) the client was 13; "
            "a client must be at least 18 years old."
        ]
    }
    assert not Client.objects.exists()


def test_a_submission_date_before_the_birth_is_refused_next_to_it(client, old_branch, officer):
    client.force_login(officer)

    response = register_person(client, old_branch, submitted_on="1980-06-01")

    assert response.context["form"].errors == {
        "submitted_on": [
            f"The submission date ({short(datetime.date(1980, 6, 1))}) cannot be before the date of birth."
        ]
    }


def test_a_child_is_still_refused_on_the_date_of_birth(client, old_branch, officer):
    client.force_login(officer)

    response = register_person(client, old_branch, date_of_birth="2015-03-01", submitted_on="2024-01-15")

    assert response.context["form"].errors == {"date_of_birth": ["A client must be at least 18 years old."]}


def test_a_business_is_not_submitted_before_its_office_opened(client, office_tree, officer):
    client.force_login(officer)

    response = client.post(
        reverse("clients:client_create", args=["corporate"]),
        {
            "office": office_tree["n1"].pk,
            "submitted_on": "1900-01-01",
            "business_name": "Coop Dash",
            "registration_number": "RC-1900",
        },
    )

    assert response.context["form"].errors == {
        "submitted_on": [
            f"The date cannot be before the opening date of North One ({short(datetime.date(2015, 1, 1))})."
        ]
    }
    assert not Client.objects.exists()


def test_the_service_refuses_a_submission_before_the_office_opened(office_tree, officer):
    person = ClientFactory.build(
        office=office_tree["n1"], account_no="", submitted_on=datetime.date(2014, 12, 31)
    )

    with pytest.raises(ValidationError) as refused:
        registration.register_client(person, by=officer)

    assert list(refused.value.message_dict) == ["submitted_on"]


def test_a_birth_date_corrected_later_is_refused_naming_the_submission_date(old_branch, officer):
    person = ClientFactory(
        office=old_branch, submitted_on=datetime.date(2000, 1, 1), date_of_birth=datetime.date(1970, 5, 1)
    )
    person.date_of_birth = BORN

    with pytest.raises(ValidationError) as refused:
        registration.update_client(person, by=officer)

    assert refused.value.message_dict == {
        "date_of_birth": [
            f"On the submission date ({short(datetime.date(2000, 1, 1))}) the client was 13; "
            "a client must be at least 18 years old."
        ]
    }


def test_a_client_registered_before_a_later_opening_date_stays_editable(office_tree, officer):
    person = ClientFactory(office=office_tree["n1"], submitted_on=datetime.date(2014, 6, 1))
    person.city = "Kisumu"

    registration.update_client(person, by=officer)

    assert Client.objects.get(pk=person.pk).city == "Kisumu"
