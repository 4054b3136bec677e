from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import translation

from audit import chain, record
from audit.models import Event
from audit.recording import seal
from ledger import services
from tests.clients.factories import ActiveClientFactory, ClientFactory
from tests.ledger.conftest import DAY
from tests.ledger.factories import AccountFactory
from tests.offices.factories import BranchStaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_keeps_the_user_and_address_of_a_request(head_office):
    user = UserFactory(office=head_office, username="amina")
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = user

    event = record(request, "clients.client.exported", rows=12, filter={"status": "active"})

    event.refresh_from_db()
    assert event.actor == user
    assert event.actor_name == "amina"
    assert event.remote_addr == "10.1.2.3"
    assert event.event == "clients.client.exported"
    assert event.details == {"rows": 12, "filter": {"status": "active"}}
    assert event.office_id is None


def test_it_names_the_object_and_its_office_as_text():
    client = ClientFactory()

    event = record(None, "clients.client.activated", obj=client)

    assert event.actor is None and event.actor_name == ""
    assert event.content_type == ContentType.objects.get_for_model(client)
    assert event.object_id == str(client.pk)
    assert event.object_repr == str(client)
    assert event.office_id == client.office_id


def test_it_takes_the_office_of_a_part_from_its_client():
    from clients.models import Note

    client = ClientFactory()
    note = Note.objects.create(client=client, text="Visited the shop")

    assert record(None, "clients.note.viewed", obj=note).office_id == client.office_id


def test_a_given_office_wins_over_the_object(office_tree):
    client = ClientFactory(office=office_tree["n1"])

    assert record(None, "x.y.z", obj=client, office=office_tree["s1"]).office_id == office_tree["s1"].pk


def test_the_name_survives_the_deletion_of_the_user_and_object(head_office):
    user = UserFactory(office=head_office, username="leaving")
    client = ClientFactory()
    event = record(user, "clients.client.changed", obj=client)
    description = str(client)

    client.delete()
    user.delete()

    event = Event.objects.get(pk=event.pk)
    assert (event.actor_name, event.object_repr) == ("leaving", description)


def test_each_event_chains_to_the_one_before_once_its_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = record(None, "a.b.first")
        second = record(None, "a.b.second", note="ünïcode", amount="12.50")
        assert second.sequence is None  # not yet: the transaction has not committed

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.sequence == first.sequence + 1
    assert second.previous_hash == first.hash
    # Recomputed from what the database gives back, the hash is the same.
    assert chain.digest(second, first.hash) == second.hash


def test_one_sealing_per_transaction_chains_all_its_events(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        for number in range(5):
            record(None, "a.b.many", number=number)

    assert len(callbacks) == 1
    assert seal() == 5
    assert list(Event.objects.order_by("sequence").values_list("details__number", flat=True)) == [
        0,
        1,
        2,
        3,
        4,
    ]


def test_an_event_rolls_back_with_its_transaction():
    kept = record(None, "a.b.kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        record(None, "a.b.lost")
        raise RuntimeError
    after = record(None, "a.b.after")
    seal()

    kept.refresh_from_db()
    after.refresh_from_db()
    assert after.sequence == kept.sequence + 1 and after.previous_hash == kept.hash
    assert not Event.objects.filter(event="a.b.lost").exists()


def test_recording_is_one_insert(django_assert_max_num_queries):
    record(None, "a.b.warm-up")
    client = ClientFactory()
    with django_assert_max_num_queries(1):
        record(None, "clients.client.changed", obj=client)


def test_sealing_a_batch_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    record(None, "a.b.warm-up")
    seal()
    for number in range(30):
        record(None, "a.b.batch", number=number)
    # A savepoint and its release, (PostgreSQL: no wait for the disk,) the head locked, the waiting
    # events, their update, the head's.
    with django_assert_max_num_queries(7):
        assert seal() == 30


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_the_database_refuses_to_change_or_delete_an_event():
    from django.db import DatabaseError

    waiting = record(None, "a.b.c")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=waiting.pk).update(event="x.y.z", sequence=99)
    seal()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=waiting.pk).update(event="x.y.z")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=waiting.pk).update(sequence=1000, hash="0" * 64)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=waiting.pk).delete()


def test_the_object_is_named_in_the_institutions_language_whoever_acts(settings, office_tree):
    """The description is kept as written: a Spanish-speaking teller's deposit read "Depósito 1250.00"
    in a log whose other lines, and whose readers, were English."""
    settings.LANGUAGE_CODE = "en"
    account = AccountFactory(client=ActiveClientFactory(office=office_tree["n1"]))
    teller = BranchStaffUserFactory(office=office_tree["n1"], language="es")

    with translation.override("es"):
        deposit = services.deposit(account, amount=Decimal("1250"), on=DAY, by=teller)

    event = Event.objects.get(object_id=str(deposit.pk), content_type__model="transaction")
    assert event.object_repr.startswith("Deposit 1250.00")


def test_text_a_terminal_could_not_decode_is_recorded_and_sealed_as_replacement_characters():
    """``export_clients --search $'zzz\\xff'``: Python hands the command a lone surrogate."""
    event = record(None, "clients.client.exported", rows=0, filter={"q": "zzz\udcff"})

    assert seal() == 1
    event.refresh_from_db()
    assert event.details == {"rows": 0, "filter": {"q": "zzz\ufffd"}}
    assert event.hash == chain.digest(event, event.previous_hash)
