"""A CSV export is recorded when its download starts: one cut short has sent clients all the same."""

import pytest
from django.urls import reverse

from audit.models import Event
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db


def test_a_download_dropped_after_its_first_lines_is_recorded(client, office_tree):
    for _ in range(3):
        ClientFactory(office=office_tree["n1"], status="pending")
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"]))

    response = client.get(reverse("clients:client_export", args=["csv"]), {"status": "pending"})
    lines = iter(response.streaming_content)
    next(lines), next(lines)  # the header and a client: the browser may go away now

    event = Event.objects.get(event="clients.client.exported")
    assert event.details["rows"] == 3
    assert event.details["format"] == "csv"
    assert "status" in event.details["filter"]
    list(lines)
    assert Event.objects.filter(event="clients.client.exported").count() == 1
