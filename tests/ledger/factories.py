import datetime
from decimal import Decimal

import factory

from ledger import models
from ledger.choices import AccountStatus, ProductKind
from tests.clients.factories import ActiveClientFactory


class SavingsProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Product
        django_get_or_create = ("short_code",)

    kind = ProductKind.SAVINGS
    name = "Voluntary savings"
    short_code = "SAV"
    currency = "USD"


class LoanProductFactory(SavingsProductFactory):
    kind = ProductKind.LOAN
    name = "Group loan"
    short_code = "LN"


class AccountFactory(factory.django.DjangoModelFactory):
    """An active savings account of an active client, empty, as ``open_account`` leaves it."""

    class Meta:
        model = models.Account

    product = factory.SubFactory(SavingsProductFactory)
    kind = factory.SelfAttribute("product.kind")
    client = factory.SubFactory(ActiveClientFactory)
    number = factory.Sequence(lambda n: f"A-{n:07d}")
    status = AccountStatus.ACTIVE
    opened_on = datetime.date(2024, 3, 1)
    balance = Decimal("0.00")


class LoanFactory(AccountFactory):
    product = factory.SubFactory(LoanProductFactory)
