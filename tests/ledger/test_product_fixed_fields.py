"""A product's kind and currency are its accounts' too (their kind, the currency of their balances):
both are fixed once it has accounts."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ledger.models import Product
from tests.ledger.factories import AccountFactory, LoanProductFactory

pytestmark = pytest.mark.django_db


def product_form(product, **fields):
    return {
        "kind": product.kind,
        "name": product.name,
        "short_code": product.short_code,
        "currency": product.currency,
        "is_active": "on",
        "offered_to": product.offered_to,
        "max_amount": "",
        **fields,
    }


@pytest.fixture
def held(office_tree):
    """A loan product with one account."""
    product = LoanProductFactory()
    AccountFactory(product=product)
    return product


def test_the_currency_of_a_product_with_accounts_is_read_only_in_admin(admin_client, held):
    url = reverse("admin:ledger_product_change", args=[held.pk])

    page = admin_client.get(url)
    saved = admin_client.post(url, product_form(held, currency="EUR", name="Working capital loan"))

    assert 'name="currency"' not in page.content.decode()
    assert saved.status_code == 302
    held.refresh_from_db()
    assert (held.name, held.currency) == ("Working capital loan", "USD")


def test_the_currency_of_a_product_without_accounts_may_still_change(admin_client, office_tree):
    product = LoanProductFactory()
    url = reverse("admin:ledger_product_change", args=[product.pk])

    assert 'name="currency"' in admin_client.get(url).content.decode()
    assert admin_client.post(url, product_form(product, currency="EUR")).status_code == 302
    product.refresh_from_db()
    assert product.currency == "EUR"


def test_a_script_cannot_change_the_currency_of_a_product_with_accounts(held):
    held.currency = "EUR"

    with pytest.raises(ValidationError) as refused:
        held.save()

    assert "currency" in refused.value.message_dict
    assert Product.objects.get(pk=held.pk).currency == "USD"


def test_validation_names_the_currency_of_a_product_with_accounts(held):
    held.currency = "EUR"

    with pytest.raises(ValidationError) as refused:
        held.full_clean()

    assert "currency" in refused.value.message_dict


def test_the_kind_of_a_product_with_accounts_is_read_only_in_admin(admin_client, held):
    url = reverse("admin:ledger_product_change", args=[held.pk])

    page = admin_client.get(url)
    saved = admin_client.post(url, product_form(held, kind="savings"))

    assert 'name="kind"' not in page.content.decode()
    assert saved.status_code == 302
    held.refresh_from_db()
    assert held.kind == "loan"


def test_a_script_cannot_change_the_kind_of_a_product_with_accounts(held):
    held.kind = "savings"

    with pytest.raises(ValidationError) as refused:
        held.save()

    assert refused.value.message_dict == {
        "kind": [
            "This product has accounts, so its kind (Loan) cannot change. "
            "Offer a new product of the other kind instead."
        ]
    }
    assert Product.objects.get(pk=held.pk).kind == "loan"


def test_saving_other_fields_of_a_product_whose_kind_was_changed_in_memory_is_allowed(held):
    held.kind = "savings"
    held.name = "Renamed"

    held.save(update_fields=["name"])

    assert Product.objects.filter(pk=held.pk).values_list("kind", "name").get() == ("loan", "Renamed")


def test_the_kind_of_a_product_without_accounts_may_still_change(admin_client, office_tree):
    product = LoanProductFactory()
    url = reverse("admin:ledger_product_change", args=[product.pk])

    assert admin_client.post(url, product_form(product, kind="savings")).status_code == 302
    product.refresh_from_db()
    assert product.kind == "savings"


def test_other_changes_of_a_product_with_accounts_are_saved(held):
    held.is_active = False
    held.save()

    assert Product.objects.get(pk=held.pk).is_active is False


@pytest.mark.parametrize("currency", ["1$x", "usd", "US", "U D"])
def test_a_currency_that_is_not_an_iso_code_is_refused(admin_client, currency):
    response = admin_client.post(
        reverse("admin:ledger_product_add"),
        {"kind": "loan", "name": "Odd", "short_code": "ODD", "currency": currency, "offered_to": "both"},
    )

    assert response.status_code == 200
    assert "three capital letters" in response.content.decode()
    assert not Product.objects.filter(name="Odd").exists()
