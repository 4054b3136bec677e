import datetime
from decimal import Decimal

import pytest

from ledger import services
from tests.clients.factories import ActiveClientFactory
from tests.ledger.factories import AccountFactory, LoanFactory
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
)

DAY = datetime.date(2024, 3, 10)


@pytest.fixture
def branch(office_tree):
    return office_tree["n1"]


@pytest.fixture
def teller(branch):
    return BranchStaffUserFactory(office=branch)


@pytest.fixture
def manager(branch):
    return BranchManagerUserFactory(office=branch)


@pytest.fixture
def member(branch):
    """An active client of the branch."""
    return ActiveClientFactory(office=branch)


@pytest.fixture
def savings(member):
    return AccountFactory(client=member)


@pytest.fixture
def loan(member):
    return LoanFactory(client=member)


def money(text):
    return Decimal(text)


@pytest.fixture
def funded(savings, teller):
    """A savings account holding 100.00 from a deposit on DAY."""
    services.deposit(savings, amount=money("100.00"), on=DAY, by=teller)
    return savings


@pytest.fixture
def admin_client(client, office_tree):
    """The test client signed in as a head-office admin: the ledger's admin pages are theirs (not a
    superuser's, as pytest-django's admin_client is: the roles decide)."""
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))
    return client
