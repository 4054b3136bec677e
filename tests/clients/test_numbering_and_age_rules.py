"""Head office changes the institution's rules; branches keep registering and editing their clients."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients import registration
from clients.models import ClientRules
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db


def unsaved_client(office, **fields):
    return ClientFactory.build(office=office, account_no="", **fields)


def test_a_format_without_the_office_code_is_refused_next_to_the_field(admin_client):
    url = reverse("admin:clients_clientrules_change", args=[ClientRules.load().pk])

    refused = admin_client.post(
        url, {"min_age": 18, "max_age": 100, "client_number_format": "C{seq}", "client_number_digits": 6}
    )

    assert refused.status_code == 200
    assert "The format must contain {office}" in refused.content.decode()
    assert ClientRules.load().client_number_format == "{office}-{seq}"


def test_the_rules_refuse_a_format_without_the_office_code():
    rules = ClientRules.load()
    rules.client_number_format = "C{seq}"

    with pytest.raises(ValidationError) as refused:
        rules.full_clean()

    assert "client_number_format" in refused.value.message_dict


def test_a_number_already_held_is_passed_over_so_the_office_keeps_registering(office_tree):
    """A format saved before {office} was required gave every office the same numbers."""
    rules = ClientRules.load()
    ClientRules.objects.filter(pk=rules.pk).update(client_number_format="C{seq}")
    head_user = BranchStaffUserFactory(office=office_tree["n1"])
    for _ in range(3):
        registration.register_client(unsaved_client(office_tree["n1"]), by=head_user)

    other = registration.register_client(
        unsaved_client(office_tree["n2"]), by=BranchStaffUserFactory(office=office_tree["n2"])
    )

    assert other.account_no == "C000004"


def test_a_change_of_format_keeps_existing_numbers(office_tree):
    user = BranchStaffUserFactory(office=office_tree["n1"])
    first = registration.register_client(unsaved_client(office_tree["n1"]), by=user)
    rules = ClientRules.load()
    rules.client_number_format = "{office}/{seq}"
    rules.full_clean()
    rules.save()

    second = registration.register_client(unsaved_client(office_tree["n1"]), by=user)

    first.refresh_from_db()
    assert (first.account_no, second.account_no) == ("N1-000001", "N1/000002")


class TestAgeRulesRaisedLater:
    @pytest.fixture
    def young_client(self, office_tree):
        client = ClientFactory(office=office_tree["n1"], date_of_birth=datetime.date(2000, 1, 1))
        rules = ClientRules.load()
        rules.min_age = 30
        rules.save()
        return client

    def test_an_unrelated_edit_of_a_registered_client_is_accepted(self, young_client, office_tree):
        young_client.mobile_phone = "+254700000001"

        registration.update_client(young_client, by=BranchStaffUserFactory(office=office_tree["n1"]))

        young_client.refresh_from_db()
        assert young_client.mobile_phone == "+254700000001"

    def test_a_new_date_of_birth_is_checked_against_todays_rules(self, young_client, office_tree):
        young_client.date_of_birth = datetime.date(2001, 1, 1)

        with pytest.raises(ValidationError) as refused:
            registration.update_client(young_client, by=BranchStaffUserFactory(office=office_tree["n1"]))

        assert refused.value.message_dict["date_of_birth"] == ["A client must be at least 30 years old."]

    def test_a_new_client_is_checked(self, young_client, office_tree):
        with pytest.raises(ValidationError) as refused:
            registration.register_client(
                unsaved_client(office_tree["n1"], date_of_birth=datetime.date(2000, 1, 1)),
                by=BranchStaffUserFactory(office=office_tree["n1"]),
            )

        assert "date_of_birth" in refused.value.message_dict
