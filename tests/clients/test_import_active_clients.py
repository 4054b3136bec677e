"""Importing Active clients under four-eyes approval, and importing our own export again."""

import io

import pytest
from django.urls import reverse

from clients.choices import ClientAction, ClientStatus
from clients.imports import ClientImporter
from clients.models import Client, ClientEvent, ClientRules
from offices.roles import BRANCH_STAFF
from tests.clients.factories import ActiveClientFactory
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "External id",
    "First name",
    "Last name",
    "Gender",
    "Date of birth",
    "Status",
    "Activated on",
    "Submitted on",
]
ANA = ["EXT-1", "Ana", "Pérez", "female", "1990-04-12", "Active", "2024-03-01", "2024-02-01"]


def csv_file(rows, header=HEADER):
    lines = [",".join(header), *(",".join(row) for row in rows)]
    return io.BytesIO(("\r\n".join(lines) + "\r\n").encode())


@pytest.fixture(autouse=True)
def four_eyes(db):
    rules = ClientRules.load()
    rules.four_eyes_activation = True
    rules.save()


def test_head_office_imports_active_clients_and_the_activation_names_it(office_tree):
    user = HeadOfficeAdminUserFactory(office=office_tree["head"])

    result = ClientImporter(by=user, office=office_tree["n1"]).import_file(csv_file([ANA]), "c.csv")

    assert (result.created, result.refused) == (1, 0)
    client = Client.objects.get(external_id="EXT-1")
    assert client.status == ClientStatus.ACTIVE
    activated = ClientEvent.objects.get(client=client, action=ClientAction.ACTIVATED)
    assert activated.created_by == user


def test_a_branch_imports_active_clients_only_as_pending_and_is_told_so(office_tree):
    user = BranchManagerUserFactory(office=office_tree["n1"])  # who may activate a client of theirs

    result = ClientImporter(by=user, office=office_tree["n1"]).check(csv_file([ANA]), "c.csv")

    (error,) = result.errors
    assert (error.line, error.column) == (2, "Status")
    assert error.message == (
        "Four-eyes approval: only head office may import clients as Active; "
        "import them as Pending for another user to activate."
    )


@pytest.mark.parametrize("four_eyes_on", [True, False])
def test_importing_as_active_needs_the_right_to_activate(office_tree, four_eyes_on):
    """Branch staff, who may not press Activate, may not import a client as Active either, whether or
    not four-eyes approval is on; nor may a head-office user who holds only the branch staff role."""
    ClientRules.objects.update(four_eyes_activation=four_eyes_on)
    branch_staff = BranchStaffUserFactory(office=office_tree["n1"])
    head_office_clerk = UserFactory(office=office_tree["head"], roles=[BRANCH_STAFF])

    for user in (branch_staff, head_office_clerk):
        result = ClientImporter(by=user, office=office_tree["n1"]).import_file(csv_file([ANA]), "c.csv")

        (error,) = result.errors
        assert (error.line, error.column) == (2, "Status")
        assert error.message == (
            "You may not activate clients: import them as Pending for someone who may activate them."
        )
    assert not Client.objects.exists()


def test_a_registered_active_client_is_skipped_before_the_four_eyes_rule(office_tree):
    ActiveClientFactory(
        office=office_tree["n1"],
        external_id="EXT-1",
        first_name="Ana",
        last_name="Pérez",
    )
    user = BranchStaffUserFactory(office=office_tree["n1"])

    result = ClientImporter(by=user, office=office_tree["n1"]).check(csv_file([ANA]), "c.csv")

    assert (result.skipped, result.refused, result.errors) == (1, 0, [])


def test_our_own_export_imports_again_with_every_row_skipped(client, office_tree):
    admin = HeadOfficeAdminUserFactory(office=office_tree["head"], is_superuser=True)
    ActiveClientFactory(office=office_tree["n1"], external_id="EXT-9")
    client.force_login(admin)
    exported = b"".join(client.get(reverse("clients:client_export", args=["csv"])).streaming_content)
    branch_user = BranchStaffUserFactory(office=office_tree["n1"])

    result = ClientImporter(by=branch_user, office=office_tree["n1"]).check(io.BytesIO(exported), "e.csv")

    assert (result.skipped, result.refused, result.created) == (1, 0, 0)
