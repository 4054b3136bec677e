"""The statement's dates follow the Transactions tab's rule: a range whose end comes before its start
is refused with a message next to Until, not answered with an empty statement."""

import datetime

import pytest
from django.urls import reverse

from audit.models import Event
from tests.ledger.conftest import DAY

pytestmark = pytest.mark.django_db

BACKWARDS = {"date_from": (DAY + datetime.timedelta(days=1)).isoformat(), "date_until": DAY.isoformat()}
MESSAGE = "The end of the range cannot be before its start."


@pytest.mark.parametrize("format", ["csv", "pdf"])
def test_a_statement_from_after_until_is_refused_next_to_until(client, funded, teller, format):
    client.force_login(teller)

    response = client.get(reverse("ledger:account_statement", args=[funded.pk, format]), BACKWARDS)

    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert response["Content-Type"].startswith("text/html")
    assert response.context["statement_form"].errors == {"date_until": [MESSAGE]}
    assert MESSAGE in response.content.decode()
    # The form keeps what was typed, to be corrected.
    assert f'value="{BACKWARDS["date_from"]}"' in response.content.decode()
    assert not Event.objects.filter(event="ledger.statement.exported").exists()


def test_the_transactions_tab_refuses_the_same_range_with_the_same_words(client, funded, teller):
    client.force_login(teller)

    response = client.get(reverse("ledger:client_transactions", args=[funded.client_id]), BACKWARDS)

    assert response.context["filter_form"].errors == {"date_until": [MESSAGE]}


def test_a_statement_of_a_date_that_is_not_one_is_refused(client, funded, teller):
    client.force_login(teller)

    response = client.get(
        reverse("ledger:account_statement", args=[funded.pk, "csv"]), {"date_from": "2024-02-31"}
    )

    assert "Content-Disposition" not in response
    assert list(response.context["statement_form"].errors) == ["date_from"]


def test_a_statement_of_one_day_is_given(client, funded, teller):
    client.force_login(teller)

    response = client.get(
        reverse("ledger:account_statement", args=[funded.pk, "csv"]),
        {"date_from": DAY.isoformat(), "date_until": DAY.isoformat()},
    )

    assert response.content.decode().splitlines()[-1] == f"{DAY.isoformat()},Deposit,,100.00,100.00"
    assert Event.objects.filter(event="ledger.statement.exported").count() == 1
