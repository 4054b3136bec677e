"""Ids drawn for a bulk load, on PostgreSQL: never drawn twice, and others keep writing meanwhile."""

import pytest
from django.db import connection, transaction

from clients.models import Occupation
from mifos.bulk import BulkWriter
from tests.clients.factories import OccupationFactory
from tests.clients.test_import_alongside import elsewhere

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's sequences"),
]


def test_ids_reserved_in_an_open_transaction_keep_no_one_waiting_and_are_not_drawn_again():
    made = []

    with transaction.atomic():
        reserved = BulkWriter().reserve_ids(Occupation, 100)
        outcome = elsewhere(lambda: made.append(OccupationFactory(name="Tailor").pk))
        more = BulkWriter().reserve_ids(Occupation, 100)

    assert outcome is None
    assert len(set(reserved + more + made)) == 201
    assert reserved == list(range(reserved[0], reserved[0] + 100))
    assert Occupation.objects.get(name="Tailor").pk == made[0]
