"""A client whose transfer the other office refused is on hold: their accounts say why they take no
transactions, and what sets them free."""

from decimal import Decimal

import pytest

from clients.choices import ClientStatus
from ledger import services
from mifos.actions import TransitionError
from tests.ledger.conftest import DAY

pytestmark = pytest.mark.django_db


def test_a_deposit_for_a_client_on_hold_is_refused_saying_to_withdraw_the_transfer(funded, teller):
    client = funded.client
    client.status = ClientStatus.TRANSFER_ON_HOLD
    client.save(update_fields=["status"])

    with pytest.raises(TransitionError) as error:
        services.deposit(funded, amount=Decimal("10"), on=DAY, by=teller)

    assert "the other office refused the transfer" in str(error.value)
    assert "once the transfer is withdrawn" in str(error.value)
