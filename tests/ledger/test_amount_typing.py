"""Amounts as a teller types them: a comma or a point before the cents, in any language. The
browser's number box sent 375 for "3,75"; the amount is now a text box read on the server."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients.forms import NewIndividualClientForm
from tests.ledger.conftest import DAY
from tests.offices.factories import HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db


def deposit(client, account, amount):
    return client.post(
        reverse("ledger:account_post", args=[account.pk]),
        {"kind": "deposit", "amount": amount, "on": DAY.isoformat()},
    )


@pytest.mark.parametrize(
    ("typed", "balance"),
    [("3,75", "3.75"), ("3.75", "3.75"), ("1,250.50", "1250.50"), ("1.250,50", "1250.50"), ("1 250", "1250")],
)
def test_a_deposit_is_counted_as_typed_whatever_the_decimal_mark(client, savings, teller, typed, balance):
    client.force_login(teller)

    assert deposit(client, savings, typed).status_code == 302

    savings.refresh_from_db()
    assert savings.balance == Decimal(balance)


def test_an_amount_that_reads_two_ways_is_refused_with_both_readings(client, savings, teller):
    client.force_login(teller)

    response = deposit(client, savings, "1,250")

    assert response.context["posting_form"].errors["amount"] == [
        "1,250 could be 1250 or 1.25. Write the amount without a thousands separator, with a point "
        "before any decimals: 1250.00 or 1.25."
    ]
    savings.refresh_from_db()
    assert savings.balance == Decimal("0") and not savings.transactions.exists()


def test_the_amount_box_is_text_with_the_phones_decimal_keypad(client, savings, teller):
    client.force_login(teller)

    page = client.get(reverse("ledger:account_detail", args=[savings.pk])).content.decode()

    assert 'name="amount"' in page
    box = page[page.index('name="amount"') - 200 : page.index('name="amount"') + 200]
    assert 'type="text"' in box and 'inputmode="decimal"' in box and 'type="number"' not in box


def test_the_client_forms_monthly_income_is_read_the_same_way(office_tree):
    form = NewIndividualClientForm(user=HeadOfficeAdminUserFactory())
    income = form.fields["monthly_income"]

    assert income.clean("1.250,50") == Decimal("1250.50")
    with pytest.raises(ValidationError, match="could be 1250 or 1.25"):
        income.clean("1.250")


@pytest.mark.parametrize("typed", ["²", "①", "1²"])
def test_a_superscript_or_circled_digit_is_refused_next_to_the_amount(client, savings, teller, typed):
    client.force_login(teller)

    response = deposit(client, savings, typed)

    assert response.status_code == 200
    assert response.context["posting_form"].errors["amount"] == ["Write an amount, for example 1250.50."]
    assert not savings.transactions.exists()
