import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Q, Value
from django.test.utils import CaptureQueriesContext

from clients.models import Client
from mifos import pagination
from mifos.pagination import EstimatedCountPaginator, InvalidCursor, Tiers, paginate
from tests.clients.factories import create_clients_in_bulk
from tests.offices.factories import OfficeFactory

pytestmark = pytest.mark.django_db

ORDERINGS = [
    ("search_name", "id"),
    ("-search_name", "-id"),
    ("submitted_on", "id"),
    ("-submitted_on", "-id"),
    ("account_no", "id"),
]


@pytest.fixture
def clients():
    """23 clients with many equal names and dates, so that pages split ties."""
    office = OfficeFactory()
    rows = create_clients_in_bulk(23, office=office)
    for index, client in enumerate(rows):
        client.first_name, client.last_name = ("Ana", "Ruiz") if index % 3 else ("Zoé", "Abad")
        client.search_name = client.compose_search_name()
        client.submitted_on = datetime.date(2024, 1, 1 + index % 4)
    Client.objects.bulk_update(rows, ["first_name", "last_name", "search_name", "submitted_on"])
    return rows


def walk_forward(queryset, per_page):
    pages, cursor = [], None
    while True:
        page = paginate(queryset, after=cursor, per_page=per_page)
        pages.append(page)
        if not page.has_next:
            return pages
        cursor = page.next_cursor


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_pages_forward_list_every_row_once_in_order(clients, ordering):
    queryset = Client.objects.order_by(*ordering)

    pages = walk_forward(queryset, per_page=5)

    assert [client.pk for page in pages for client in page] == list(queryset.values_list("pk", flat=True))
    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]
    assert not pages[0].has_previous and all(page.has_previous for page in pages[1:])


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_previous_returns_the_same_pages_backwards(clients, ordering):
    queryset = Client.objects.order_by(*ordering)
    forward = walk_forward(queryset, per_page=5)

    page, backward = forward[-1], []
    while page.has_previous:
        page = paginate(queryset, before=page.previous_cursor, per_page=5)
        backward.append([client.pk for client in page])

    assert backward == [[client.pk for client in page] for page in forward[-2::-1]]


def test_a_page_is_two_queries_however_deep(clients, django_assert_num_queries):
    queryset = Client.objects.select_related("office").order_by("search_name", "id")
    last = walk_forward(queryset, per_page=2)[-2]

    with django_assert_num_queries(2):  # the page's ids, then its rows
        paginate(queryset, after=last.next_cursor, per_page=2)


def test_the_rows_come_with_the_querysets_related_rows_and_only_its_columns(
    clients, django_assert_num_queries
):
    queryset = Client.objects.select_related("office").only("account_no", "office__name").order_by("id")

    with django_assert_num_queries(2):
        page = paginate(queryset, per_page=5)
        offices = {client.office.name for client in page}

    assert offices == {clients[0].office.name}
    assert {"account_no", "id"}.isdisjoint(page.object_list[0].get_deferred_fields())
    assert "email" in page.object_list[0].get_deferred_fields()


def test_an_annotation_can_be_a_sort_key(clients):
    queryset = Client.objects.annotate(rank=Value(1)).order_by("rank", "-search_name", "id")

    pages = walk_forward(queryset, per_page=4)

    assert [client.pk for page in pages for client in page] == list(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("per_page", [2, 5, 30])
def test_a_list_in_tiers_pages_through_each_tier_in_turn(clients, per_page):
    # On PostgreSQL each page is a UNION ALL of one query per tier; elsewhere one ranked query.
    tiers = Tiers(Q(first_name="Zoé"), Q(submitted_on=datetime.date(2024, 1, 2)))
    queryset = Client.objects.annotate(rank=tiers).order_by("rank", "-search_name", "id")
    expected = list(queryset.values_list("pk", flat=True))

    pages = walk_forward(queryset, per_page=per_page)
    backward, page = [], pages[-1]
    while page.has_previous:
        page = paginate(queryset, before=page.previous_cursor, per_page=per_page)
        backward = [client.pk for client in page] + backward

    assert [client.pk for page in pages for client in page] == expected
    assert backward == expected[: len(expected) - len(pages[-1])]
    assert [client.rank for client in pages[0]][:1] == [0]


@pytest.mark.parametrize(
    "cursor",
    ["not base64!", "bm90IGpzb24", "WzFd", "WyJ4IiwieSIsInoiXQ", "WyJhIiwieCJd", "W251bGwsMV0", "e30"],
)
def test_a_cursor_it_did_not_write_is_refused(clients, cursor):
    # Garbage, not JSON, too few values, too many, a non-integer id, a null, an object.
    with pytest.raises(InvalidCursor):
        paginate(Client.objects.order_by("search_name", "id"), after=cursor)


def test_an_unordered_list_cannot_be_paginated(clients):
    with pytest.raises(ImproperlyConfigured):
        paginate(Client.objects.all())


def test_an_empty_list_is_one_page_without_neighbours():
    page = paginate(Client.objects.order_by("search_name", "id"))

    assert list(page) == [] and not page.has_other_pages


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_pages_read_in_disjoint_parts_are_the_pages_of_the_whole(clients, ordering):
    queryset = Client.objects.order_by(*ordering)
    odd, even = (
        Q(id__in=[client.pk for client in clients[::2]]),
        Q(id__in=[client.pk for client in clients[1::2]]),
    )
    parts = [queryset.filter(odd), queryset.filter(even)]

    pages, cursor = [], None
    while cursor or not pages:
        page = paginate(queryset, after=cursor, per_page=5, parts=parts)
        pages.append([client.pk for client in page])
        cursor = page.next_cursor
    back = paginate(queryset, before=page.previous_cursor, per_page=5, parts=parts)

    assert pages == [[client.pk for client in page] for page in walk_forward(queryset, per_page=5)]
    assert [client.pk for client in back] == pages[-2]


# --- Admin's paginator ---------------------------------------------------------------------------


def test_admin_numbers_the_pages_of_a_large_table_without_counting_it(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(pagination, "_estimated_rows", lambda queryset: 1_000_000)
    paginator = EstimatedCountPaginator(Client.objects.order_by("pk"), 50)

    with django_assert_num_queries(0):
        assert paginator.num_pages == 20_000


def test_admin_counts_a_small_table_or_a_filtered_list_exactly(clients):
    Client.objects.filter(pk=clients[0].pk).update(status="active")

    assert EstimatedCountPaginator(Client.objects.order_by("pk"), 10).count == 23
    assert EstimatedCountPaginator(Client.objects.filter(status="active").order_by("pk"), 10).count == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the estimate is PostgreSQL's")
def test_a_long_filtered_list_is_counted_up_to_a_cap_then_estimated(clients, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 5)
    monkeypatch.setattr(pagination, "_planned_rows", lambda queryset: 4_000)
    Client.objects.filter(pk__in=[client.pk for client in clients[:4]]).update(status="active")
    long_list = Client.objects.exclude(status="active").order_by("pk")

    with CaptureQueriesContext(connection) as queries:
        assert EstimatedCountPaginator(long_list, 10).num_pages == 400
    assert EstimatedCountPaginator(Client.objects.filter(status="active").order_by("pk"), 10).count == 4
    # The count stopped at the cap: no query read every row of the list.
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"]]
    assert len(counts) == 1 and "LIMIT 6" in counts[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the estimate is PostgreSQL's")
def test_the_planners_estimate_follows_the_filter(clients):
    Client.objects.filter(pk__in=[client.pk for client in clients[:3]]).update(status="active")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clients_client")

    assert pagination._planned_rows(Client.objects.all()) == 23
    assert 1 <= pagination._planned_rows(Client.objects.filter(status="active")) < 23


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the estimate is PostgreSQL's")
def test_the_estimate_is_postgresqls_for_an_unfiltered_table_only(clients):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clients_client")

    assert pagination._estimated_rows(Client.objects.all()) == 23
    assert pagination._estimated_rows(Client.objects.filter(status="active")) is None
