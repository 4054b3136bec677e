"""A group's history is kept in codes and names, and read in each reader's language: a French user's
action reads in English to an English colleague, not in the French of the one who acted."""

import datetime

import pytest
from django.utils import translation

from audit import details
from audit.models import Event
from groups import services
from groups.choices import GroupAction
from groups.models import GroupEvent
from tests.clients.factories import ClientFactory
from tests.groups.factories import (
    ActiveGroupFactory,
    GroupClosureReasonFactory,
    GroupRoleFactory,
    MembershipFactory,
)
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db

LATER = datetime.date(2024, 6, 1)


@pytest.fixture
def user():
    return BranchManagerUserFactory(language="fr")


def test_why_a_member_left_reads_in_the_readers_language(user):
    group = ActiveGroupFactory()
    pending = MembershipFactory(group=group, client=ClientFactory(office=group.office))

    with translation.override("fr"):
        services.close(group, on=LATER, reason=GroupClosureReasonFactory(), by=user)

    left = group.events.get(action=GroupAction.MEMBER_LEFT)
    assert left.details == {"client": str(pending.client), "cause": "group_closed"}
    with translation.override("en"):
        assert left.summary == f"{pending.client} · Group closed"
    with translation.override("es"):
        assert left.summary == f"{pending.client} · Grupo cerrado"


def test_the_activity_log_words_the_cause_in_the_readers_language(user):
    group = ActiveGroupFactory()
    MembershipFactory(group=group, client=ClientFactory(office=group.office))

    with translation.override("fr"):
        services.close(group, on=LATER, reason=GroupClosureReasonFactory(), by=user)

    event = Event.objects.get(event=GroupAction.MEMBER_LEFT)
    with translation.override("en"):
        assert ("How it ended", "Group closed") in [
            (str(label), value) for label, value in details.readable(event)
        ]


def test_a_role_taken_away_is_kept_as_no_role_not_as_a_word(user):
    group = ActiveGroupFactory()
    member = MembershipFactory(group=group)
    services.set_role(group, member.client, GroupRoleFactory(name="Leader"), by=user)

    with translation.override("fr"):
        services.set_role(group, member.client, None, by=user)

    taken = group.events.filter(action=GroupAction.ROLE_CHANGED).latest("id")
    assert taken.details["role"] == ""
    with translation.override("en"):
        assert taken.summary == f"{member.client} · no role"


def test_an_entry_written_in_words_before_still_reads(user):
    group = ActiveGroupFactory()
    old = GroupEvent.objects.create(
        group=group,
        action=GroupAction.MEMBER_LEFT,
        effective_date=LATER,
        office=group.office,
        details={"client": "Ada Bello", "reason": "Retiré du groupe"},
    )

    assert old.summary == "Ada Bello · Retiré du groupe"


def test_a_translated_text_is_refused_in_the_history(user):
    from django.utils.translation import gettext_lazy

    with pytest.raises(TypeError, match="store a code"):
        services.record(
            ActiveGroupFactory(), GroupAction.MEMBER_LEFT, on=LATER, by=user, reason=gettext_lazy("Removed")
        )
