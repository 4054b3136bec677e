"""The History tab shows only the kinds of record its reader may view: a role that may not open the
Notes, Identifications, Family or Documents tab does not read them in the history either."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.clients.factories import (
    ClientFactory,
    FamilyMemberFactory,
    IdentificationFactory,
    NoteFactory,
)
from tests.documents.factories import DocumentFactory
from tests.offices.factories import BranchStaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject(office_tree):
    client = ClientFactory(office=office_tree["n1"], first_name="Ada", last_name="Bello")
    NoteFactory(client=client, text="Asked for a smaller loan.")
    IdentificationFactory(client=client, number="DL-777")
    FamilyMemberFactory(client=client, first_name="Yusuf")
    DocumentFactory(client=client, original_name="lease.pdf")
    return client


def teller(office, *codenames):
    """A user of a role that head office made, holding ``clients.view_client`` and ``codenames``."""
    role = Group.objects.create(name="Teller")
    role.permissions.add(*Permission.objects.filter(codename__in=["view_client", *codenames]))
    user = UserFactory(office=office)
    user.groups.add(role)
    return user


def history_page(django_client, user, subject):
    django_client.force_login(user)
    response = django_client.get(reverse("audit:client_history", args=[subject.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_role_that_may_only_view_clients_sees_only_the_clients_own_changes(client, subject):
    page = history_page(client, teller(subject.office), subject)

    assert "Client created" in page
    for hidden in ("Asked for a smaller loan.", "DL-777", "Yusuf", "lease.pdf"):
        assert hidden not in page


def test_each_kind_of_record_shows_with_its_view_permission(client, subject):
    page = history_page(client, teller(subject.office, "view_note", "view_document"), subject)

    assert "Asked for a smaller loan." in page and "lease.pdf" in page
    assert "DL-777" not in page and "Yusuf" not in page


def test_branch_staff_see_every_part(client, subject):
    page = history_page(client, BranchStaffUserFactory(office=subject.office), subject)

    for shown in ("Asked for a smaller loan.", "DL-777", "Yusuf", "lease.pdf"):
        assert shown in page
