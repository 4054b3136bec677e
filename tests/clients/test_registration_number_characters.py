"""A business's required registration number holds letters or digits: one of punctuation only ("***")
compares as no number, so any number of businesses could hold it and the duplicate check never ran."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clients import registration
from clients.models import Client
from tests.clients.factories import CorporateClientFactory
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


@pytest.mark.parametrize("number", ["***", "---", " - / . "])
def test_a_registration_number_of_punctuation_only_is_refused_next_to_it(
    client, office_tree, officer, number
):
    client.force_login(officer)

    response = client.post(
        reverse("clients:client_create", args=["corporate"]),
        {
            "office": office_tree["n1"].pk,
            "submitted_on": timezone.localdate().isoformat(),
            "business_name": "Coop Dash",
            "registration_number": number,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "registration_number": ["Enter the number with its letters and digits."]
    }
    assert not Client.objects.exists()


def test_the_service_refuses_it_too(office_tree, officer):
    business = CorporateClientFactory.build(
        office=office_tree["n1"], account_no="", registration_number="***"
    )

    with pytest.raises(ValidationError) as refused:
        registration.register_client(business, by=officer)

    assert refused.value.message_dict == {
        "registration_number": ["Enter the number with its letters and digits."]
    }


def test_a_business_saved_so_before_stays_editable_until_its_number_is_corrected(office_tree, officer):
    business = CorporateClientFactory(office=office_tree["n1"], registration_number="—")
    business.city = "Kisumu"
    registration.update_client(business, by=officer)

    business.registration_number = "***"
    with pytest.raises(ValidationError, match="letters and digits"):
        registration.update_client(business, by=officer)
    business.registration_number = "COOP-2019-0042"
    registration.update_client(business, by=officer)

    assert Client.objects.get(pk=business.pk).registration_number_normalized == "COOP20190042"
