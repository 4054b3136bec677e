"""Two managers acting on one client at the same moment: one succeeds, the other is told why not,
and neither gets a server error. Real row locks need PostgreSQL and separate connections."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test import Client as TestClient
from django.urls import reverse
from django.utils import timezone

from clients import lifecycle
from clients.choices import ClientStatus
from clients.models import Client, ClientEvent
from tests.clients.factories import ActiveClientFactory
from tests.offices.factories import BranchManagerUserFactory, HeadOfficeAdminUserFactory

pytestmark = [
    # Committed transactions; the roles the migrations made are put back before each test (a flush
    # after an earlier transactional test removes them).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("restored_roles"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def all_at_once(*calls):
    """Run ``calls`` in threads released together; return their results (or exceptions)."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            start.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test reports it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture(autouse=True)
def both_read_before_either_locks(monkeypatch):
    """Both requests have read the client (as both managers saw it on their pages) before either
    takes the row lock: the moment a real race is decided, every time rather than by chance."""
    meet = threading.Barrier(2, timeout=10)
    real_lock = lifecycle.lock

    def lock(client):
        try:
            meet.wait()
        except threading.BrokenBarrierError:
            pass
        real_lock(client)

    monkeypatch.setattr(lifecycle, "lock", lock)


def poster(user, url, data):
    browser = TestClient(raise_request_exception=True)
    browser.force_login(user)
    return lambda: browser.post(url, data, follow=True)


def outcome(response):
    assert not isinstance(response, Exception), repr(response)
    # A manager whose client has just left their office is refused as for any client outside it.
    assert response.status_code in (200, 403, 404), response.status_code
    return "done" if response.status_code == 200 and "done." in response.content.decode() else "refused"


@pytest.mark.parametrize("repeat", range(3))
def test_two_transfers_now_of_one_client_one_succeeds_and_one_is_refused(office_tree, repeat):
    client = ActiveClientFactory(office=office_tree["n1"], staff=None)
    today = timezone.localdate().isoformat()
    url = reverse("clients:client_transfer", args=[client.pk])
    admin_1 = HeadOfficeAdminUserFactory(office=office_tree["head"])
    admin_2 = HeadOfficeAdminUserFactory(office=office_tree["head"])

    results = all_at_once(
        poster(admin_1, url, {"to_office": office_tree["s1"].pk, "on": today}),
        poster(admin_2, url, {"to_office": office_tree["n2"].pk, "on": today}),
    )

    assert sorted(outcome(response) for response in results) == ["done", "refused"]
    assert ClientEvent.objects.filter(client=client, action="transferred").count() == 1


def test_accept_and_withdraw_at_once_one_succeeds_and_one_is_refused(office_tree):
    client = ActiveClientFactory(office=office_tree["n1"], staff=None)
    Client.objects.filter(pk=client.pk).update(
        status=ClientStatus.TRANSFER_IN_PROGRESS,
        transfer_to_office=office_tree["s1"],
        status_changed_on=datetime.date(2024, 3, 1),
    )
    today = timezone.localdate().isoformat()
    receiving = BranchManagerUserFactory(office=office_tree["s1"])
    sending = BranchManagerUserFactory(office=office_tree["n1"])

    results = all_at_once(
        poster(receiving, reverse("clients:client_accept_transfer", args=[client.pk]), {"on": today}),
        poster(sending, reverse("clients:client_withdraw_transfer", args=[client.pk]), {"on": today}),
    )

    assert sorted(outcome(response) for response in results) == ["done", "refused"]
    client.refresh_from_db()
    assert client.status in (ClientStatus.ACTIVE,)
