"""The registration services refuse what their forms merely hide: a client registered in an office the
user does not work for, and an entry of a lookup list head office retired (an identification type, a
relationship, an occupation). An entry a record held before it was retired stays."""

import pytest
from django.core.exceptions import ValidationError

from clients import registration
from clients.models import Client, FamilyMember, Identification
from tests.clients.factories import (
    ClientFactory,
    FamilyMemberFactory,
    IdentificationFactory,
    IdentificationTypeFactory,
    OccupationFactory,
    RelationshipTypeFactory,
)
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


@pytest.fixture
def holder(office_tree):
    return ClientFactory(office=office_tree["n1"])


def unsaved_client(office, **fields):
    return ClientFactory.build(office=office, account_no="", first_name="Shell", last_name="Test", **fields)


def retired(factory, name):
    return factory(name=name, is_active=False)


# --- The office -------------------------------------------------------------------------------------


def test_a_client_is_not_registered_in_an_office_the_user_does_not_work_for(office_tree, officer):
    with pytest.raises(ValidationError) as refused:
        registration.register_client(unsaved_client(office_tree["s1"]), by=officer)

    assert refused.value.message_dict == {
        "office": ["South One is outside the offices you work for; choose one of yours."]
    }
    assert not Client.objects.filter(last_name="Test").exists()


def test_a_client_is_registered_in_an_office_below_the_users(office_tree):
    regional = BranchStaffUserFactory(office=office_tree["north"])

    client = registration.register_client(unsaved_client(office_tree["n2"]), by=regional)

    assert client.office == office_tree["n2"]


# --- Retired entries of lookup lists ------------------------------------------------------------------


def test_an_identification_of_a_retired_type_is_refused(holder, officer):
    voter_card = retired(IdentificationTypeFactory, "Voter card")

    with pytest.raises(ValidationError) as refused:
        registration.save_identification(
            Identification(client=holder, document_type=voter_card, number="1234567890"), by=officer
        )

    assert refused.value.message_dict == {
        "document_type": ["Voter card is no longer in use; choose another."]
    }
    assert not holder.identifications.exists()


def test_a_family_member_with_a_retired_relationship_or_occupation_is_refused(holder, officer):
    member = FamilyMember(
        client=holder,
        first_name="Baraka",
        relationship=retired(RelationshipTypeFactory, "Ward"),
        occupation=retired(OccupationFactory, "Charcoal burner"),
    )

    with pytest.raises(ValidationError) as refused:
        registration.save_family_member(member, by=officer)

    assert refused.value.message_dict == {
        "relationship": ["Ward is no longer in use; choose another."],
        "occupation": ["Charcoal burner is no longer in use; choose another."],
    }
    assert not holder.family_members.exists()


def test_a_registration_with_a_retired_identification_type_writes_nothing(office_tree, officer):
    voter_card = retired(IdentificationTypeFactory, "Voter card")

    with pytest.raises(ValidationError, match="Voter card is no longer in use"):
        registration.register_client(
            unsaved_client(office_tree["n1"]),
            by=officer,
            identifications=[Identification(document_type=voter_card, number="1234567890")],
        )

    assert not Client.objects.filter(last_name="Test").exists()


def test_a_record_keeps_the_entry_it_held_before_it_was_retired(holder, officer):
    ward = RelationshipTypeFactory(name="Ward")
    member = FamilyMemberFactory(client=holder, relationship=ward)
    card = IdentificationFactory(client=holder, document_type=IdentificationTypeFactory(name="Voter card"))
    ward.is_active = card.document_type.is_active = False
    ward.save()
    card.document_type.save()

    member.phone = "+254712345678"
    registration.save_family_member(member, by=officer)
    card.description = "Old card"
    registration.save_identification(card, by=officer)

    assert FamilyMember.objects.get(pk=member.pk).phone == "+254712345678"
    assert Identification.objects.get(pk=card.pk).description == "Old card"


def test_a_record_is_not_moved_to_a_retired_entry(holder, officer):
    member = FamilyMemberFactory(client=holder)
    member.relationship = retired(RelationshipTypeFactory, "Ward")

    with pytest.raises(ValidationError, match="Ward is no longer in use"):
        registration.save_family_member(member, by=officer)


def test_a_client_is_not_given_a_retired_occupation(holder, officer):
    holder.occupation = retired(OccupationFactory, "Charcoal burner")

    with pytest.raises(ValidationError) as refused:
        registration.update_client(holder, by=officer)

    assert refused.value.message_dict == {
        "occupation": ["Charcoal burner is no longer in use; choose another."]
    }
    assert Client.objects.get(pk=holder.pk).occupation is None
