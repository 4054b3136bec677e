"""Queries written once per process (mifos/compiled.py): run with each id, values as the ORM reads them."""

from decimal import Decimal

import pytest

from clients.models import Client
from ledger.templating import client_totals
from mifos.compiled import STAND_IN, CompiledQuery
from tests.clients.factories import ActiveClientFactory
from tests.ledger.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_a_query_that_does_not_take_the_stand_in_is_refused():
    with pytest.raises(ValueError, match="does not take the stand-in"):
        CompiledQuery.of(Client.objects.filter(first_name="Ana"))


def test_the_same_sql_answers_for_each_id_it_is_given():
    first, second = ActiveClientFactory(first_name="Ana"), ActiveClientFactory(first_name="Bea")
    query = CompiledQuery.of(Client.objects.filter(pk=STAND_IN).values_list("first_name"))

    assert query.first_row(first.pk) == ("Ana",)
    assert query.first_row(second.pk) == ("Bea",)
    assert query.first_row(second.pk + 1000) is None


def test_amounts_come_back_as_decimals_on_every_database():
    """SQLite sums decimals as floats: the ORM's converters, applied here too, make them exact again."""
    member = ActiveClientFactory()
    AccountFactory(client=member, balance=Decimal("0.10"))
    AccountFactory(client=member, balance=Decimal("0.20"))

    totals = client_totals(member)

    assert totals["savings"] == Decimal("0.30") and isinstance(totals["savings"], Decimal)
    assert totals["open"] == 2


def test_instances_come_back_as_the_queryset_gives_them_with_their_related_objects(django_assert_num_queries):
    member = ActiveClientFactory(first_name="Ana", monthly_income=Decimal("1250.50"))
    query = CompiledQuery.of(Client.objects.select_related("office", "staff").filter(pk=STAND_IN))
    expected = Client.objects.select_related("office", "staff").get(pk=member.pk)

    with django_assert_num_queries(1):
        [found] = query.objects(member.pk)
        assert (found.office.name, str(found.staff)) == (expected.office.name, str(expected.staff))

    assert found == expected and found._state.adding is False
    assert {name: getattr(found, name) for name in ("first_name", "monthly_income", "created_at")} == {
        name: getattr(expected, name) for name in ("first_name", "monthly_income", "created_at")
    }
    assert query.objects(member.pk + 1000) == []


def test_a_query_of_values_gives_no_instances():
    query = CompiledQuery.of(Client.objects.filter(pk=STAND_IN).values_list("first_name"))

    with pytest.raises(ValueError, match="not model instances"):
        query.objects(1)
