"""A client on its way to another office stays the sending office's until the transfer is accepted:
the receiving office reads it and accepts or rejects, and changes nothing before."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from clients import registration
from clients.choices import ClientStatus
from clients.models import Client, Note
from mifos.versioning import current_version
from tests.clients.factories import (
    ActiveClientFactory,
    FamilyMemberFactory,
    IdentificationFactory,
    NoteFactory,
)
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def incoming(office_tree):
    """A client of North One being transferred to South One."""
    client = ActiveClientFactory(office=office_tree["n1"])
    Client.objects.filter(pk=client.pk).update(
        status=ClientStatus.TRANSFER_IN_PROGRESS, transfer_to_office=office_tree["s1"]
    )
    client.refresh_from_db()
    return client


@pytest.fixture
def receiving_clerk(office_tree):
    return BranchStaffUserFactory(office=office_tree["s1"])


def test_the_receiving_office_reads_an_incoming_client(client, incoming, receiving_clerk):
    client.force_login(receiving_clerk)

    assert client.get(reverse("clients:client_detail", args=[incoming.pk])).status_code == 200
    assert client.get(reverse("clients:client_identifications", args=[incoming.pk])).status_code == 200


def test_the_receiving_office_cannot_change_an_incoming_client(client, incoming, receiving_clerk):
    identification = IdentificationFactory(client=incoming)
    member = FamilyMemberFactory(client=incoming)
    client.force_login(receiving_clerk)
    pages = [
        ("clients:client_edit", [incoming.pk], {"first_name": "Changed", "last_name": "Name"}),
        ("clients:identification_add", [incoming.pk], {}),
        ("clients:identification_edit", [incoming.pk, identification.pk], {}),
        ("clients:identification_delete", [incoming.pk, identification.pk], {}),
        ("clients:family_member_add", [incoming.pk], {}),
        ("clients:family_member_edit", [incoming.pk, member.pk], {}),
        ("clients:family_member_delete", [incoming.pk, member.pk], {}),
        ("clients:note_add", [incoming.pk], {"text": "Seen"}),
    ]
    for name, args, data in pages:
        url = reverse(name, args=args)
        assert client.get(url).status_code == 403, name
        assert client.post(url, data).status_code == 403, name

    assert incoming.identifications.filter(pk=identification.pk).exists()
    assert incoming.family_members.filter(pk=member.pk).exists()
    assert not Note.objects.filter(client=incoming).exists()
    incoming.refresh_from_db()
    assert incoming.first_name != "Changed"


def test_the_sending_office_still_changes_a_client_in_transfer(client, incoming, office_tree):
    identification = IdentificationFactory(client=incoming)
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"]))

    response = client.post(
        reverse("clients:identification_delete", args=[incoming.pk, identification.pk]),
        {"version": current_version(identification)},
    )

    assert response.status_code == 302
    assert not incoming.identifications.exists()


def test_the_services_refuse_a_change_by_the_receiving_office(incoming, receiving_clerk):
    identification = IdentificationFactory(client=incoming)
    note = NoteFactory(client=incoming)
    incoming.city = "Elsewhere"

    for attempt in (
        lambda: registration.update_client(incoming, by=receiving_clerk),
        lambda: registration.save_identification(identification, by=receiving_clerk),
        lambda: registration.delete_part(identification, by=receiving_clerk),
        lambda: registration.save_note(Note(client=incoming, text="Hello"), by=receiving_clerk),
        lambda: registration.delete_note(note, by=BranchManagerUserFactory(office=receiving_clerk.office)),
    ):
        with pytest.raises(PermissionDenied):
            attempt()


def test_changeable_by_leaves_out_incoming_clients(incoming, receiving_clerk, office_tree):
    own = ActiveClientFactory(office=office_tree["s1"])

    assert set(Client.objects.visible_to(receiving_clerk)) == {own, incoming}
    assert set(Client.objects.changeable_by(receiving_clerk)) == {own}
    assert set(Client.objects.changeable_by(HeadOfficeAdminUserFactory())) == {own, incoming}


def test_admin_of_the_receiving_office_sees_but_cannot_save_an_incoming_client(client, incoming, office_tree):
    admin_user = HeadOfficeAdminUserFactory(office=office_tree["s1"])
    client.force_login(admin_user)
    url = reverse("admin:clients_client_change", args=[incoming.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, {"first_name": "Changed"}).status_code == 403


def test_the_receiving_offices_list_marks_an_incoming_client_and_the_sending_offices_does_not(
    client, incoming, receiving_clerk, office_tree
):
    ActiveClientFactory(office=office_tree["s1"], first_name="Resident")
    client.force_login(receiving_clerk)
    receiving = client.get(reverse("clients:client_list"))
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"]))
    sending = client.get(reverse("clients:client_list")).content.decode()

    assert [row.incoming for row in receiving.context["page"] if row.pk == incoming.pk] == [True]
    assert [row.incoming for row in receiving.context["page"] if row.pk != incoming.pk] == [False]
    assert '<span class="badge incoming">Incoming</span>' in receiving.content.decode()
    assert "badge incoming" not in sending
