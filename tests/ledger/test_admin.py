from decimal import Decimal

import pytest
from django.urls import reverse

from ledger import services
from ledger.models import Product
from tests.ledger.conftest import DAY
from tests.ledger.factories import AccountFactory, SavingsProductFactory
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db


def test_head_office_adds_a_product_in_admin(admin_client):
    response = admin_client.post(
        reverse("admin:ledger_product_add"),
        {
            "kind": "loan",
            "name": "Housing loan",
            "short_code": "HL",
            "currency": "KES",
            "is_active": "on",
            "offered_to": "clients",
            "max_amount": "250000",
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(short_code="HL")
    assert (product.currency, product.offered_to, product.max_amount) == ("KES", "clients", Decimal("250000"))


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("50 000,00", "50000.00"),
        ("50000,5", "50000.50"),
        ("50.000,50", "50000.50"),
        ("50,000.50", "50000.50"),
    ],
)
def test_the_largest_amount_is_typed_in_admin_as_on_the_branch_pages(admin_client, typed, read):
    product = SavingsProductFactory()
    data = {"kind": "savings", "name": product.name, "short_code": product.short_code, "currency": "USD"}

    response = admin_client.post(
        reverse("admin:ledger_product_change", args=[product.pk]),
        {**data, "is_active": "on", "offered_to": "both", "max_amount": typed},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.max_amount == Decimal(read)


def test_an_amount_that_reads_two_ways_is_refused_in_admin_with_both_readings(admin_client):
    product = SavingsProductFactory()
    data = {"kind": "savings", "name": product.name, "short_code": product.short_code, "currency": "USD"}

    response = admin_client.post(
        reverse("admin:ledger_product_change", args=[product.pk]),
        {**data, "offered_to": "both", "max_amount": "1,250"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["max_amount"] == [
        "1,250 could be 1250 or 1.25. Write the amount without a thousands separator, with a point "
        "before any decimals: 1250.00 or 1.25."
    ]


def test_accounts_and_transactions_are_read_only_in_admin(admin_client, funded, teller):
    services.withdraw(funded, amount=Decimal("1"), on=DAY, by=teller)
    transaction = funded.transactions.first()

    assert admin_client.get(reverse("admin:ledger_account_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:ledger_transaction_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:ledger_account_add")).status_code == 403
    assert admin_client.get(reverse("admin:ledger_transaction_add")).status_code == 403
    page = admin_client.get(reverse("admin:ledger_transaction_change", args=[transaction.pk]))
    assert page.status_code == 200 and b'name="amount"' not in page.content
    response = admin_client.post(reverse("admin:ledger_account_delete", args=[funded.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert funded.transactions.count() == 2


def test_a_branch_manager_does_not_keep_products(client, branch):
    client.force_login(BranchManagerUserFactory(office=branch, is_staff=True))
    assert client.get(reverse("admin:ledger_product_add")).status_code == 403


def test_admin_finds_an_account_and_its_transactions_by_its_number_in_any_case(
    admin_client, funded, member, teller
):
    other = AccountFactory(client=member)
    services.deposit(other, amount=Decimal("5"), on=DAY, by=teller)
    typed = funded.number.lower() if funded.number != funded.number.lower() else funded.number.upper()

    accounts = admin_client.get(reverse("admin:ledger_account_changelist"), {"q": typed})
    transactions = admin_client.get(reverse("admin:ledger_transaction_changelist"), {"q": typed})

    assert list(accounts.context["cl"].result_list) == [funded]
    assert {line.account for line in transactions.context["cl"].result_list} == {funded}


def test_admin_finds_a_transaction_by_its_receipt_in_any_case(admin_client, funded, teller):
    paid = services.deposit(funded, amount=Decimal("7"), on=DAY, by=teller, receipt="Rc-0042")
    services.deposit(funded, amount=Decimal("8"), on=DAY, by=teller, receipt="RC-0043")

    found = admin_client.get(reverse("admin:ledger_transaction_changelist"), {"q": " rc-0042 "})
    nothing = admin_client.get(reverse("admin:ledger_transaction_changelist"), {"q": "RC-9999"})

    assert list(found.context["cl"].result_list) == [paid]
    assert list(nothing.context["cl"].result_list) == []
