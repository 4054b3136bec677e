import datetime

import pytest

from clients.forms import (
    CorporateClientForm,
    IdentificationForm,
    IndividualClientForm,
    NewCorporateClientForm,
    NewIndividualClientForm,
    NoteFilterForm,
)
from clients.models import Occupation
from offices.models import User
from tests.clients.factories import (
    ClientFactory,
    IdentificationFactory,
    IdentificationTypeFactory,
    OccupationFactory,
)
from tests.offices.factories import BranchStaffUserFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


def person(office, **overrides):
    return {
        "office": office.pk,
        "submitted_on": "2025-03-01",
        "first_name": "Wanjiru",
        "last_name": "Kamau",
        "gender": "female",
        "date_of_birth": "1986-04-12",
        **overrides,
    }


def test_the_offices_offered_are_those_the_user_sees(office_tree, user):
    form = NewIndividualClientForm(user=user)

    assert set(form.fields["office"].queryset) == {office_tree["n1"]}
    assert form.initial["office"] == office_tree["n1"].pk


def test_the_officers_offered_serve_an_office_the_user_sees(office_tree, user):
    own = StaffFactory(office=office_tree["n1"])
    above = StaffFactory(office=office_tree["head"])
    StaffFactory(office=office_tree["n2"])
    StaffFactory(office=office_tree["n1"], is_active=False)
    StaffFactory(office=office_tree["n1"], is_credit_officer=False)

    form = NewIndividualClientForm(user=user)

    assert set(form.fields["staff"].queryset) == {own, above}
    assert f"{own.display_name} (North One)" in str(form["staff"])


def test_the_users_own_officer_record_is_the_default_officer(office_tree, user):
    me = StaffFactory(office=office_tree["n1"], user=user)

    assert NewIndividualClientForm(user=user).initial["staff"] == me.pk


def test_an_individual_is_asked_the_required_identifications_a_business_is_not(user):
    required = IdentificationTypeFactory(
        name="National ID", is_required=True, format_example="8 digits and a letter"
    )
    IdentificationTypeFactory(name="Passport")

    form = NewIndividualClientForm(user=user)

    assert [name for name in form.fields if name.startswith("identification_")] == [
        f"identification_{required.pk}"
    ]
    assert form.fields[f"identification_{required.pk}"].help_text == "8 digits and a letter"
    assert not any(name.startswith("identification_") for name in NewCorporateClientForm(user=user).fields)


def test_a_required_identification_is_validated_next_to_its_field(office_tree, user):
    kind = IdentificationTypeFactory(
        name="National ID",
        is_required=True,
        format_regex=r"^[0-9]{8}[A-Z]$",
        format_example="8 digits and a letter",
    )
    holder = ClientFactory(
        office=office_tree["n1"], first_name="Amani", last_name="Njeri", account_no="N1-000001"
    )
    IdentificationFactory(client=holder, document_type=kind, number="12345678A")
    field = f"identification_{kind.pk}"

    bad_format = NewIndividualClientForm(person(office_tree["n1"], **{field: "1234"}), user=user)
    taken = NewIndividualClientForm(person(office_tree["n1"], **{field: "1234-5678-a"}), user=user)
    good = NewIndividualClientForm(person(office_tree["n1"], **{field: "87654321b"}), user=user)

    assert bad_format.errors[field] == [
        "This is not a valid National ID number. Expected: 8 digits and a letter."
    ]
    assert taken.errors[field] == ["This National ID number already belongs to Amani Njeri (N1-000001)."]
    assert good.is_valid(), good.errors
    assert [i.number_normalized for i in good.identifications] == ["87654321B"]


def test_the_model_rules_show_next_to_their_fields(office_tree, user):
    form = NewIndividualClientForm(
        person(office_tree["n1"], date_of_birth="2015-01-01", mobile_phone="call me", first_name=""),
        user=user,
    )

    assert form.errors["date_of_birth"] == ["A client must be at least 18 years old."]
    assert "mobile_phone" in form.errors
    assert form.errors["first_name"] == ["This field is required."]


def test_an_officer_of_another_branch_is_refused(office_tree):
    head_user = BranchStaffUserFactory(office=office_tree["head"])
    other = StaffFactory(office=office_tree["n2"])

    form = NewIndividualClientForm(person(office_tree["n1"], staff=other.pk), user=head_user)

    assert form.errors["staff"] == ["Choose an active credit officer of North One or of an office above it."]


def test_a_possible_duplicate_must_be_confirmed(office_tree, user):
    existing = ClientFactory(
        office=office_tree["n1"],
        first_name="Wanjiru",
        last_name="Kamau",
        date_of_birth=datetime.date(1986, 4, 12),
    )

    unconfirmed = NewIndividualClientForm(person(office_tree["n1"]), user=user)
    confirmed = NewIndividualClientForm(person(office_tree["n1"], confirm_duplicates="on"), user=user)

    assert not unconfirmed.is_valid()
    assert [duplicate.client for duplicate in unconfirmed.duplicates] == [existing]
    assert "already registered" in unconfirmed.non_field_errors()[0]
    assert confirmed.is_valid(), confirmed.errors


def test_a_business_is_registered_with_its_own_fields(office_tree, user):
    form = NewCorporateClientForm(
        {
            "office": office_tree["n1"].pk,
            "submitted_on": "2025-03-01",
            "business_name": "Boulangerie du Lac",
            "registration_number": "RC-1",
        },
        user=user,
    )

    assert form.is_valid(), form.errors
    assert form.instance.legal_form == "corporate"
    assert "first_name" not in form.fields


def test_the_edit_forms_leave_office_officer_and_dates_to_the_lifecycle(user):
    for form in (IndividualClientForm(user=user, instance=ClientFactory()), CorporateClientForm(user=user)):
        assert not {"office", "staff", "submitted_on"} & set(form.fields)


def test_retired_lookup_entries_are_offered_only_to_clients_that_have_them(user):
    retired = OccupationFactory(name="Retired trade", is_active=False)
    OccupationFactory(name="Farmer")

    assert list(IndividualClientForm(user=user).fields["occupation"].queryset) == [
        Occupation.objects.get(name="Farmer")
    ]
    holder = ClientFactory(occupation=retired)
    assert retired in IndividualClientForm(user=user, instance=holder).fields["occupation"].queryset


def test_an_identification_form_names_a_visible_holder(office_tree, user):
    kind = IdentificationTypeFactory(name="Passport")
    IdentificationFactory(client=ClientFactory(office=office_tree["s1"]), document_type=kind, number="P123")

    form = IdentificationForm(
        {"document_type": kind.pk, "number": "p-123", "is_active": "on"},
        client=ClientFactory(office=office_tree["n1"]),
        user=user,
    )

    assert form.errors["number"] == ["This Passport number already belongs to another client."]


def test_the_note_filter_refuses_a_range_that_ends_before_it_starts():
    form = NoteFilterForm(
        {"written_from": "2025-03-02", "written_until": "2025-03-01"}, authors=User.objects.all()
    )

    assert form.errors["written_until"] == ["The end of the range cannot be before its start."]
