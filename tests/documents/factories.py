import factory

from documents.models import Document, DocumentCategory
from tests.clients.factories import ClientFactory


class DocumentCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentCategory
        django_get_or_create = ("name",)

    name = "Proof of address"


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document row whose file is not in the storage: for lists and scoping. Tests of files upload
    through ``services.upload``."""

    class Meta:
        model = Document

    client = factory.SubFactory(ClientFactory)
    category = factory.SubFactory(DocumentCategoryFactory)
    original_name = factory.Sequence(lambda n: f"scan-{n}.pdf")
    stored_name = factory.Sequence(lambda n: f"00/00/{n:032x}.pdf")
    content_type = "application/pdf"
    size = 1234
    sha256 = "0" * 64
    uploaded_by_name = "Test user"
