"""Head office keeps the categories (allowed types, size) and the rules in admin; documents are read only."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import DocumentCategory, DocumentRules
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchManagerUserFactory, HeadOfficeAdminUserFactory, OfficeFactory

from .factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(HeadOfficeAdminUserFactory())
    return client


def test_head_office_sets_a_categorys_allowed_types_and_size(admin_client):
    contract = DocumentCategory.objects.get(name="Contract")
    url = reverse("admin:documents_documentcategory_change", args=[contract.pk])
    form = admin_client.get(url).content.decode()
    assert re.search(r'<input type="checkbox"[^>]*value="image/webp"[^>]*checked', form)

    response = admin_client.post(
        url,
        {
            "name": "Contract",
            "position": 30,
            "is_active": "on",
            "allowed_types": ["application/pdf"],
            "max_size_mb": 2,
        },
    )

    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.allowed_types, contract.max_size_mb) == (["application/pdf"], 2)


def test_a_category_must_allow_at_least_one_type(admin_client):
    response = admin_client.post(
        reverse("admin:documents_documentcategory_add"), {"name": "Letters", "position": 1, "is_active": "on"}
    )

    assert response.status_code == 200 and not DocumentCategory.objects.filter(name="Letters").exists()


def test_the_rules_page_is_the_single_row(admin_client):
    response = admin_client.get(reverse("admin:documents_documentrules_changelist"))

    assert response["Location"] == reverse(
        "admin:documents_documentrules_change", args=[DocumentRules.load().pk]
    )
    page = admin_client.get(response["Location"]).content.decode()
    assert "Largest size of a file (MB)" in page and "Remove image metadata" in page


def test_the_documents_list_is_read_only_and_scoped(client):
    branch, other = OfficeFactory(), OfficeFactory()
    mine = DocumentFactory(client=ClientFactory(office=branch), original_name="mine.pdf")
    DocumentFactory(client=ClientFactory(office=other), original_name="theirs.pdf")
    client.force_login(HeadOfficeAdminUserFactory())

    page = client.get(reverse("admin:documents_document_changelist")).content.decode()
    assert "mine.pdf" in page and "theirs.pdf" in page
    change = client.get(reverse("admin:documents_document_change", args=[mine.pk])).content.decode()
    assert 'name="_save"' not in change
    assert client.get(reverse("admin:documents_document_add")).status_code == 403

    client.force_login(BranchManagerUserFactory(office=branch, is_staff=True))
    page = client.get(reverse("admin:documents_document_changelist")).content.decode()
    assert "mine.pdf" in page and "theirs.pdf" not in page


def test_admin_finds_documents_by_client_number_digest_or_name(admin_client):
    owner, other = ClientFactory(), ClientFactory()
    contract = DocumentFactory(client=owner, title="Loan contract", sha256="ab" * 32)
    photo = DocumentFactory(client=owner, original_name="house.jpg", sha256="cd" * 32)
    elsewhere = DocumentFactory(client=other, original_name="contract-copy.pdf", sha256="ef" * 32)
    url = reverse("admin:documents_document_changelist")

    def found(term):
        return set(admin_client.get(url, {"q": term}).context["cl"].result_list)

    assert found(owner.account_no) == {contract, photo}
    assert found("AB" * 32) == {contract}
    assert found("contract") == {contract, elsewhere}
    assert found("house") == {photo}


def test_admin_narrows_documents_by_upload_date(admin_client):
    recent = DocumentFactory()
    DocumentFactory(uploaded_at=timezone.now() - datetime.timedelta(days=400))
    url = reverse("admin:documents_document_changelist")
    page = admin_client.get(url)
    past_week = next(
        choice
        for spec in page.context["cl"].filter_specs
        for choice in spec.choices(page.context["cl"])
        if str(choice["display"]) == "Past 7 days"
    )

    listed = admin_client.get(url + past_week["query_string"]).context["cl"].result_list

    assert list(listed) == [recent]


def test_another_offices_client_number_finds_nothing_more_than_a_word_would(client):
    branch, other = OfficeFactory(), OfficeFactory()
    theirs = ClientFactory(office=other)
    DocumentFactory(client=theirs, original_name="theirs.pdf")
    DocumentFactory(client=ClientFactory(office=branch), original_name=f"about {theirs.account_no}.pdf")
    client.force_login(BranchManagerUserFactory(office=branch, is_staff=True))

    page = client.get(reverse("admin:documents_document_changelist"), {"q": theirs.account_no})

    # Searched as words of names, as if the number belonged to no client.
    listed = [str(document) for document in page.context["cl"].result_list]
    assert listed == [f"about {theirs.account_no}.pdf"]
