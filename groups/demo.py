"""Demo centers and groups for the demo clients. Idempotent: running it twice changes nothing.

Everything goes through ``groups.services`` as the system user, so the demo obeys the same rules
as a person at the counter; a step the rules refuse (for example activating a group whose members
are still pending) is reported and left for a person to do in the pages.
"""

import datetime

from django.utils.translation import gettext as _

from clients import lifecycle
from clients.choices import ClientStatus
from clients.lifecycle import TransitionError
from clients.models import Client
from offices.models import Office, Staff, User, get_system_user

from . import services
from .choices import GroupKind, GroupStatus, MeetingDay, MeetingFrequency
from .models import Group, GroupClosureReason, GroupRole, GroupRules, MembershipEndReason

LOOKUPS = {
    GroupRole: ["Leader", "Secretary", "Treasurer"],
    GroupClosureReason: ["Group dissolved", "Merged with another group", "Members moved away"],
    MembershipEndReason: [
        "Left of their own accord",
        "Moved away",
        "Asked to leave by the group",
        "Deceased",
    ],
}

SUBMITTED = datetime.date(2025, 8, 25)
JOINED = datetime.date(2025, 9, 1)
ACTIVATED = datetime.date(2025, 9, 15)

# (office, kind, name, center, officer, meeting day, time, frequency, members by external id, leader,
#  activate: the group and, for that, its pending members)
GROUPS = [
    (
        "BR01",
        GroupKind.CENTER,
        "Riverside Market Center",
        None,
        "Grace Achieng",
        MeetingDay.MONDAY,
        datetime.time(8, 0),
        MeetingFrequency.WEEKLY,
        [],
        None,
        True,
    ),
    (
        "BR01",
        GroupKind.GROUP,
        "Umoja Women's Group",
        "Riverside Market Center",
        "Grace Achieng",
        MeetingDay.MONDAY,
        datetime.time(9, 0),
        MeetingFrequency.WEEKLY,
        ["demo-01", "demo-03", "demo-08"],
        "demo-01",
        True,
    ),
    (
        "BR01",
        GroupKind.GROUP,
        "Tumaini Farmers",
        "Riverside Market Center",
        "Samuel Okello",
        MeetingDay.THURSDAY,
        datetime.time(14, 0),
        MeetingFrequency.FORTNIGHTLY,
        ["demo-02"],
        None,
        False,
    ),
    (
        "BR02",
        GroupKind.GROUP,
        "Mujeres Unidas",
        None,
        "María Fernández",
        MeetingDay.WEDNESDAY,
        datetime.time(10, 30),
        MeetingFrequency.MONTHLY,
        ["demo-04", "demo-05"],
        "demo-04",
        False,
    ),
    (
        "BR03",
        GroupKind.CENTER,
        "Centre du Lac",
        None,
        "Jean Dupont",
        MeetingDay.FRIDAY,
        datetime.time(8, 30),
        MeetingFrequency.WEEKLY,
        [],
        None,
        True,
    ),
    (
        "BR03",
        GroupKind.GROUP,
        "Solidarité Lac",
        "Centre du Lac",
        "Jean Dupont",
        MeetingDay.FRIDAY,
        datetime.time(9, 30),
        MeetingFrequency.WEEKLY,
        ["demo-06", "demo-07"],
        None,
        False,
    ),
]


def seed(stdout=None, **options):
    for model, names in LOOKUPS.items():
        for position, name in enumerate(names):
            model.objects.get_or_create(name=name, defaults={"position": position})
    GroupRules.load()
    by = get_system_user()
    # Four-eyes approval: the system user registered the demo clients, the demo manager approves them.
    approver = User.objects.filter(username="manager").first() or by
    offices = {office.code: office for office in Office.objects.filter(code__in={row[0] for row in GROUPS})}
    officers = {staff.display_name: staff for staff in Staff.objects.credit_officers()}
    clients = {
        client.external_id: client for client in Client.objects.filter(external_id__startswith="demo-")
    }
    leader = GroupRole.objects.get(name="Leader")
    created = 0
    for (
        office_code,
        kind,
        name,
        center,
        officer,
        day,
        time,
        frequency,
        members,
        leader_id,
        activate,
    ) in GROUPS:
        office = offices.get(office_code)
        if office is None:
            continue
        group = Group.objects.filter(office=office, kind=kind, name=name).first()
        if group is not None:
            continue  # already seeded; what people did to it since is theirs to keep
        group = services.create(
            Group(
                kind=kind,
                name=name,
                office=office,
                staff=officers.get(officer),
                submitted_on=SUBMITTED,
                parent=Group.objects.filter(office=office, kind=GroupKind.CENTER, name=center).first(),
                meeting_day=day,
                meeting_time=time,
                meeting_frequency=frequency,
            ),
            by=by,
        )
        created += 1
        joining = [clients[key] for key in members if key in clients]
        _try(stdout, group, services.add_members, group, joining, on=JOINED, by=by)
        if leader_id in clients:
            _try(stdout, group, services.set_role, group, clients[leader_id], leader, by=by)
        if activate and group.status == GroupStatus.PENDING:
            # An active group needs active members: the demo approves its pending members first.
            for member in group.memberships.current().filter(client__status=ClientStatus.PENDING):
                _try(stdout, group, lifecycle.activate, member.client, on=JOINED, by=approver)
            _try(stdout, group, services.activate, group, on=ACTIVATED, by=by)
    if stdout is not None and created:
        stdout.write(_("Demo groups and centers created: %(count)d") % {"count": created})


def _try(stdout, group, action, *args, **kwargs):
    """Take one step of the demo; a refusal is reported and the demo goes on."""
    try:
        action(*args, **kwargs)
    except TransitionError as error:
        if stdout is not None:
            stdout.write(_("%(group)s: %(reason)s") % {"group": group, "reason": error.message})
