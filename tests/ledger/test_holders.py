"""Who may hold a product: clients, groups (centers count as groups), or both. The service refuses
the others; the forms offer each holder only its own products."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from audit.models import Event
from ledger import services
from ledger.choices import ProductHolders
from ledger.demo import seed_products
from ledger.models import Account, Product
from mifos.actions import TransitionError
from tests.groups.factories import ActiveCenterFactory, ActiveGroupFactory
from tests.ledger.conftest import DAY
from tests.ledger.factories import LoanProductFactory, SavingsProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(branch):
    return ActiveGroupFactory(office=branch, activated_on=DAY)


@pytest.fixture
def center(branch):
    return ActiveCenterFactory(office=branch, activated_on=DAY)


@pytest.fixture
def products():
    return {
        ProductHolders.CLIENTS: LoanProductFactory(
            name="Working capital loan", short_code="WC", offered_to=ProductHolders.CLIENTS
        ),
        ProductHolders.GROUPS: LoanProductFactory(
            name="Group loan", short_code="GL", offered_to=ProductHolders.GROUPS
        ),
        ProductHolders.BOTH: SavingsProductFactory(
            name="Voluntary savings", short_code="VS", offered_to=ProductHolders.BOTH
        ),
    }


@pytest.mark.parametrize(
    ("holder", "offered_to", "allowed"),
    [
        ("member", ProductHolders.CLIENTS, True),
        ("member", ProductHolders.GROUPS, False),
        ("member", ProductHolders.BOTH, True),
        ("group", ProductHolders.CLIENTS, False),
        ("group", ProductHolders.GROUPS, True),
        ("group", ProductHolders.BOTH, True),
        ("center", ProductHolders.CLIENTS, False),
        ("center", ProductHolders.GROUPS, True),
        ("center", ProductHolders.BOTH, True),
    ],
)
def test_an_account_is_opened_only_for_whom_its_product_is_offered(
    request, products, manager, holder, offered_to, allowed
):
    owner = request.getfixturevalue(holder)
    product = products[offered_to]

    if allowed:
        account = services.open_account(owner, product=product, on=DAY, by=manager)
        assert account.owner == owner
        return
    with pytest.raises(TransitionError) as error:
        services.open_account(owner, product=product, on=DAY, by=manager)
    assert error.value.field == "product"
    assert (
        error.value.message
        == {
            ProductHolders.CLIENTS: "Working capital loan is offered to clients only, not to groups.",
            ProductHolders.GROUPS: "Group loan is offered to groups only, not to individual clients.",
        }[offered_to]
    )
    assert not Account.objects.exists()
    assert not Event.objects.filter(event="ledger.account.opened").exists()


def offered(response):
    return {str(product) for product in response.context["open_form"].fields["product"].queryset}


def test_a_clients_accounts_tab_offers_the_products_for_clients_only(client, member, manager, products):
    client.force_login(manager)
    response = client.get(reverse("ledger:client_accounts", args=[member.pk]))

    assert offered(response) == {"Working capital loan", "Voluntary savings"}
    assert ">Group loan</option>" not in response.content.decode()


def test_a_groups_accounts_page_offers_the_products_for_groups_only(client, group, manager, products):
    client.force_login(manager)
    response = client.get(reverse("ledger:group_accounts", args=[group.pk]))

    assert offered(response) == {"Group loan", "Voluntary savings"}
    assert ">Working capital loan</option>" not in response.content.decode()


def test_a_group_loan_posted_for_a_client_opens_nothing(client, member, manager, products):
    client.force_login(manager)
    response = client.post(
        reverse("ledger:account_open", args=[member.pk]),
        {"product": products[ProductHolders.GROUPS].pk, "on": DAY.isoformat()},
    )

    assert response.status_code == 200
    assert response.context["open_form"].errors["product"]
    assert not Account.objects.exists()


def test_the_demo_group_loan_is_for_groups_and_the_rest_for_both():
    seed_products()

    assert dict(Product.objects.values_list("short_code", "offered_to")) == {
        "VS": ProductHolders.BOTH,
        "CS": ProductHolders.BOTH,
        "WC": ProductHolders.BOTH,
        "GL": ProductHolders.GROUPS,
    }


def test_the_migration_gives_the_group_loan_to_groups_and_leaves_the_rest_to_both():
    migration = importlib.import_module("ledger.migrations.0006_product_offered_to")
    LoanProductFactory(name="Group loan", short_code="GL")
    LoanProductFactory(name="Housing loan", short_code="HL")
    SavingsProductFactory(name="Group members' savings", short_code="GS")

    migration.group_loans_for_groups(apps, None)

    assert dict(Product.objects.values_list("short_code", "offered_to")) == {
        "GL": ProductHolders.GROUPS,
        "HL": ProductHolders.BOTH,
        "GS": ProductHolders.BOTH,
    }
