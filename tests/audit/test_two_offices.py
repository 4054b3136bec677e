"""An event that concerns two offices is in both offices' activity logs: a transfer's proposal and
decision, and what the receiving office's users read of a client on its way in."""

import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from audit import chain, record
from audit.models import Event
from audit.verify import verify
from clients import lifecycle
from tests.clients.factories import ActiveClientFactory
from tests.documents.factories import DocumentFactory
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def documents_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def sender(office_tree):
    return BranchManagerUserFactory(office=office_tree["n1"], username="sender")


@pytest.fixture
def receiver(office_tree):
    return BranchManagerUserFactory(office=office_tree["s1"], username="receiver")


@pytest.fixture
def moving(office_tree, sender):
    """A client of North One proposed to South One, with a document."""
    client = ActiveClientFactory(office=office_tree["n1"], first_name="Halima", last_name="Said")
    document = DocumentFactory(client=client, original_name="lease.pdf")
    storages["documents"].save(document.stored_name, ContentFile(b"%PDF-1.4"))
    lifecycle.propose_transfer(client, to_office=office_tree["s1"], on=timezone.localdate(), by=sender)
    return client


def logged(django_client, user, **params):
    """(actor, event code) of each event of ``user``'s activity log, newest first."""
    django_client.force_login(user)
    response = django_client.get(reverse("audit:event_list"), params)
    assert response.status_code == 200
    return [(event.actor_name, event.event) for event in response.context["page"]]


def test_the_receiving_office_sees_what_its_staff_read_of_a_client_on_its_way_in(
    client, office_tree, moving, sender, receiver
):
    client.force_login(receiver)
    assert (
        client.get(reverse("documents:document_download", args=[moving.documents.get().pk])).status_code
        == 200
    )
    assert client.post(reverse("clients:client_record", args=[moving.pk])).status_code == 200

    for user in (receiver, sender):
        events = logged(client, user)
        assert ("receiver", "documents.document.downloaded") in events
        assert ("receiver", "clients.client.record_exported") in events
    third = BranchManagerUserFactory(office=office_tree["n2"])
    assert logged(client, third, event="clients.*") == logged(client, third, event="documents.*") == []


def test_both_offices_see_the_proposal_and_the_decision(client, moving, sender, receiver):
    lifecycle.reject_transfer(moving, on=timezone.localdate(), by=receiver)
    lifecycle.withdraw_transfer(moving, on=timezone.localdate(), by=sender)
    lifecycle.propose_transfer(moving, to_office=receiver.office, on=timezone.localdate(), by=sender)
    lifecycle.accept_transfer(moving, on=timezone.localdate(), by=receiver)

    expected = [
        ("receiver", "clients.client.transferred"),
        ("sender", "clients.client.transfer_proposed"),
        ("sender", "clients.client.transfer_withdrawn"),
        ("receiver", "clients.client.transfer_rejected"),
        ("sender", "clients.client.transfer_proposed"),
    ]
    for user in (receiver, sender):
        assert logged(client, user, event="clients.client.transfer*") == expected, user


def test_the_office_filter_and_the_export_find_them_too(client, moving, receiver):
    client.force_login(receiver)
    client.get(reverse("documents:document_download", args=[moving.documents.get().pk]))

    assert ("receiver", "documents.document.downloaded") in logged(
        client, receiver, office=receiver.office.pk
    )
    response = client.get(reverse("audit:event_export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    codes = [row[-1] for row in rows]
    assert {
        "documents.document.downloaded",
        "clients.client.transfer_proposed",
        "auth.user.signed_in",
    } <= set(codes)
    assert [row[0] for row in rows] == sorted((row[0] for row in rows), reverse=True)  # newest first


def test_a_reader_of_their_own_offices_client_adds_no_second_office(client, moving, sender):
    client.force_login(sender)
    client.get(reverse("documents:document_download", args=[moving.documents.get().pk]))

    assert Event.objects.get(event="documents.document.downloaded").other_office_id is None


def test_the_second_office_is_covered_by_the_chain_and_older_events_keep_their_hash(office_tree):
    plain = record(None, "tests.thing.happened", office=office_tree["n1"])
    assert "other_office" not in chain.content(plain)  # as every event sealed before it existed
    both = record(None, "tests.thing.happened", office=office_tree["n1"], other_office=office_tree["s1"])

    assert verify()[1] is None
    both.refresh_from_db()
    sealed = both.hash
    both.other_office_id = office_tree["n2"].pk
    assert chain.digest(both, both.previous_hash) != sealed
