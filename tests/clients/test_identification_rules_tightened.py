"""A rule head office tightens later (a type's format, a type made unique) applies to a number typed from
then on, not to a card already on record: that card can still be marked inactive, described or removed,
and the new one added."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients import registration
from clients.models import Identification
from tests.clients.factories import ActiveClientFactory, IdentificationFactory, IdentificationTypeFactory
from tests.clients.pages import form_on
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(office_tree):
    return BranchManagerUserFactory(office=office_tree["n1"])


@pytest.fixture
def national_id(db):
    return IdentificationTypeFactory(
        name="National ID", format_regex=r"^[0-9]{8}[A-Z]$", format_example="8 digits and a letter"
    )


@pytest.fixture
def holder(office_tree):
    return ActiveClientFactory(office=office_tree["n1"], first_name="Amani", last_name="Njeri")


@pytest.fixture
def old_card(holder, national_id):
    """A card registered under the old format, which head office then tightens to nine digits."""
    card = IdentificationFactory(client=holder, document_type=national_id, number="10000003C")
    national_id.format_regex, national_id.format_example = r"^[0-9]{9}$", "9 digits"
    national_id.save()
    return card


def test_a_card_of_the_old_format_is_removed_from_its_confirmation_page(client, manager, holder, old_card):
    client.force_login(manager)
    delete = reverse("clients:identification_delete", args=[holder.pk, old_card.pk])

    response = client.post(delete, form_on(client.get(delete)))

    assert response.status_code == 302
    assert not Identification.objects.filter(pk=old_card.pk).exists()


def test_a_card_of_the_old_format_is_marked_inactive_and_described(client, manager, holder, old_card):
    client.force_login(manager)
    edit = reverse("clients:identification_edit", args=[holder.pk, old_card.pk])

    response = client.post(edit, {**form_on(client.get(edit)), "is_active": "", "description": "Replaced"})

    assert response.status_code == 302
    saved = Identification.objects.get(pk=old_card.pk)
    assert (saved.is_active, saved.description, saved.number) == (False, "Replaced", "10000003C")


def test_then_the_new_card_is_added_in_the_new_format(manager, holder, old_card):
    old_card.is_active = False
    registration.save_identification(old_card, by=manager)

    new = Identification(client=holder, document_type=old_card.document_type, number="123456789")
    registration.save_identification(new, by=manager)

    assert holder.identifications.get(is_active=True).number == "123456789"


def test_a_number_changed_must_follow_the_new_format(manager, old_card):
    old_card.number = "10000004C"

    with pytest.raises(ValidationError) as refused:
        registration.save_identification(old_card, by=manager)

    assert refused.value.message_dict == {
        "number": ["This is not a valid National ID number. Expected: 9 digits."]
    }


def test_a_card_moved_to_a_type_whose_format_it_does_not_follow_is_refused(manager, old_card):
    old_card.document_type = IdentificationTypeFactory(name="Voter card", format_regex=r"^[0-9]{10}$")

    with pytest.raises(ValidationError, match="not a valid Voter card number"):
        registration.save_identification(old_card, by=manager)


# --- A type made unique after two clients took the same number ---------------------------------------


@pytest.fixture
def shared(office_tree, holder):
    """Two clients hold the same driving licence number; head office then makes the type unique."""
    licence = IdentificationTypeFactory(name="Driving licence", is_unique=False)
    other = ActiveClientFactory(office=office_tree["n1"], first_name="Otieno", last_name="Odhiambo")
    IdentificationFactory(client=holder, document_type=licence, number="DL-777")
    card = IdentificationFactory(client=other, document_type=licence, number="DL-777")
    licence.is_unique = True
    licence.save()
    return card


def test_a_shared_number_is_marked_inactive_once_its_type_is_unique(client, manager, shared):
    client.force_login(manager)
    edit = reverse("clients:identification_edit", args=[shared.client_id, shared.pk])

    response = client.post(edit, {**form_on(client.get(edit)), "is_active": ""})

    assert response.status_code == 302
    assert not Identification.objects.get(pk=shared.pk).is_active


def test_a_shared_number_typed_anew_is_still_refused(manager, holder, shared):
    shared.number = "DL 777"

    with pytest.raises(ValidationError) as refused:
        registration.save_identification(shared, by=manager)

    assert refused.value.message_dict == {
        "number": [f"This Driving licence number already belongs to {holder}."]
    }
