"""The activity log's CSV opens in Excel as it reads on the page: accents intact, no cell run as a formula."""

import csv
import io

import pytest
from django.urls import reverse

from audit import record
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchManagerUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def export(django_client, user, **params):
    django_client.force_login(user)
    response = django_client.get(reverse("audit:event_export"), params)
    assert response.status_code == 200
    return response.content


def test_the_csv_starts_with_a_byte_order_mark_so_excel_reads_accents(client, office_tree):
    manager = BranchManagerUserFactory(office=office_tree["north"])
    record(None, "clients.client.exported", obj=ClientFactory(office=office_tree["n1"], first_name="Zoé"))

    content = export(client, manager, event="clients.client.exported")

    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][0] == "When"
    assert rows[1][3].startswith("Zoé")


def test_no_cell_of_the_csv_is_run_as_a_formula(client, office_tree):
    manager = BranchManagerUserFactory(office=office_tree["north"])
    stranger = UserFactory(username='=HYPERLINK("http://evil.example","click")', office=office_tree["n1"])
    eve = ClientFactory(office=office_tree["n1"], first_name="-Eve")
    record(stranger, "clients.client.exported", obj=eve)

    content = export(client, manager, event="clients.client.exported")

    (row,) = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]
    assert row[1] == "'" + stranger.username
    assert row[3].startswith("'-Eve")
