"""Sensitive reads: client page views when head office asks, exports with their filter; record stamps."""

import pytest
from django.http import QueryDict
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audit.history import stamps
from audit.models import AuditRules, Event
from audit.reads import record_export
from mifos import tabs
from tests.clients.factories import ActiveClientFactory, ClientFactory
from tests.ledger.factories import AccountFactory
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_user(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"], first_name="Neema", last_name="Said")


def test_viewing_a_client_page_is_not_recorded_by_default(client, staff_user, office_tree):
    subject = ClientFactory(office=office_tree["n1"])
    client.force_login(staff_user)

    assert client.get(reverse("clients:client_detail", args=[subject.pk])).status_code == 200

    assert not Event.objects.filter(event="clients.client.viewed").exists()


def test_head_office_can_have_client_page_views_recorded(client, staff_user, office_tree):
    AuditRules.objects.create(record_client_views=True)
    subject = ClientFactory(office=office_tree["n1"])
    client.force_login(staff_user)

    client.get(reverse("clients:client_detail", args=[subject.pk]))

    event = Event.objects.get(event="clients.client.viewed")
    assert (event.actor_id, event.object_id, event.office_id) == (
        staff_user.pk,
        str(subject.pk),
        subject.office_id,
    )


def test_every_page_of_a_client_records_its_view_once_head_office_asks(client, staff_user, office_tree):
    """Any tab can be opened alone (a bookmark, a link from a list): each view is recorded, by page."""
    AuditRules.objects.create(record_client_views=True)
    subject = ClientFactory(office=office_tree["n1"])
    client.force_login(staff_user)
    pages = [tab.url_name for tab in tabs.tabs_for("clients.client", staff_user)]

    for url_name in pages:
        assert client.get(reverse(url_name, args=[subject.pk])).status_code == 200

    recorded = Event.objects.filter(event="clients.client.viewed", object_id=str(subject.pk))
    assert len(pages) >= 8
    assert sorted(event.details["page"] for event in recorded) == sorted(
        url_name.split(":")[-1] for url_name in pages
    )


def test_a_client_opened_in_admin_is_recorded_too(client, office_tree):
    AuditRules.objects.create(record_client_views=True)
    subject = ClientFactory(office=office_tree["n1"])
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))

    client.get(reverse("admin:clients_client_change", args=[subject.pk]))
    client.get(reverse("admin:clients_client_history", args=[subject.pk]))
    version = subject.history.earliest().history_id
    client.get(reverse("admin:clients_client_simple_history", args=[subject.pk, version]))
    client.get(reverse("admin:clients_client_changelist"))  # a list of names is not a client's page

    recorded = Event.objects.filter(event="clients.client.viewed")
    assert [(event.object_id, event.details["page"]) for event in recorded.order_by("id")] == [
        (str(subject.pk), "admin_change"),
        (str(subject.pk), "admin_history"),
        (str(subject.pk), "admin_history_version"),
    ]


def test_an_export_keeps_its_filter_and_row_count(staff_user):
    request = RequestFactory().get("/clients/export/csv/")
    request.user = staff_user

    event = record_export(
        request,
        "clients.client.exported",
        rows=42,
        filter=QueryDict("status=active&office=3&office=4&q=&after=abc"),
        format="csv",
    )

    assert event.details == {
        "rows": 42,
        "filter": {"status": "active", "office": ["3", "4"]},
        "format": "csv",
    }


def test_the_client_page_names_who_created_and_who_last_changed_the_record(client, staff_user, office_tree):
    manager = BranchManagerUserFactory(office=office_tree["n1"], first_name="Mina", last_name="Okafor")
    subject = ClientFactory(office=office_tree["n1"])  # as a command or import would: no user
    subject.city = "Moshi"
    subject._history_user = manager
    subject.save()
    client.force_login(staff_user)

    page = client.get(reverse("clients:client_detail", args=[subject.pk])).content.decode()

    created, changed = page.split("Created</dt>")[1], page.split("Last changed</dt>")[1]
    assert "the system" in created.split("</dd>")[0]
    assert "Mina Okafor" in changed.split("</dd>")[0]


def test_the_activity_log_is_in_the_menu_of_those_who_may_read_it(client, staff_user, office_tree):
    client.force_login(staff_user)
    assert "Activity log" not in client.get(reverse("home")).content.decode()

    client.force_login(BranchManagerUserFactory(office=office_tree["n1"]))
    assert "Activity log" in client.get(reverse("home")).content.decode()


def test_the_stamps_read_the_first_and_latest_history_rows_of_each_record(office_tree):
    manager = BranchManagerUserFactory(office=office_tree["n1"], first_name="", last_name="")
    subject, other = ClientFactory(office=office_tree["n1"]), ClientFactory(office=office_tree["n1"])
    for city in ("Moshi", "Arusha"):
        subject.city = city
        subject._history_user = manager
        subject.save()

    first, last = stamps(subject)

    rows = subject.history.order_by("history_date", "history_id")
    assert (first.when, first.author) == (rows.first().history_date, "")
    # A user without a name is named by their sign-in.
    assert (last.when, last.author) == (rows.last().history_date, manager.username)
    assert stamps(other)[0].when == other.history.get().history_date
    other.history.all().delete()
    assert stamps(other) == (None, None)


@override_settings(TIME_ZONE="Africa/Nairobi")
def test_the_client_page_gives_the_stamps_in_the_institution_time_zone(client, staff_user, office_tree):
    subject = ClientFactory(office=office_tree["n1"])
    written = subject.history.get().history_date
    client.force_login(staff_user)

    page = client.get(reverse("clients:client_detail", args=[subject.pk])).content.decode()

    shown = page.split("Created</dt><dd>")[1].split(" · ")[0]
    assert shown == date_format(timezone.localtime(written), "DATETIME_FORMAT")


def test_an_account_page_of_a_client_is_recorded_as_a_view_of_the_client(client, staff_user, office_tree):
    """The account's page shows the client's name, balance and transactions: a page of the client's."""
    AuditRules.objects.create(record_client_views=True)
    account = AccountFactory(client=ActiveClientFactory(office=office_tree["n1"]))
    client.force_login(staff_user)

    assert client.get(reverse("ledger:account_detail", args=[account.pk])).status_code == 200

    event = Event.objects.get(event="clients.client.viewed")
    assert (event.actor_id, event.object_id, event.details["page"]) == (
        staff_user.pk,
        str(account.client_id),
        "account_detail",
    )
