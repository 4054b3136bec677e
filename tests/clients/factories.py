import datetime

import factory

from clients import models
from clients.choices import ClientStatus, LegalForm, ReasonKind
from tests.offices.factories import OfficeFactory, StaffFactory


class LookupFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        django_get_or_create = ("name",)


class IdentificationTypeFactory(LookupFactory):
    class Meta:
        model = models.IdentificationType
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"ID type {n}")


class RelationshipTypeFactory(LookupFactory):
    class Meta:
        model = models.RelationshipType
        django_get_or_create = ("name",)

    name = "Spouse"


class OccupationFactory(LookupFactory):
    class Meta:
        model = models.Occupation
        django_get_or_create = ("name",)

    name = "Farmer"


class ClientFactory(factory.django.DjangoModelFactory):
    """A Pending individual client with a number, as registration leaves it."""

    class Meta:
        model = models.Client

    legal_form = LegalForm.INDIVIDUAL
    office = factory.SubFactory(OfficeFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    gender = "female"
    date_of_birth = datetime.date(1985, 5, 17)
    submitted_on = datetime.date(2024, 1, 15)
    status_changed_on = factory.SelfAttribute("submitted_on")
    status = ClientStatus.PENDING
    account_no = factory.Sequence(lambda n: f"T-{n:06d}")


class ActiveClientFactory(ClientFactory):
    status = ClientStatus.ACTIVE
    activated_on = datetime.date(2024, 2, 1)
    status_changed_on = datetime.date(2024, 2, 1)
    staff = factory.SubFactory(StaffFactory, office=factory.SelfAttribute("..office"))


class CorporateClientFactory(ClientFactory):
    legal_form = LegalForm.CORPORATE
    first_name = ""
    last_name = ""
    gender = ""
    date_of_birth = None
    business_name = factory.Faker("company")
    registration_number = factory.Sequence(lambda n: f"REG-{n:05d}")


class IdentificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Identification

    client = factory.SubFactory(ClientFactory)
    document_type = factory.SubFactory(IdentificationTypeFactory)
    number = factory.Sequence(lambda n: f"{n:08d}")
    number_normalized = factory.SelfAttribute("number")


class FamilyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FamilyMember

    client = factory.SubFactory(ClientFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    relationship = factory.SubFactory(RelationshipTypeFactory)


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Note

    client = factory.SubFactory(ClientFactory)
    text = factory.Faker("sentence")


class ClientActionReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ClientActionReason
        django_get_or_create = ("kind", "name")

    kind = ReasonKind.CLOSURE
    name = factory.Sequence(lambda n: f"Reason {n}")


class OfficerAssignmentFactory(factory.django.DjangoModelFactory):
    """The open assignment that an active client's officer was given on activation."""

    class Meta:
        model = models.OfficerAssignment

    client = factory.SubFactory(ActiveClientFactory)
    staff = factory.SelfAttribute("client.staff")
    start_date = factory.SelfAttribute("client.activated_on")


def create_clients_in_bulk(count, *, office, **fields):
    """``count`` clients of ``office`` in a few INSERTs, for tests that need many rows.

    bulk_create skips save(), so the names that save() derives are derived here with the model's methods.
    """
    clients = ClientFactory.build_batch(count, office=office, **fields)
    for client in clients:
        client.display_name = client.compose_display_name()
        client.search_name = client.compose_search_name()
        client.registration_number_normalized = client.compose_registration_number()
    return models.Client.objects.bulk_create(clients, batch_size=500)
