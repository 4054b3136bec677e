"""What the system user (commands, data loads) did reads "the system" in the reader's language, as what
no one did does, not its stored English first name "System"."""

import pytest
from django.urls import reverse

from audit import record
from offices.models import get_system_user
from tests.clients.factories import ClientFactory, NoteFactory
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def system():
    return get_system_user()


@pytest.fixture
def loaded(office_tree, system):
    """A client a data load registered, with a note it wrote, and a later change by the system."""
    subject = ClientFactory.build(office=office_tree["n1"], first_name="Ada", last_name="Bello")
    subject._history_user = system
    subject.save()
    NoteFactory(client=subject, created_by=system, text="Loaded from the old system.")
    record(system, "clients.client.changed", obj=subject)
    return subject


def page(django_client, subject, url_name, language):
    django_client.force_login(BranchManagerUserFactory(office=subject.office, language=language))
    response = django_client.get(reverse(url_name, args=[subject.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "language", "name"),
    [
        ("clients:client_detail", "fr", "le système"),  # created by, last changed by
        ("audit:client_history", "es", "el sistema"),
        ("clients:client_notes", "fr", "le système"),
    ],
)
def test_a_client_page_names_the_system_in_the_readers_language(client, loaded, url_name, language, name):
    shown = page(client, loaded, url_name, language)

    assert name in shown and "System" not in shown


def test_the_activity_log_names_the_system_in_the_readers_language(client, loaded):
    client.force_login(BranchManagerUserFactory(office=loaded.office, language="es"))

    shown = client.get(reverse("audit:event_list"), {"event": "clients.client.changed"}).content.decode()

    assert "<td>el sistema</td>" in shown and "<td>system</td>" not in shown
