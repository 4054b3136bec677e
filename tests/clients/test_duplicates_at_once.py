"""Two clerks registering the same business at the same moment: one is registered, the other is
refused with the first one's name. Real locks need PostgreSQL and separate connections."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from clients import registration
from clients.models import Client
from tests.clients.factories import CorporateClientFactory
from tests.offices.factories import BranchStaffUserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("restored_roles"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's"),
]


@pytest.fixture(autouse=True)
def both_checked_before_either_saves(monkeypatch):
    """Both registrations reach the number's check together, every time rather than by chance."""
    meet = threading.Barrier(2, timeout=10)
    real_lock = registration._lock_registration_number

    def lock(client):
        try:
            meet.wait()
        except threading.BrokenBarrierError:
            pass
        real_lock(client)

    monkeypatch.setattr(registration, "_lock_registration_number", lock)


def test_the_same_registration_number_registered_twice_at_once_is_refused_once(office_tree):
    clerks = [BranchStaffUserFactory(office=office_tree["n1"]) for _ in range(2)]
    outcomes = [None, None]

    def register(index, written):
        business = CorporateClientFactory.build(
            office=office_tree["n1"], business_name=f"Acme {index}", registration_number=written
        )
        business.account_no = ""
        try:
            registration.register_client(business, by=clerks[index])
            outcomes[index] = "registered"
        except ValidationError as error:
            outcomes[index] = error.message_dict["registration_number"][0]
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=register, args=(0, "COOP-2019-0042")),
        threading.Thread(target=register, args=(1, "coop 2019 0042")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes)[1] == "registered"
    assert sorted(outcomes)[0].startswith("This registration number already belongs to Acme ")
    assert Client.objects.filter(registration_number_normalized="COOP20190042").count() == 1
