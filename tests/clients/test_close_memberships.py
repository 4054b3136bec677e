"""A client who is closed, rejected or withdrawn leaves their groups and centers, as one transferred does."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from clients import lifecycle
from clients.choices import ClientAction, ClientStatus, ReasonKind
from clients.models import ClientEvent
from groups.choices import GroupAction, MembershipEnd
from groups.models import GroupEvent, Membership
from mifos.actions import TransitionError
from tests.clients.factories import ClientActionReasonFactory, ClientFactory
from tests.dates import stay_on
from tests.groups.factories import CenterFactory, GroupFactory, MembershipFactory
from tests.offices.factories import BranchManagerUserFactory, OfficeFactory

pytestmark = pytest.mark.django_db

LATER = datetime.date(2024, 6, 1)
TODAY = timezone.localdate()
today_holds_still = stay_on(TODAY)


@pytest.fixture
def manager():
    return BranchManagerUserFactory(first_name="Grace", last_name="Otieno")


def reason(kind, name):
    return ClientActionReasonFactory(kind=kind, name=name)


@pytest.fixture
def member():
    """An active client, member of a group and assigned to a center of their office."""
    office = OfficeFactory()
    membership = MembershipFactory(group=GroupFactory(office=office))
    MembershipFactory(group=CenterFactory(office=office), client=membership.client)
    return membership.client


def ended(client):
    return [
        (membership.left_on, membership.end_cause, membership.ended_by, membership.end_note)
        for membership in Membership.objects.filter(client=client).order_by("id")
    ]


def test_a_closed_client_leaves_every_group_and_center_on_the_closure_date(
    member, manager, django_capture_on_commit_callbacks
):
    colleague = MembershipFactory(group=member.group_memberships.first().group)

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.close(member, on=LATER, by=manager, reason=reason(ReasonKind.CLOSURE, "Deceased"))

    assert ended(member) == [(LATER, MembershipEnd.CLIENT_CLOSED, manager, "Deceased")] * 2
    colleague.refresh_from_db()
    assert colleague.left_on is None


def test_the_groups_history_says_why_the_client_left(member, manager, django_capture_on_commit_callbacks):
    group = member.group_memberships.first().group

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.close(member, on=LATER, by=manager, reason=reason(ReasonKind.CLOSURE, "Moved away"))

    event = group.events.get()
    assert (event.action, event.effective_date, event.note, event.created_by) == (
        GroupAction.MEMBER_LEFT,
        LATER,
        "Moved away",
        manager,
    )
    assert event.details == {"client": str(member), "cause": "client_closed"}
    assert event.summary == f"{member} · Client closed"


@pytest.mark.parametrize(
    ("action", "kind", "cause"),
    [
        (lifecycle.reject, ReasonKind.REJECTION, MembershipEnd.CLIENT_REJECTED),
        (lifecycle.withdraw, ReasonKind.WITHDRAWAL, MembershipEnd.CLIENT_WITHDRAWN),
    ],
)
def test_a_pending_client_rejected_or_withdrawn_leaves_their_groups(
    manager, django_capture_on_commit_callbacks, action, kind, cause
):
    group = GroupFactory()
    applicant = ClientFactory(office=group.office)
    MembershipFactory(group=group, client=applicant)

    with django_capture_on_commit_callbacks(execute=True):
        action(applicant, on=LATER, by=manager, reason=reason(kind, "Over-indebted"))

    assert ended(applicant) == [(LATER, cause, manager, "Over-indebted")]


def test_reactivating_a_client_does_not_bring_them_back(member, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.close(member, on=LATER, by=manager, reason=reason(ReasonKind.CLOSURE, "Moved away"))
        lifecycle.reactivate(member, on=LATER, by=manager)

    assert not Membership.objects.current().filter(client=member).exists()


def test_a_refused_closure_leaves_the_memberships_as_they_were(
    member, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(lifecycle.TransitionError):
        lifecycle.close(
            member, on=datetime.date(2023, 1, 1), by=manager, reason=reason(ReasonKind.CLOSURE, "X")
        )

    assert Membership.objects.current().filter(client=member).count() == 2
    assert not GroupEvent.objects.exists()


def test_a_closure_dated_before_the_client_joined_is_refused_and_the_membership_kept(
    manager, django_capture_on_commit_callbacks
):
    group = GroupFactory()
    late = MembershipFactory(group=group, joined_on=datetime.date(2024, 7, 1))

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionError, match="joined"):
        lifecycle.close(late.client, on=LATER, by=manager, reason=reason(ReasonKind.CLOSURE, "Moved away"))

    late.refresh_from_db()
    assert late.left_on is None


def test_after_closing_a_client_the_group_page_lists_them_among_former_members(
    client, member, django_capture_on_commit_callbacks
):
    group = member.group_memberships.first().group
    manager = BranchManagerUserFactory(office=group.office)
    moved = reason(ReasonKind.CLOSURE, "Moved away")
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        closing = client.post(
            reverse("clients:client_close", args=[member.pk]), {"on": TODAY, "reason": moved.pk}
        )
    page = client.get(group.get_absolute_url())

    assert closing.status_code == 302
    assert member not in [membership.client for membership in page.context["members"]]
    assert "Client closed — Moved away" in page.content.decode()


def test_the_migration_ends_the_memberships_clients_who_left_still_held(manager):
    """Before this change, closing left the client a current member: the migration ends those."""
    group = GroupFactory()
    closed = MembershipFactory(
        group=group, client__status=ClientStatus.CLOSED, client__status_changed_on=LATER
    )
    ClientEvent.objects.create(
        client=closed.client,
        action=ClientAction.CLOSED,
        effective_date=LATER,
        office=group.office,
        reason=reason(ReasonKind.CLOSURE, "Deceased"),
    )
    rejected = MembershipFactory(
        group=group,
        client=ClientFactory(office=group.office, status=ClientStatus.REJECTED, status_changed_on=LATER),
    )
    active = MembershipFactory(group=group)
    migration = importlib.import_module("groups.migrations.0005_memberships_end_with_the_client")

    migration.end_memberships_of_clients_who_left(apps, SimpleNamespace(connection=connection))

    for membership in (closed, rejected, active):
        membership.refresh_from_db()
    assert (closed.left_on, closed.end_cause, closed.end_note) == (
        LATER,
        MembershipEnd.CLIENT_CLOSED,
        "Deceased",
    )
    assert (rejected.left_on, rejected.end_cause) == (LATER, MembershipEnd.CLIENT_REJECTED)
    assert active.left_on is None
    assert sorted(event.details["reason"] for event in group.events.all()) == [
        "Client closed",
        "Client rejected",
    ]
    assert closed.history.filter(history_change_reason="Client left the institution", left_on=LATER).exists()
