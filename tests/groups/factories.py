import datetime

import factory

from groups import models
from groups.choices import GroupKind, GroupStatus
from tests.clients.factories import ActiveClientFactory
from tests.offices.factories import OfficeFactory, StaffFactory


class GroupFactory(factory.django.DjangoModelFactory):
    """A Pending group of a branch, looked after by an officer of that branch, in no center."""

    class Meta:
        model = models.Group

    kind = GroupKind.GROUP
    name = factory.Sequence(lambda n: f"Group {n}")
    office = factory.SubFactory(OfficeFactory)
    staff = factory.SubFactory(StaffFactory, office=factory.SelfAttribute("..office"))
    submitted_on = datetime.date(2024, 1, 20)
    status = GroupStatus.PENDING


class ActiveGroupFactory(GroupFactory):
    status = GroupStatus.ACTIVE
    activated_on = datetime.date(2024, 3, 1)


class CenterFactory(GroupFactory):
    kind = GroupKind.CENTER
    name = factory.Sequence(lambda n: f"Center {n}")


class ActiveCenterFactory(CenterFactory):
    status = GroupStatus.ACTIVE
    activated_on = datetime.date(2024, 2, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A current member: an active client of the group's office who joined after both were submitted."""

    class Meta:
        model = models.Membership

    group = factory.SubFactory(GroupFactory)
    client = factory.SubFactory(ActiveClientFactory, office=factory.SelfAttribute("..group.office"))
    joined_on = datetime.date(2024, 2, 15)


class LookupFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        django_get_or_create = ("name",)


class GroupRoleFactory(LookupFactory):
    class Meta:
        model = models.GroupRole
        django_get_or_create = ("name",)

    name = "Leader"


class GroupClosureReasonFactory(LookupFactory):
    class Meta:
        model = models.GroupClosureReason
        django_get_or_create = ("name",)

    name = "Group dissolved"


class MembershipEndReasonFactory(LookupFactory):
    class Meta:
        model = models.MembershipEndReason
        django_get_or_create = ("name",)

    name = "Left voluntarily"
