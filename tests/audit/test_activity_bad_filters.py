"""A kind of object no id column could hold is a bad filter value like any other: shown next to the
filter and left out, on the page and in its export, never a server error."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit import record
from audit.models import Event
from clients.models import Client
from tests.clients.factories import ClientFactory
from tests.groups.factories import GroupFactory
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = ["99999999999999999999999", "1e30", "2147483648", "0", "-5"]


@pytest.fixture
def manager(office_tree):
    subject = ClientFactory(office=office_tree["n1"], first_name="Amina", last_name="Okafor")
    record(None, "clients.client.exported", obj=subject)
    return BranchManagerUserFactory(office=office_tree["n1"])


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_the_log_shows_the_bad_value_and_every_event(client, manager, value):
    client.force_login(manager)

    response = client.get(reverse("audit:event_list"), {"content_type": value})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Kind of object: " in page and 'role="alert"' in page
    assert "Amina Okafor" in page  # the bad filter is left out


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_the_export_leaves_the_bad_value_out(client, manager, value):
    client.force_login(manager)

    response = client.get(reverse("audit:event_export"), {"content_type": value})

    assert response.status_code == 200
    assert "Amina Okafor" in response.content.decode()
    assert Event.objects.get(event="audit.event.exported").details["filter"] == {}


def test_a_kind_of_object_still_filters(client, manager, office_tree):
    record(None, "groups.group.changed", obj=GroupFactory(office=office_tree["n1"], name="Umoja"))
    client.force_login(manager)
    assert "Umoja" in client.get(reverse("audit:event_list")).content.decode()

    kind = ContentType.objects.get_for_model(Client).pk
    page = client.get(reverse("audit:event_list"), {"content_type": kind}).content.decode()

    assert "Amina Okafor" in page and "Umoja" not in page
