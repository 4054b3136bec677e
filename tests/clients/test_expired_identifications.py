"""A required identification counts only while it is valid: a client whose National ID expired before the
activation date is not activated on it, and is told which document expired and when. The same rule
holds wherever a required identification is asked for: activation from the page, the admin's action,
the importer's Active rows and registration."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone

from clients import lifecycle, registration
from clients.choices import ClientStatus
from clients.lifecycle import TransitionError
from clients.models import Client, ClientRules, Identification
from tests.clients.factories import ClientFactory, IdentificationFactory, IdentificationTypeFactory
from tests.dates import stay_on
from tests.offices.factories import BranchManagerUserFactory, HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
today_holds_still = stay_on(TODAY)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def rules(db):
    rules = ClientRules.load()
    rules.require_identifications_to_activate = True
    rules.four_eyes_activation = False
    rules.save()
    return rules


@pytest.fixture
def national_id(db):
    return IdentificationTypeFactory(name="National ID", is_required=True)


@pytest.fixture
def manager(office_tree):
    return BranchManagerUserFactory(office=office_tree["n1"])


@pytest.fixture
def pending(office_tree):
    return ClientFactory(office=office_tree["n1"], submitted_on=TODAY - 60 * DAY, status_changed_on=None)


def expired(client, kind, on):
    return IdentificationFactory(client=client, document_type=kind, number="12345678", expiry_date=on)


def short(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def test_an_expired_national_id_does_not_let_the_client_be_activated(pending, national_id, manager):
    expired_on = TODAY - 10 * DAY
    expired(pending, national_id, expired_on)

    with pytest.raises(TransitionError) as refused:
        lifecycle.activate(pending, on=TODAY, by=manager)

    assert str(refused.value.message) == (
        f"The National ID 12345678 expired on {short(expired_on)}, before the activation date "
        f"({short(TODAY)}): record the renewed one first."
    )
    assert Client.objects.get(pk=pending.pk).status == ClientStatus.PENDING


def test_a_document_valid_on_the_activation_date_counts_even_if_it_has_expired_since(
    pending, national_id, manager
):
    IdentificationFactory(client=pending, document_type=national_id, expiry_date=TODAY - 5 * DAY)

    lifecycle.activate(pending, on=TODAY - 5 * DAY, by=manager)  # its last valid day

    assert Client.objects.get(pk=pending.pk).status == ClientStatus.ACTIVE


def test_the_renewed_document_lets_the_client_be_activated(pending, national_id, manager):
    old = IdentificationFactory(client=pending, document_type=national_id, expiry_date=TODAY - 10 * DAY)
    with pytest.raises(TransitionError):
        lifecycle.activate(pending, on=TODAY, by=manager)

    old.is_active = False
    registration.save_identification(old, by=manager)
    renewed = Identification(
        client=pending, document_type=national_id, number="87654321", expiry_date=TODAY + 3650 * DAY
    )
    registration.save_identification(renewed, by=manager)
    lifecycle.activate(pending, on=TODAY, by=manager)

    assert Client.objects.get(pk=pending.pk).status == ClientStatus.ACTIVE


def test_a_missing_type_and_an_expired_one_are_both_named(pending, national_id, manager):
    IdentificationTypeFactory(name="Voter card", is_required=True)
    expired(pending, national_id, TODAY - DAY)

    with pytest.raises(TransitionError) as refused:
        lifecycle.activate(pending, on=TODAY, by=manager)

    message = str(refused.value.message)
    assert "The client needs an active identification of each required type first: Voter card." in message
    assert "The National ID 12345678 expired on" in message


def test_the_activation_page_says_which_document_expired(client, pending, national_id, manager):
    expired(pending, national_id, TODAY - DAY)
    client.force_login(manager)

    response = client.post(reverse("clients:client_activate", args=[pending.pk]), {"on": TODAY})

    assert response.status_code == 200
    assert "The National ID 12345678 expired on" in response.content.decode()
    assert Client.objects.get(pk=pending.pk).status == ClientStatus.PENDING


def test_the_admins_activation_reports_the_expired_document(client, pending, national_id, office_tree):
    expired(pending, national_id, TODAY - DAY)
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))

    response = client.post(
        reverse("admin:clients_client_changelist"),
        {"action": "activate_today", "_selected_action": [pending.pk]},
        follow=True,
    )

    messages = [str(message) for message in response.context["messages"]]
    assert any("The National ID 12345678 expired on" in message for message in messages)
    assert Client.objects.get(pk=pending.pk).status == ClientStatus.PENDING


def test_registration_refuses_a_required_document_expired_on_the_submission_date(office_tree, national_id):
    user = BranchManagerUserFactory(office=office_tree["n1"])
    person = ClientFactory.build(office=office_tree["n1"], submitted_on=TODAY, account_no="")
    expired = Identification(
        document_type=national_id, number="12345678", issue_date=TODAY - 3000 * DAY, expiry_date=TODAY - DAY
    )

    with pytest.raises(ValidationError) as refused:
        registration.register_client(person, by=user, identifications=[expired])

    assert f"The National ID 12345678 expired on {short(TODAY - DAY)}, before the submission date" in (
        " ".join(refused.value.messages)
    )
    assert not Client.objects.exists()


def test_registration_keeps_accepting_an_old_document_beside_a_valid_one(office_tree, national_id):
    """An expired passport may be recorded as it is (kept on record); only the required ones must be valid."""
    user = BranchManagerUserFactory(office=office_tree["n1"])
    passport = IdentificationTypeFactory(name="Passport")
    person = ClientFactory.build(office=office_tree["n1"], submitted_on=TODAY, account_no="")
    documents = [
        Identification(document_type=national_id, number="12345678", expiry_date=TODAY + DAY),
        Identification(document_type=passport, number="P1", expiry_date=TODAY - 400 * DAY),
    ]

    registration.register_client(person, by=user, identifications=documents)

    assert person.identifications.count() == 2
