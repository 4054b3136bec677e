"""Prepared statements on PostgreSQL: a page's repeated queries planned once, a search for its words."""

import pytest
from django.db import connection
from django.urls import reverse

from mifos.plans import custom_plans
from tests.clients.factories import create_clients_in_bulk
from tests.offices.factories import HeadOfficeAdminUserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
]


def prepared_statements():
    """The statements psycopg has prepared on this connection (not those of SQL's own PREPARE)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.mark.parametrize("url_name", ["clients:client_list", "admin:clients_client_changelist"])
def test_a_pages_repeated_queries_are_prepared_and_the_lists_search_is_not(client, office_tree, url_name):
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))
    create_clients_in_bulk(30, office=office_tree["n1"], last_name="Smith")

    for _ in range(8):
        response = client.get(reverse(url_name), {"q": "smith"})
        assert response.status_code == 200
        assert response.content.count(b"Smith") >= 25

    statements = prepared_statements()
    # The session (and its user) every signed-in page reads: planned once for the connection.
    assert any('FROM "offices_session"' in statement for statement in statements)
    # The search: planned each time for its words, since a plan for any words could walk every name.
    assert not any("search_name" in statement for statement in statements), statements


def test_preparing_resumes_after_custom_plans_even_on_an_error_but_not_inside_another():
    connection.ensure_connection()
    with pytest.raises(ZeroDivisionError), custom_plans():
        with custom_plans():
            assert connection.connection.prepare_threshold is None
        assert connection.connection.prepare_threshold is None  # the outer one still holds
        1 / 0  # noqa: B018

    assert connection.connection.prepare_threshold == 5
