from decimal import Decimal

import pytest
from django.utils import timezone

from clients import lifecycle
from clients.choices import ClientStatus, ReasonKind
from clients.models import Client
from groups import services as group_services
from groups.choices import GroupStatus
from groups.models import Group
from ledger import services
from ledger.models import Account
from mifos.actions import TransitionError
from tests.clients.factories import ActiveClientFactory, ClientActionReasonFactory
from tests.groups.factories import ActiveGroupFactory, GroupClosureReasonFactory
from tests.ledger.factories import AccountFactory, LoanFactory
from tests.offices.factories import BranchManagerUserFactory, HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def closure_reason():
    return ClientActionReasonFactory(kind=ReasonKind.CLOSURE)


def test_a_client_with_an_open_account_cannot_be_closed_and_the_message_names_it(member, manager):
    savings = AccountFactory(client=member)
    loan = LoanFactory(client=member)

    with pytest.raises(TransitionError) as error:
        lifecycle.close(member, on=TODAY, by=manager, reason=closure_reason())

    assert error.value.message == f"Close these accounts first: {savings}, {loan}."
    assert str(savings) == f"Voluntary savings {savings.number}"
    assert Client.objects.get(pk=member.pk).status == ClientStatus.ACTIVE


def test_a_client_whose_accounts_are_all_closed_can_be_closed(member, manager, teller):
    savings = AccountFactory(client=member)
    services.close_savings(savings, on=TODAY, by=manager)
    loan = LoanFactory(client=member)
    services.disburse(loan, amount=Decimal("10"), on=TODAY, by=teller)
    services.repay(loan, amount=Decimal("10"), on=TODAY, by=teller)
    services.mark_repaid(loan, on=TODAY, by=manager)

    lifecycle.close(member, on=TODAY, by=manager, reason=closure_reason())

    assert Client.objects.get(pk=member.pk).status == ClientStatus.CLOSED


def test_a_transferred_clients_accounts_follow_it(office_tree):
    client = ActiveClientFactory(office=office_tree["n1"])
    account = AccountFactory(client=client)
    old = BranchManagerUserFactory(office=office_tree["n1"])
    new = BranchManagerUserFactory(office=office_tree["s1"])
    assert Account.objects.visible_to(old).filter(pk=account.pk).exists()

    lifecycle.transfer(
        client, to_office=office_tree["s1"], on=TODAY, by=HeadOfficeAdminUserFactory(), note=""
    )

    assert Account.objects.visible_to(new).filter(pk=account.pk).exists()
    assert not Account.objects.visible_to(old).filter(pk=account.pk).exists()
    assert Account.objects.get(pk=account.pk).office == office_tree["s1"]
    # Still the client's: a deposit in the new office lands on the same account.
    services.deposit(account, amount=Decimal("5"), on=TODAY, by=new)
    assert Account.objects.get(pk=account.pk).balance == Decimal("5")


def test_a_group_with_an_open_account_cannot_be_closed_until_the_account_is(manager):
    group = ActiveGroupFactory()
    savings = AccountFactory(client=None, group=group)
    reason = GroupClosureReasonFactory()

    with pytest.raises(TransitionError) as error:
        group_services.close(group, on=TODAY, by=manager, reason=reason)

    assert error.value.message == f"Close these accounts first: {savings}."
    assert Group.objects.get(pk=group.pk).status == GroupStatus.ACTIVE
    services.close_savings(savings, on=TODAY, by=manager)
    group_services.close(group, on=TODAY, by=manager, reason=reason)
    assert Group.objects.get(pk=group.pk).status == GroupStatus.CLOSED
