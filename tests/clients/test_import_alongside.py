"""An import's transaction stays open for as long as its file takes (minutes for a large one); the
clerks of every office keep registering and editing clients meanwhile, and a client they register
is compared with the file's rows as any other. Real locks need PostgreSQL and separate connections."""

import threading

import pytest
from django.db import connection, connections

from clients.imports import ClientImporter
from clients.models import Client
from tests.clients.factories import ClientFactory
from tests.clients.test_import import born_on, csv_file
from tests.offices.factories import BranchStaffUserFactory

pytestmark = [
    # Committed transactions; the roles the migrations made are put back before each test (a flush
    # after an earlier transactional test removes them).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("restored_roles"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="table locks are PostgreSQL's"),
]


@pytest.fixture
def branch_user(office_tree):
    return BranchStaffUserFactory(office=office_tree["n1"])


def elsewhere(work):
    """Run ``work`` as another clerk's request would: on a connection of its own, waiting for a lock
    at most 3 seconds (a page that hangs is a page the clerk gives up on). Its exception, or None."""
    outcome = []

    def run():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '3s'")
            work()
            outcome.append(None)
        except Exception as error:  # noqa: BLE001 - the test reports it
            outcome.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome[0]


def rows(count):
    return [[f"EXT-{n}", "Ana", "Pérez", "female", born_on(n), ""] for n in range(count)]


def import_meanwhile(user, office, file_rows, work):
    """Import ``file_rows`` in batches of two, doing ``work`` elsewhere once the first batch is written."""
    outcomes = []

    def after_batch(_done):
        if not outcomes:
            outcomes.append(elsewhere(work))

    importer = ClientImporter(by=user, office=office, batch_size=2, on_progress=after_batch)
    return importer.import_file(csv_file(file_rows), "clients.csv"), outcomes


def test_clients_are_edited_and_registered_while_an_import_runs(office_tree, branch_user):
    """Another office registers and edits; the importing office edits its clients' details too (its
    registrations wait for the import: the office's next client number is the import's until it ends)."""
    elsewhere_kept = ClientFactory(office=office_tree["s1"], city="Riverside")
    here_kept = ClientFactory(office=office_tree["n1"], city="Riverside")

    def edit_and_register():
        for kept in (elsewhere_kept, here_kept):
            client = Client.objects.get(pk=kept.pk)
            client.city = "Lockville"
            client.save()
        ClientFactory(office=office_tree["s1"], first_name="Zed", last_name="Kamau")

    result, outcomes = import_meanwhile(branch_user, office_tree["n1"], rows(5), edit_and_register)

    assert outcomes == [None]
    assert (result.created, result.written) == (5, True)
    assert set(Client.objects.filter(city="Lockville")) == {elsewhere_kept, here_kept}
    assert Client.objects.filter(office=office_tree["n1"]).count() == 6
    assert Client.objects.filter(office=office_tree["s1"]).count() == 2


def test_a_client_registered_while_the_import_runs_is_a_possible_duplicate_of_a_later_row(office_tree):
    region_user = BranchStaffUserFactory(office=office_tree["north"])
    file_rows = rows(5)
    file_rows[4][1:3] = ["Zed", "Kamau"]  # line 6, read after the first batch is written

    def register_the_same_person():
        ClientFactory(
            office=office_tree["n2"], first_name="Zed", last_name="Kamau", date_of_birth=file_rows[4][4]
        )

    result, outcomes = import_meanwhile(region_user, office_tree["n1"], file_rows, register_the_same_person)

    assert outcomes == [None]
    assert [(error.line, error.column) for error in result.errors] == [(6, "Not a duplicate")]
    assert "Zed Kamau" in result.errors[0].message
    assert (result.written, Client.objects.count()) == (False, 1)
