import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from ledger import services
from ledger.models import Account
from tests.ledger.factories import AccountFactory
from tests.offices.factories import BranchStaffUserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_tellers_posting_at_the_same_moment_both_land_on_the_right_balance():
    account = AccountFactory(balance=Decimal("0.00"))
    services.deposit(account, amount=Decimal("100.00"), on=timezone.localdate(), by=None)
    tellers = [BranchStaffUserFactory(office=account.client.office) for _ in range(2)]
    start = threading.Barrier(2)
    errors = []

    def post(teller, kind, amount):
        try:
            start.wait()
            for _ in range(10):
                getattr(services, kind)(
                    Account.objects.get(pk=account.pk), amount=amount, on=timezone.localdate(), by=teller
                )
        except Exception as error:  # handed to the test thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=post, args=(tellers[0], "deposit", Decimal("7.00"))),
        threading.Thread(target=post, args=(tellers[1], "withdraw", Decimal("3.00"))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    account.refresh_from_db()
    assert account.balance == Decimal("140.00")
    assert account.transactions.count() == 21
    call_command("check_balances")


def test_a_form_sent_twice_at_the_same_moment_posts_once():
    """A double click: both requests reach the server together; the second waits for the first's row
    lock, then finds its token."""
    account = AccountFactory(balance=Decimal("0.00"))
    teller = BranchStaffUserFactory(office=account.client.office)
    start = threading.Barrier(2)
    outcomes = []

    def post():
        try:
            start.wait()
            services.deposit(
                Account.objects.get(pk=account.pk),
                amount=Decimal("50.00"),
                on=timezone.localdate(),
                by=teller,
                token="double-click-token-0001",
            )
            outcomes.append("posted")
        except services.AlreadyPosted:
            outcomes.append("already posted")
        except Exception as error:  # handed to the test thread
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already posted", "posted"]
    account.refresh_from_db()
    assert account.balance == Decimal("50.00") and account.transactions.count() == 1
