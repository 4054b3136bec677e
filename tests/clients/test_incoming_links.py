"""An incoming client's pages offer the receiving office no link to change it, only to read it: every
such link would answer 403 until the transfer is accepted. The sending office keeps them."""

import pytest
from django.urls import reverse

from clients.choices import ClientStatus
from clients.models import Client
from tests.clients.factories import ActiveClientFactory, IdentificationFactory, NoteFactory
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def incoming(office_tree):
    """A client of North One, with an identification and a note, being transferred to South One."""
    record = ActiveClientFactory(office=office_tree["n1"])
    IdentificationFactory(client=record)
    NoteFactory(client=record, created_by=BranchManagerUserFactory(office=office_tree["n1"]))
    Client.objects.filter(pk=record.pk).update(
        status=ClientStatus.TRANSFER_IN_PROGRESS, transfer_to_office=office_tree["s1"]
    )
    return record


def change_links(client, record):
    """The links to change the client or its parts, found on its overview, identifications and notes."""
    pages = [
        client.get(reverse(name, args=[record.pk])).content.decode()
        for name in ("clients:client_detail", "clients:client_identifications", "clients:client_notes")
    ]
    wanted = [
        reverse("clients:client_edit", args=[record.pk]),
        reverse("clients:identification_add", args=[record.pk]),
        f"/clients/{record.pk}/identifications/{record.identifications.get().pk}/",
        reverse("clients:note_add", args=[record.pk]),
        f"/clients/{record.pk}/notes/{record.notes.get().pk}/",
    ]
    return [link for link in wanted if any(f'href="{link}' in page for page in pages)]


def test_the_receiving_office_is_offered_no_change(client, incoming, office_tree):
    client.force_login(BranchManagerUserFactory(office=office_tree["s1"]))

    assert change_links(client, incoming) == []


def test_the_sending_office_keeps_every_change_link(client, incoming, office_tree):
    client.force_login(BranchManagerUserFactory(office=office_tree["n1"]))

    assert len(change_links(client, incoming)) == 5
