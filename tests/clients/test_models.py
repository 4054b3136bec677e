"""Every validation rule of the client record, checked in the model layer (so admin and importer obey it)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clients.choices import LegalForm
from clients.models import Client, ClientRules, FamilyMember, Identification, Note
from tests.clients.factories import (
    ClientFactory,
    CorporateClientFactory,
    IdentificationTypeFactory,
    NoteFactory,
    RelationshipTypeFactory,
)
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    OfficeFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def errors_of(instance, exclude=("account_no", "status", "display_name")):
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        return error.message_dict
    return {}


def new_client(**fields):
    return ClientFactory.build(office=fields.pop("office", None) or OfficeFactory(), **fields)


def today():
    # Asked at each use, not once at import, so a run that crosses midnight still agrees with the model.
    return timezone.localdate()


def years_ago(years, days=0):
    return today().replace(year=today().year - years) - datetime.timedelta(days=days)


@pytest.mark.parametrize(
    ("legal_form", "field"),
    [
        (LegalForm.INDIVIDUAL, "first_name"),
        (LegalForm.INDIVIDUAL, "last_name"),
        (LegalForm.INDIVIDUAL, "gender"),
        (LegalForm.INDIVIDUAL, "date_of_birth"),
        (LegalForm.CORPORATE, "business_name"),
        (LegalForm.CORPORATE, "registration_number"),
    ],
)
def test_it_requires_the_fields_of_the_legal_form(legal_form, field):
    factory = ClientFactory if legal_form == LegalForm.INDIVIDUAL else CorporateClientFactory
    client = factory.build(office=OfficeFactory())
    assert errors_of(client) == {}

    setattr(client, field, {"date_of_birth": None, "gender": ""}.get(field, "  "))

    assert errors_of(client) == {field: ["This field is required."]}


def test_a_business_needs_no_date_of_birth_nor_person_names():
    assert errors_of(CorporateClientFactory.build(office=OfficeFactory())) == {}


def test_it_refuses_a_date_of_birth_in_the_future():
    client = new_client(date_of_birth=today() + datetime.timedelta(days=1))

    assert errors_of(client)["date_of_birth"] == ["The date of birth cannot be in the future."]


@pytest.mark.parametrize(
    ("age", "accepted"),
    [
        ((18, 0), True),
        ((18, -1), False),
        ((100, 0), True),
        ((101, -1), True),
        ((101, 0), False),
    ],
)
def test_it_keeps_an_individual_within_the_institutions_age_limits(age, accepted):
    client = new_client(date_of_birth=years_ago(*age), submitted_on=today())

    assert ("date_of_birth" not in errors_of(client)) is accepted


def test_the_age_limits_are_the_ones_head_office_sets():
    rules = ClientRules.load()
    rules.min_age, rules.max_age = 21, 65
    rules.save()

    assert errors_of(new_client(date_of_birth=years_ago(20), submitted_on=today()))["date_of_birth"] == [
        "A client must be at least 21 years old."
    ]
    assert errors_of(new_client(date_of_birth=years_ago(66), submitted_on=today()))["date_of_birth"] == [
        "A client cannot be older than 65 years."
    ]


def test_the_age_counts_on_the_day_the_client_registered():
    registered = datetime.date(2024, 1, 15)
    client = new_client(date_of_birth=datetime.date(1924, 1, 15), submitted_on=registered)

    assert "date_of_birth" not in errors_of(client)


def test_it_refuses_a_submission_or_incorporation_date_in_the_future():
    tomorrow = today() + datetime.timedelta(days=1)

    assert "submitted_on" in errors_of(new_client(submitted_on=tomorrow))
    assert "incorporation_date" in errors_of(
        CorporateClientFactory.build(office=OfficeFactory(), incorporation_date=tomorrow)
    )


@pytest.mark.parametrize("phone", ["0772 12ab 45", "12345", "+1234567890123456", "call me"])
def test_it_refuses_a_malformed_phone(phone):
    assert "mobile_phone" in errors_of(new_client(mobile_phone=phone))


def test_it_stores_the_phone_in_its_normal_form():
    client = new_client(mobile_phone="00256 (772) 123-456")

    assert errors_of(client) == {}
    assert client.mobile_phone == "+256772123456"
    client.account_no = "X-1"
    client.save()
    assert Client.objects.get(pk=client.pk).mobile_phone == "+256772123456"


def test_it_refuses_a_malformed_email():
    assert errors_of(new_client(email="grace@")) == {"email": ["Enter a valid email address."]}


def test_it_refuses_negative_dependents_and_income():
    errors = errors_of(new_client(dependents=-1, monthly_income=Decimal("-0.01")))

    assert errors["dependents"] == ["Ensure this value is greater than or equal to 0."]
    assert errors["monthly_income"] == ["The income cannot be negative."]


def test_the_database_refuses_a_negative_income_too():
    client = ClientFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Client.objects.filter(pk=client.pk).update(monthly_income=Decimal("-1"))


def test_an_empty_external_id_is_stored_as_none_so_it_stays_unique():
    client = new_client(external_id="")

    assert errors_of(client) == {}
    assert client.external_id is None


class TestCreditOfficer:
    def test_an_officer_of_the_clients_office_or_above_is_accepted(self, office_tree):
        for office in (office_tree["n1"], office_tree["north"], office_tree["head"]):
            client = new_client(office=office_tree["n1"], staff=StaffFactory(office=office))
            assert errors_of(client) == {}, office

    @pytest.mark.parametrize(
        "officer",
        [
            {"office": "n2"},
            {"office": "s1"},
            {"office": "n1", "is_active": False},
            {"office": "n1", "is_credit_officer": False},
        ],
        ids=["sibling branch", "other region", "inactive", "not a credit officer"],
    )
    def test_any_other_officer_is_refused(self, office_tree, officer):
        staff = StaffFactory(**{**officer, "office": office_tree[officer["office"]]})
        client = new_client(office=office_tree["n1"], staff=staff)

        assert errors_of(client)["staff"] == [
            "Choose an active credit officer of North One or of an office above it."
        ]

    def test_an_officer_who_left_later_does_not_block_other_changes(self, office_tree):
        staff = StaffFactory(office=office_tree["n1"])
        client = ClientFactory(office=office_tree["n1"], staff=staff)
        staff.is_active = False
        staff.save()

        client.first_name = "Changed"
        assert errors_of(client) == {}
        client.staff = StaffFactory(office=office_tree["s1"])
        assert "staff" in errors_of(client)


class TestIdentification:
    def national_id(self, number, **fields):
        kind = IdentificationTypeFactory(
            name="National ID", format_regex=r"^[0-9]{8}[A-Z]$", format_example="8 digits and a letter"
        )
        return Identification(client=ClientFactory(), document_type=kind, number=number, **fields)

    def test_the_number_is_normalised_before_it_is_matched(self):
        identification = self.national_id(" 1234-5678 a ")

        assert errors_of(identification) == {}
        assert identification.number_normalized == "12345678A"

    def test_a_number_off_the_format_is_refused_with_the_example(self):
        assert errors_of(self.national_id("1234567A")) == {
            "number": ["This is not a valid National ID number. Expected: 8 digits and a letter."]
        }

    def test_a_type_without_format_takes_any_number(self):
        identification = Identification(
            client=ClientFactory(), document_type=IdentificationTypeFactory(), number="x/y 7"
        )
        assert errors_of(identification) == {}

    def test_a_number_of_only_separators_is_refused(self):
        identification = Identification(
            client=ClientFactory(), document_type=IdentificationTypeFactory(), number="--"
        )

        assert "number" in errors_of(identification)

    def test_issue_and_expiry_dates_are_in_order_and_not_ahead(self):
        errors = errors_of(
            self.national_id(
                "12345678A", issue_date=today() + datetime.timedelta(days=1), expiry_date=today()
            )
        )

        assert errors == {
            "issue_date": ["The issue date cannot be in the future."],
            "expiry_date": ["The expiry date cannot be before the issue date."],
        }

    def test_saving_keeps_the_normal_form_in_step(self):
        identification = self.national_id("1234 5678-b")
        identification.save()

        assert Identification.objects.get(number_normalized="12345678B") == identification


def test_a_family_member_is_not_born_in_the_future_and_has_a_normal_phone():
    member = FamilyMember(
        client=ClientFactory(),
        first_name="Faith",
        relationship=RelationshipTypeFactory(),
        date_of_birth=today() + datetime.timedelta(days=1),
        phone="0712 000-101",
    )

    assert errors_of(member) == {"date_of_birth": ["The date of birth cannot be in the future."]}
    assert member.phone == "0712000101"
    member.phone = "not a phone"
    assert "phone" in errors_of(member)


def test_a_note_needs_words():
    assert errors_of(Note(client=ClientFactory(), text="   \n ")) == {"text": ["Write the note."]}


def test_a_note_may_be_changed_by_its_author_or_a_manager():
    author, colleague, manager = (
        BranchStaffUserFactory(),
        BranchStaffUserFactory(),
        BranchManagerUserFactory(),
    )
    note = NoteFactory(created_by=author)

    assert note.may_be_changed_by(author)
    assert not note.may_be_changed_by(colleague)
    assert note.may_be_changed_by(manager)


@pytest.mark.parametrize(
    ("status", "shown"), [("transfer_in_progress", "Transfer in progress"), ("odd", "odd")]
)
def test_the_status_shows_its_label_or_an_unknown_value_as_it_is(status, shown):
    assert ClientFactory.build(status=status).get_status_display() == shown
