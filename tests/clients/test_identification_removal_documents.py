"""Removing an identification leaves its supporting documents with the client: the confirmation page
says which documents it supports, and each document's history records that it was detached, and by whom."""

import pytest
from django.urls import reverse

from audit.models import Event
from documents.models import Document
from tests.clients.factories import (
    ActiveClientFactory,
    FamilyMemberFactory,
    IdentificationFactory,
    IdentificationTypeFactory,
)
from tests.clients.pages import form_on
from tests.documents.factories import DocumentFactory
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(office_tree):
    return BranchManagerUserFactory(office=office_tree["n1"], first_name="Mina", last_name="Okafor")


@pytest.fixture
def holder(office_tree):
    return ActiveClientFactory(office=office_tree["n1"])


@pytest.fixture
def passport(holder):
    return IdentificationFactory(
        client=holder, document_type=IdentificationTypeFactory(name="Passport"), number="XY1234567"
    )


@pytest.fixture
def scan(holder, passport):
    return DocumentFactory(client=holder, identification=passport, title="Passport scan")


def delete_url(passport):
    return reverse("clients:identification_delete", args=[passport.client_id, passport.pk])


def test_the_confirmation_page_names_the_documents_the_identification_supports(
    client, manager, passport, scan
):
    client.force_login(manager)

    page = client.get(delete_url(passport)).content.decode()

    assert (
        "A document supports this identification: it stays with the client, attached to no identification."
        in page
    )
    assert "<li>Passport scan</li>" in page


def test_an_identification_without_documents_is_removed_without_a_warning(client, manager, passport):
    client.force_login(manager)

    page = client.get(delete_url(passport)).content.decode()

    assert "supports this identification" not in page


def test_a_family_members_removal_page_still_opens(client, manager, holder):
    member = FamilyMemberFactory(client=holder)
    client.force_login(manager)

    response = client.get(reverse("clients:family_member_delete", args=[holder.pk, member.pk]))

    assert response.status_code == 200
    assert "supports this identification" not in response.content.decode()


def test_the_document_stays_and_its_history_says_who_detached_it(client, manager, passport, scan):
    client.force_login(manager)

    response = client.post(delete_url(passport), form_on(client.get(delete_url(passport))))

    assert response.status_code == 302
    document = Document.objects.get(pk=scan.pk)
    assert document.identification is None
    latest = document.history.latest()
    assert (latest.history_type, latest.identification_id, latest.history_user) == ("~", None, manager)
    assert Event.objects.filter(event="documents.document.changed", object_id=str(scan.pk)).exists()
    history = client.get(reverse("audit:client_history", args=[passport.client_id])).content.decode()
    assert "Document changed: Passport scan" in history
