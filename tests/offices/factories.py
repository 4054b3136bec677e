import datetime

import factory
from django.contrib.auth.models import Group

from offices.models import Office, Staff, User
from offices.roles import BRANCH_MANAGER, BRANCH_STAFF, HEAD_OFFICE_ADMIN


class OfficeFactory(factory.django.DjangoModelFactory):
    """A branch below the head office unless told otherwise."""

    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"Office {n}")
    code = factory.Sequence(lambda n: f"OF{n:03d}")
    opening_date = datetime.date(2015, 1, 1)
    parent = factory.LazyFunction(lambda: HeadOfficeFactory())


class HeadOfficeFactory(OfficeFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    name = "Head Office"
    code = "HO"
    opening_date = datetime.date(2010, 1, 1)
    parent = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    office = factory.SubFactory(OfficeFactory)
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """``UserFactory(roles=[...])`` puts the user in those roles (Django groups)."""
        add_roles(self, extracted or ())


def add_roles(user, names):
    user.groups.add(*Group.objects.filter(name__in=names))


class BranchStaffUserFactory(UserFactory):
    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        add_roles(self, extracted or [BRANCH_STAFF])


class BranchManagerUserFactory(UserFactory):
    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        add_roles(self, extracted or [BRANCH_MANAGER])


class HeadOfficeAdminUserFactory(UserFactory):
    office = factory.SubFactory(HeadOfficeFactory)
    is_staff = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        add_roles(self, extracted or [HEAD_OFFICE_ADMIN])


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    office = factory.SubFactory(OfficeFactory)
    is_credit_officer = True
    joining_date = datetime.date(2016, 1, 1)
