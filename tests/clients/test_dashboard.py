"""The dashboard: figures kept by the database as clients change, for the user's offices only."""

import collections
import datetime
import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from clients import lifecycle, summaries
from clients.choices import ClientStatus, ReasonKind
from clients.demo_clients import generate_clients
from clients.imports import ClientImporter
from clients.models import Client, ClientRules
from tests.access import assert_access
from tests.clients.factories import (
    ActiveClientFactory,
    ClientActionReasonFactory,
    ClientFactory,
    IdentificationFactory,
    create_clients_in_bulk,
)
from tests.groups.factories import GroupFactory
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("clients:dashboard")
TODAY = timezone.localdate()


def counted_another_way():
    """Clients per (office, status, no phone, no officer), counted on the clients themselves."""
    totals = collections.Counter()
    for client in Client.objects.values("office_id", "status", "mobile_phone", "staff_id"):
        no_phone, no_officer = client["mobile_phone"] == "", client["staff_id"] is None
        totals[(client["office_id"], client["status"], no_phone, no_officer)] += 1
    return dict(totals)


def summarised(office_ids=None):
    return {
        (office, status, phone, officer): n
        for office, status, phone, officer, n in summaries.status_rows(office_ids)
    }


def months_another_way(clients):
    """{(office, month, kind): count} of submitted and closed clients, from the clients themselves."""
    totals = collections.Counter()
    for client in clients:
        totals[(client.office_id, client.submitted_on.replace(day=1), summaries.NEW)] += 1
        if client.closed_on:
            totals[(client.office_id, client.closed_on.replace(day=1), summaries.CLOSED)] += 1
    return totals


def months_summarised():
    totals = collections.Counter()
    for office in Client.objects.order_by().values_list("office_id", flat=True).distinct():
        for month, kind, count in summaries.month_rows([office], datetime.date(1900, 1, 1)):
            if count:
                totals[(office, month, kind)] += count
    return totals


@pytest.fixture
def manager(office_tree):
    ClientRules.objects.update_or_create(pk=1, defaults={"four_eyes_activation": False})
    return BranchManagerUserFactory(office=office_tree["n1"])


def test_the_summary_follows_clients_through_their_lifecycle(office_tree, manager):
    n1, s1 = office_tree["n1"], office_tree["s1"]
    pending = [ClientFactory(office=n1, submitted_on=TODAY) for _ in range(3)]
    active = [ActiveClientFactory(office=n1, mobile_phone="+254700000001") for _ in range(2)]
    ClientFactory(office=s1, staff=StaffFactory(office=s1))

    lifecycle.activate(pending[0], on=TODAY, by=manager)
    lifecycle.reject(
        pending[1], on=TODAY, by=manager, reason=ClientActionReasonFactory(kind=ReasonKind.REJECTION)
    )
    closure = ClientActionReasonFactory(kind=ReasonKind.CLOSURE)
    lifecycle.close(active[0], on=TODAY, by=manager, reason=closure)
    lifecycle.transfer(active[1], to_office=s1, on=TODAY, by=HeadOfficeAdminUserFactory())
    lifecycle.propose_transfer(pending[0], to_office=s1, on=TODAY, by=manager)
    Client.objects.filter(pk=pending[2].pk).update(mobile_phone="+254700000002")  # as admin or a script
    create_clients_in_bulk(4, office=s1, submitted_on=datetime.date(2025, 3, 9))
    Client.objects.filter(pk=active[0].pk).delete()

    assert summarised() == counted_another_way()
    assert months_summarised() == months_another_way(Client.objects.all())


def test_clients_loaded_in_bulk_are_counted(office_tree):
    generate_clients(60)

    assert summarised() == counted_another_way()
    assert months_summarised() == months_another_way(Client.objects.all())


def test_clients_imported_from_a_file_are_counted(office_tree):
    rows = [
        ["EXT-1", "Ana", "Perez", "female", "1990-04-12", "+34600111222"],
        ["EXT-2", "Ben", "Okello", "male", "1985-01-30", ""],
    ]
    header = ["External id", "First name", "Last name", "Gender", "Date of birth", "Mobile phone"]
    lines = [",".join(header), *(",".join(row) for row in rows)]
    stream = io.BytesIO(("\r\n".join(lines) + "\r\n").encode())
    user = BranchStaffUserFactory(office=office_tree["n1"])

    ClientImporter(by=user, office=office_tree["n1"]).import_file(stream, "clients.csv")

    assert Client.objects.count() == 2
    assert summarised() == counted_another_way()
    assert months_summarised() == months_another_way(Client.objects.all())


def test_rebuilding_gives_the_same_counts(office_tree, manager):
    ActiveClientFactory.create_batch(3, office=office_tree["n1"])
    ClientFactory(office=office_tree["s1"])
    kept = summarised()

    summaries.rebuild()

    assert summarised() == kept == counted_another_way()


def test_rebuilding_repairs_counts_that_drifted(office_tree):
    ClientFactory.create_batch(2, office=office_tree["n1"])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE clients_summary_status SET n = n + 40")

    summaries.rebuild()

    assert summarised() == counted_another_way()


def test_head_office_sees_the_dashboard_as_its_home_page(client, office_tree):
    ClientFactory.create_batch(2, office=office_tree["n1"])
    client.force_login(HeadOfficeAdminUserFactory())

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["status_chart"].title == "Clients by status"
    page = response.content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert 'role="search"' in page


def test_branch_staff_keep_the_home_page_with_the_search_box(client, office_tree):
    client.force_login(BranchStaffUserFactory(office=office_tree["n1"]))

    response = client.get(reverse("home"))

    assert "status_chart" not in response.context
    assert 'id="home-search"' in response.content.decode()


def test_only_managers_and_head_office_open_the_dashboard(client, office_tree, manager):
    assert_access(client, URL, permitted=manager, without_permission=BranchStaffUserFactory())


def test_a_branch_sees_the_figures_of_its_own_offices_only(client, office_tree, manager):
    n1, s1 = office_tree["n1"], office_tree["s1"]
    ClientFactory.create_batch(2, office=n1, submitted_on=TODAY)
    ClientFactory.create_batch(5, office=s1, submitted_on=TODAY)
    ActiveClientFactory(office=s1, status=ClientStatus.TRANSFER_IN_PROGRESS, transfer_to_office=n1)
    ActiveClientFactory(office=n1, status=ClientStatus.TRANSFER_IN_PROGRESS, transfer_to_office=s1)
    ActiveClientFactory(office=n1, status=ClientStatus.TRANSFER_ON_HOLD, transfer_to_office=s1)
    ActiveClientFactory(office=s1, status=ClientStatus.TRANSFER_ON_HOLD, transfer_to_office=n1)
    GroupFactory(office=n1)
    GroupFactory(office=s1)
    client.force_login(manager)

    context = client.get(URL).context

    by_status = {bar.label: bar.value for bar in context["status_chart"].bars}
    assert by_status["Pending"] == 2
    assert by_status["Transfer in progress"] == 1
    assert [label for label, _value, _url in context["office_chart"].rows] == ["North One"]
    assert context["month_chart"].rows[-1][1] == 2  # new this month: n1's two
    waiting = {str(label): count for label, count, _url in context["waiting"]}
    assert waiting == {
        "Clients waiting for approval": 2,
        "Transfers coming in": 1,
        "Transfers going out": 1,
        "Transfers refused, clients on hold": 1,
        "Groups waiting for activation": 1,
        "Identifications expiring within 30 days": 0,
    }


def test_each_waiting_figure_links_to_a_list_of_as_many_clients(client, office_tree, manager):
    n1, s1 = office_tree["n1"], office_tree["s1"]
    ClientFactory.create_batch(2, office=n1)
    ActiveClientFactory(office=s1, status=ClientStatus.TRANSFER_IN_PROGRESS, transfer_to_office=n1)
    ActiveClientFactory.create_batch(
        2, office=n1, status=ClientStatus.TRANSFER_IN_PROGRESS, transfer_to_office=s1
    )
    ActiveClientFactory.create_batch(
        3, office=n1, status=ClientStatus.TRANSFER_ON_HOLD, transfer_to_office=s1
    )
    expiring = ActiveClientFactory(office=n1)
    IdentificationFactory(client=expiring, expiry_date=TODAY + datetime.timedelta(days=10))
    IdentificationFactory(
        client=ActiveClientFactory(office=n1), expiry_date=TODAY + datetime.timedelta(days=90)
    )
    client.force_login(manager)

    waiting = client.get(URL).context["waiting"]

    for label, count, url in waiting:
        if "groups" in url:
            continue
        listed = len(client.get(url).context["page"].object_list)
        assert listed == count, label


def test_the_month_chart_counts_new_and_closed_clients_of_the_last_twelve_months(client, office_tree):
    n1 = office_tree["n1"]
    ClientFactory.create_batch(3, office=n1, submitted_on=TODAY)
    ClientFactory(office=n1, submitted_on=TODAY - datetime.timedelta(days=800))
    ActiveClientFactory(office=n1, status=ClientStatus.CLOSED, closed_on=TODAY, submitted_on=TODAY)
    client.force_login(HeadOfficeAdminUserFactory())

    chart = client.get(URL).context["month_chart"]

    assert len(chart.rows) == 12
    assert chart.rows[-1][1:3] == (4, 1)
    assert sum(row[1] for row in chart.rows) == 4  # the one of two years ago is not shown


def test_the_dashboard_runs_as_many_queries_whatever_the_number_of_clients(
    client, office_tree, manager, django_assert_max_num_queries
):
    for office in (office_tree["n1"], office_tree["n2"], office_tree["s1"]):
        create_clients_in_bulk(30, office=office, submitted_on=TODAY)
    client.force_login(HeadOfficeAdminUserFactory())

    with django_assert_max_num_queries(12):
        response = client.get(URL)

    assert response.status_code == 200
    assert len(response.context["office_chart"].rows) == 3
