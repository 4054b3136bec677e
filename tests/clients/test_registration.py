import datetime
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from clients import registration
from clients.choices import ClientAction, ClientStatus
from clients.models import (
    Client,
    ClientEvent,
    ClientRules,
    FamilyMember,
    Identification,
    Note,
    OfficeClientSequence,
    OfficerAssignment,
)
from tests.clients.factories import (
    ActiveClientFactory,
    ClientFactory,
    CorporateClientFactory,
    IdentificationFactory,
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


def unsaved_client(office, **fields):
    return ClientFactory.build(office=office, account_no="", **fields)


def national_id(number, **fields):
    kind = IdentificationTypeFactory(name="National ID", format_regex=r"^[0-9]{8}[A-Z]$", **fields)
    return Identification(document_type=kind, number=number)


@pytest.fixture
def branch(office_tree):
    return office_tree["n1"]


@pytest.fixture
def officer_user(branch):
    return BranchStaffUserFactory(office=branch)


class TestNumbering:
    def test_numbers_are_the_office_code_and_a_padded_sequence(self, branch, officer_user):
        first = registration.register_client(unsaved_client(branch), by=officer_user)
        second = registration.register_client(unsaved_client(branch), by=officer_user)

        assert (first.account_no, second.account_no) == ("N1-000001", "N1-000002")

    def test_head_office_sets_the_format(self, branch, officer_user):
        rules = ClientRules.load()
        rules.client_number_format, rules.client_number_digits = "C/{office}/{seq}", 4
        rules.save()

        assert registration.register_client(unsaved_client(branch), by=officer_user).account_no == "C/N1/0001"

    def test_each_office_counts_on_its_own(self, office_tree):
        regional_user = BranchStaffUserFactory(office=office_tree["north"])
        registration.register_client(unsaved_client(office_tree["n1"]), by=regional_user)

        assert registration.register_client(
            unsaved_client(office_tree["n2"]), by=regional_user
        ).account_no == ("N2-000001")


def test_a_registered_client_is_pending_with_its_timeline_officer_and_records(branch, officer_user):
    staff = StaffFactory(office=branch)
    client = unsaved_client(branch, staff=staff, submitted_on=datetime.date(2025, 3, 1))

    registration.register_client(
        client,
        by=officer_user,
        identifications=[national_id("1234-5678a")],
        family_members=[FamilyMember(first_name="Faith", relationship=RelationshipTypeFactory())],
    )

    client.refresh_from_db()
    assert client.status == ClientStatus.PENDING
    assert client.created_by == client.updated_by == officer_user
    assert list(
        ClientEvent.objects.filter(client=client).values_list("action", flat=True).order_by("id")
    ) == [
        ClientAction.SUBMITTED,
        ClientAction.OFFICER_ASSIGNED,
    ]
    assert OfficerAssignment.objects.get(client=client).staff == staff
    assert client.identifications.get().number_normalized == "12345678A"
    assert client.family_members.get().first_name == "Faith"


class TestUniqueIdentifications:
    def test_a_number_held_by_a_client_the_user_sees_is_refused_naming_that_client(
        self, branch, officer_user
    ):
        holder = ClientFactory(office=branch, first_name="Amani", last_name="Njeri", account_no="N1-000009")
        IdentificationFactory(client=holder, document_type=national_id("x").document_type, number="12345678A")

        with pytest.raises(ValidationError) as refused:
            registration.register_client(
                unsaved_client(branch), by=officer_user, identifications=[national_id("1234 5678 a")]
            )

        assert refused.value.message_dict == {
            "number": ["This National ID number already belongs to Amani Njeri (N1-000009)."]
        }

    def test_a_number_held_in_an_office_the_user_cannot_see_gets_a_neutral_message(
        self, office_tree, officer_user
    ):
        holder = ClientFactory(office=office_tree["s1"], first_name="Secret")
        IdentificationFactory(client=holder, document_type=national_id("x").document_type, number="12345678A")

        with pytest.raises(ValidationError) as refused:
            registration.register_client(
                unsaved_client(office_tree["n1"]), by=officer_user, identifications=[national_id("12345678A")]
            )

        assert refused.value.message_dict == {
            "number": ["This National ID number already belongs to another client."]
        }
        assert "Secret" not in str(refused.value)

    def test_a_type_that_is_not_unique_may_be_shared(self, branch, officer_user):
        shared = IdentificationTypeFactory(name="Household card", is_unique=False)
        IdentificationFactory(client=ClientFactory(office=branch), document_type=shared, number="H-1")

        client = registration.register_client(
            unsaved_client(branch),
            by=officer_user,
            identifications=[Identification(document_type=shared, number="h1")],
        )

        assert client.identifications.count() == 1

    def test_a_client_may_keep_its_own_number_when_it_is_edited(self, branch, officer_user):
        identification = IdentificationFactory(client=ClientFactory(office=branch), number="AB-1")
        identification.description = "renewed"

        registration.save_identification(identification, by=officer_user)


class TestOneNumberOncePerClient:
    """A client holds a number of a type once, even of a type that other clients may share."""

    def test_adding_a_number_the_client_holds_is_refused_next_to_the_number(self, branch, officer_user):
        shared = IdentificationTypeFactory(name="Household card", is_unique=False)
        held = IdentificationFactory(client=ClientFactory(office=branch), document_type=shared, number="H-1")

        with pytest.raises(ValidationError) as refused:
            registration.save_identification(
                Identification(client=held.client, document_type=shared, number="h 1"), by=officer_user
            )

        assert refused.value.message_dict == {
            "number": ["This client already holds this Household card number."]
        }
        assert held.client.identifications.count() == 1

    def test_the_same_number_of_another_type_is_accepted(self, branch, officer_user):
        held = IdentificationFactory(client=ClientFactory(office=branch), number="AB-1")

        registration.save_identification(
            Identification(client=held.client, document_type=IdentificationTypeFactory(), number="AB-1"),
            by=officer_user,
        )

        assert held.client.identifications.count() == 2

    def test_a_registration_listing_one_number_twice_is_refused(self, branch, officer_user):
        shared = IdentificationTypeFactory(name="Household card", is_unique=False)
        twice = [
            Identification(document_type=shared, number="H-1"),
            Identification(document_type=shared, number="h1"),
        ]

        with pytest.raises(ValidationError) as refused:
            registration.register_client(unsaved_client(branch), by=officer_user, identifications=twice)

        assert refused.value.message_dict == {
            "number": ["This client already holds this Household card number."]
        }
        assert not Client.objects.exists()

    def test_the_database_refuses_it_with_a_named_constraint(self, branch):
        held = IdentificationFactory(client=ClientFactory(office=branch), number="AB-1")
        again = Identification(
            client=held.client, document_type=held.document_type, number="ab1", is_active=False
        )

        with pytest.raises(ValidationError) as refused:
            again.full_clean()
        assert refused.value.messages == ["This client already holds this number of this type."]
        with pytest.raises(IntegrityError, match="clients_identification_once_per_client|UNIQUE"):
            with transaction.atomic():
                again.save()


def test_an_individual_registers_with_every_required_identification(branch, officer_user):
    national_id("x", is_required=True)

    with pytest.raises(ValidationError) as refused:
        registration.register_client(unsaved_client(branch), by=officer_user)

    assert "National ID" in refused.value.messages[0]
    registration.register_client(CorporateClientFactory.build(office=branch, account_no=""), by=officer_user)


def test_nothing_is_half_written_when_a_part_is_invalid(branch, officer_user):
    bad_member = FamilyMember(first_name="", relationship=RelationshipTypeFactory())

    with pytest.raises(ValidationError):
        registration.register_client(
            unsaved_client(branch),
            by=officer_user,
            identifications=[national_id("12345678A")],
            family_members=[bad_member],
        )

    assert not Client.objects.exists()
    assert not Identification.objects.exists()
    assert not ClientEvent.objects.exists()
    assert not OfficeClientSequence.objects.filter(office=branch, last_value__gt=0).exists()


def test_a_submission_date_in_the_future_is_refused_next_to_the_field(branch, officer_user):
    with pytest.raises(ValidationError) as refused:
        registration.register_client(
            unsaved_client(branch, submitted_on=timezone.localdate() + datetime.timedelta(days=2)),
            by=officer_user,
        )

    assert "submitted_on" in refused.value.message_dict


class TestPossibleDuplicates:
    def test_the_same_folded_name_and_date_of_birth(self, branch, officer_user):
        existing = ClientFactory(
            office=branch, first_name="José", last_name="Hernández", date_of_birth=datetime.date(1972, 5, 16)
        )
        client = unsaved_client(
            branch, first_name="jose", last_name="HERNANDEZ", date_of_birth=existing.date_of_birth
        )

        [duplicate] = registration.possible_duplicates(client, by=officer_user)

        assert duplicate.client == existing
        assert duplicate.message == f"{existing} has the same name and date of birth."

    def test_the_same_phone(self, branch, officer_user):
        existing = ClientFactory(office=branch, mobile_phone="+254712000101")

        [duplicate] = registration.possible_duplicates(
            unsaved_client(branch, mobile_phone="+254712000101"), by=officer_user
        )

        assert duplicate.client == existing
        assert "phone number" in duplicate.message

    def test_a_client_the_user_cannot_see_is_not_named(self, office_tree, officer_user):
        ClientFactory(office=office_tree["s1"], mobile_phone="+254712000101", first_name="Hidden")

        [duplicate] = registration.possible_duplicates(
            unsaved_client(office_tree["n1"], mobile_phone="+254712000101"), by=officer_user
        )

        assert duplicate.client is None
        assert duplicate.message == "A client in another office has the same phone number."

    def test_a_client_is_not_its_own_duplicate_and_others_differ(self, branch, officer_user):
        client = ClientFactory(office=branch, mobile_phone="+254712000101")
        ClientFactory(
            office=branch,
            first_name=client.first_name,
            last_name=client.last_name,
            date_of_birth=datetime.date(1990, 1, 1),
        )

        assert registration.possible_duplicates(client, by=officer_user) == []


def test_an_update_records_who_changed_the_client(branch, officer_user):
    client = ClientFactory(office=branch)
    client.city = "Riverside"

    registration.update_client(client, by=officer_user)

    client.refresh_from_db()
    assert client.updated_by == officer_user
    assert client.history.first().history_user == officer_user


class TestEditingRefusesWhatOnlyTheLifecycleChanges:
    """The importer and the admin's history revert call update_client without the edit form's field list."""

    @pytest.mark.parametrize(
        "field, value, message",
        [
            ("status", ClientStatus.PENDING, "The status changes only through the client's actions"),
            ("activated_on", datetime.date(2024, 3, 1), "The activation date is set by the action Activate."),
            ("closed_on", datetime.date(2024, 3, 1), "The closure date is set by the action Close."),
            ("submitted_on", datetime.date(2024, 1, 2), "The submission date is set at registration."),
            ("status_changed_on", datetime.date(2024, 3, 1), "This date is set by the client's actions."),
            ("account_no", "N1-999999", "The client number is given at registration"),
            ("legal_form", "corporate", "The legal form is chosen at registration"),
        ],
    )
    def test_a_lifecycle_field_is_refused_next_to_it(self, branch, officer_user, field, value, message):
        client = ActiveClientFactory(office=branch, staff=StaffFactory(office=branch))
        setattr(client, field, value)
        client.city = "Riverside"

        with pytest.raises(ValidationError) as refused:
            registration.update_client(client, by=officer_user)

        assert message in refused.value.message_dict[field][0]
        client.refresh_from_db()
        assert client.city != "Riverside"

    def test_a_change_of_office_is_refused_and_nothing_is_written(self, office_tree, officer_user):
        client = ActiveClientFactory(office=office_tree["n1"], staff=StaffFactory(office=office_tree["n1"]))
        client.office = office_tree["n2"]
        client.city = "Riverside"

        with pytest.raises(ValidationError) as refused:
            registration.update_client(client, by=officer_user)

        assert refused.value.message_dict["office"] == ["The office changes only through a transfer."]
        client.refresh_from_db()
        assert client.office == office_tree["n1"]
        assert client.city != "Riverside"

    def test_a_change_of_credit_officer_is_refused(self, branch, officer_user):
        client = ActiveClientFactory(office=branch, staff=StaffFactory(office=branch))
        client.staff = StaffFactory(office=branch)

        with pytest.raises(ValidationError) as refused:
            registration.update_client(client, by=officer_user)

        assert "Change credit officer" in refused.value.message_dict["staff"][0]

    def test_a_proposed_transfer_is_refused(self, office_tree, officer_user):
        client = ActiveClientFactory(office=office_tree["n1"])
        client.transfer_to_office = office_tree["n2"]

        with pytest.raises(ValidationError) as refused:
            registration.update_client(client, by=officer_user)

        assert set(refused.value.message_dict) == {"transfer_to_office"}

    def test_every_refused_field_is_named_at_once(self, office_tree, officer_user):
        client = ActiveClientFactory(office=office_tree["n1"])
        client.office, client.status = office_tree["n2"], ClientStatus.PENDING

        with pytest.raises(ValidationError) as refused:
            registration.update_client(client, by=officer_user)

        assert set(refused.value.message_dict) == {"office", "status"}

    def test_a_date_given_as_text_equal_to_the_saved_one_is_no_change(self, branch, officer_user):
        client = ActiveClientFactory(office=branch)
        client.activated_on = client.activated_on.isoformat()
        client.city = "Riverside"

        registration.update_client(client, by=officer_user)

        client.refresh_from_db()
        assert client.city == "Riverside"


class TestNotes:
    def test_a_new_note_is_signed_by_its_author(self, branch, officer_user):
        note = registration.save_note(
            Note(client=ClientFactory(office=branch), text=" Visited the shop. "), by=officer_user
        )

        assert (note.created_by, note.updated_by, note.text) == (officer_user, None, "Visited the shop.")

    def test_a_colleague_may_neither_change_nor_delete_it(self, branch, officer_user):
        note = NoteFactory(client=ClientFactory(office=branch), created_by=officer_user)
        colleague = BranchStaffUserFactory(office=branch)

        note.text = "Rewritten"
        with pytest.raises(PermissionDenied):
            registration.save_note(note, by=colleague)
        with pytest.raises(PermissionDenied):
            registration.delete_note(note, by=colleague)
        assert Note.objects.filter(pk=note.pk).exists()

    def test_the_author_and_a_manager_may(self, branch, officer_user):
        note = NoteFactory(client=ClientFactory(office=branch), created_by=officer_user)
        manager = BranchManagerUserFactory(office=branch)

        note.text = "Corrected"
        registration.save_note(note, by=manager)
        assert Note.objects.get(pk=note.pk).updated_by == manager
        registration.delete_note(note, by=officer_user)
        assert not Note.objects.filter(pk=note.pk).exists()


def test_a_branch_without_officer_may_register_with_one_from_head_office(office_tree, officer_user):
    head_officer = StaffFactory(office=office_tree["head"])

    client = registration.register_client(
        unsaved_client(office_tree["n1"], staff=head_officer), by=officer_user
    )

    assert client.staff == head_officer


def test_registration_refuses_an_officer_of_another_branch(office_tree, officer_user):
    with pytest.raises(ValidationError) as refused:
        registration.register_client(
            unsaved_client(
                office_tree["n1"], staff=StaffFactory(office=OfficeFactory(parent=office_tree["south"]))
            ),
            by=officer_user,
        )

    assert "staff" in refused.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_unique_number_at_the_same_moment_keep_one(office_tree):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs concurrent transactions")
    branch = office_tree["n1"]
    user = BranchStaffUserFactory(office=branch)
    kind = IdentificationTypeFactory(is_unique=True)
    first, second = ClientFactory(office=branch), ClientFactory(office=branch)
    saved, outcome = threading.Event(), {}

    def save_first_and_commit_late():
        try:
            with transaction.atomic():
                registration.save_identification(
                    Identification(client=first, document_type=kind, number="X-1"), by=user
                )
                saved.set()
                time.sleep(0.5)  # the second save starts while this one is not committed yet
        finally:
            connection.close()

    def save_second():
        saved.wait(5)
        try:
            registration.save_identification(
                Identification(client=second, document_type=kind, number="X-1"), by=user
            )
            outcome["second"] = "saved"
        except ValidationError as refused:
            outcome["second"] = refused.message_dict["number"][0]
        finally:
            connection.close()

    threads = [threading.Thread(target=save_first_and_commit_late), threading.Thread(target=save_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert Identification.objects.filter(document_type=kind, number_normalized="X1").count() == 1
    assert outcome["second"].startswith("This ")  # "This <type> number already belongs to ..."
