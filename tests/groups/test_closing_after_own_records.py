"""A group is not closed on a date before its own records: its accounts' openings, transactions and
closures, and the days its members joined or left it; a center, before its groups closed."""

import datetime

import pytest
from django.utils import formats

from groups import services
from groups.choices import GroupStatus
from groups.models import Group
from ledger.choices import AccountStatus
from mifos.actions import TransitionError
from tests.groups.factories import (
    ActiveCenterFactory,
    ActiveGroupFactory,
    GroupClosureReasonFactory,
    GroupFactory,
    MembershipFactory,
)
from tests.ledger.factories import AccountFactory
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db

ACTIVATED = datetime.date(2024, 3, 1)  # ActiveGroupFactory's
OPENED = datetime.date(2024, 4, 1)
CLOSED = datetime.date(2024, 11, 20)
BACKDATED = datetime.date(2024, 3, 10)


def short(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@pytest.fixture
def user():
    return BranchManagerUserFactory()


@pytest.fixture
def group():
    return ActiveGroupFactory(name="Test G")


def close(group, user, on):
    return services.close(group, on=on, reason=GroupClosureReasonFactory(), by=user)


def test_a_group_cannot_be_closed_before_its_account_was_opened_used_and_closed(group, user):
    account = AccountFactory(
        client=None,
        group=group,
        status=AccountStatus.CLOSED,
        opened_on=OPENED,
        last_transaction_on=CLOSED,
        closed_on=CLOSED,
    )

    with pytest.raises(TransitionError) as refused:
        close(group, user, BACKDATED)

    assert refused.value.message == (
        f"The date cannot be before the closure of account {account} ({short(CLOSED)})."
    )
    assert Group.objects.get(pk=group.pk).status == GroupStatus.ACTIVE


def test_a_group_closes_on_the_day_its_account_closed(group, user):
    AccountFactory(client=None, group=group, status=AccountStatus.CLOSED, opened_on=OPENED, closed_on=CLOSED)

    close(group, user, CLOSED)

    assert Group.objects.get(pk=group.pk).closed_on == CLOSED


def test_a_group_cannot_be_closed_before_a_former_member_left_it(group, user):
    left = datetime.date(2024, 6, 1)
    MembershipFactory(group=group, joined_on=datetime.date(2024, 3, 5), left_on=left)

    with pytest.raises(TransitionError) as refused:
        close(group, user, BACKDATED)

    assert refused.value.message == f"The date cannot be before the date a member last left ({short(left)})."


@pytest.fixture
def center():
    return ActiveCenterFactory(name="Test C", submitted_on=datetime.date(2024, 1, 5))


def test_a_center_cannot_be_closed_before_one_of_its_groups_closed(center, user):
    GroupFactory(
        office=center.office, parent=center, name="Early G", status=GroupStatus.CLOSED, closed_on=OPENED
    )
    GroupFactory(
        office=center.office, parent=center, name="Late G", status=GroupStatus.CLOSED, closed_on=CLOSED
    )

    with pytest.raises(TransitionError) as refused:
        close(center, user, BACKDATED)

    assert (
        refused.value.message == f"The date cannot be before the closure of group Late G ({short(CLOSED)})."
    )
    assert Group.objects.get(pk=center.pk).status == GroupStatus.ACTIVE


def test_a_center_closes_on_the_day_its_last_group_closed(center, user):
    GroupFactory(office=center.office, parent=center, status=GroupStatus.CLOSED, closed_on=CLOSED)

    close(center, user, CLOSED)

    assert Group.objects.get(pk=center.pk).closed_on == CLOSED
