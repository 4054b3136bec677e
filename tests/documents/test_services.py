"""Uploading, deleting and the client photo, through documents.services, on an in-memory storage."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from clients import lifecycle
from documents import services
from documents.models import ClientPhoto, Document, DocumentCategory, DocumentRules
from tests.clients.factories import ActiveClientFactory, ClientFactory, IdentificationFactory
from tests.offices.factories import BranchStaffUserFactory, HeadOfficeAdminUserFactory, OfficeFactory

from .files import EXECUTABLE, jpeg_bytes, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def stored_files(storage, folder=""):
    folders, files = storage.listdir(folder)
    found = [f"{folder}/{name}".lstrip("/") for name in files]
    for sub in folders:
        found += stored_files(storage, f"{folder}/{sub}".lstrip("/"))
    return sorted(found)


def read(storage, name):
    with storage.open(name, "rb") as handle:
        return handle.read()


@pytest.fixture
def officer():
    return BranchStaffUserFactory(first_name="Grace", last_name="Otieno")


@pytest.fixture
def client_(officer):
    return ClientFactory(office=officer.office)


@pytest.fixture
def proof_of_address():
    return DocumentCategory.objects.get(name="Proof of address")


def test_the_categories_head_office_starts_with():
    assert list(DocumentCategory.objects.active().values_list("name", flat=True)) == [
        "Identification",
        "Proof of address",
        "Contract",
        "Photo",
        "Other",
    ]


def test_an_upload_is_stored_under_a_random_name_with_what_a_person_needs_to_know(
    client_, officer, proof_of_address, documents_storage
):
    content = pdf_bytes()

    document = services.upload(
        client_,
        upload(content, "../../etc/passwd\n.pdf"),
        category=proof_of_address,
        title=" Bill ",
        by=officer,
    )

    assert stored_files(documents_storage) == [document.stored_name]
    assert read(documents_storage, document.stored_name) == content
    assert document.stored_name.endswith(".pdf") and "passwd" not in document.stored_name
    assert document.original_name == "passwd.pdf"
    assert document.title == "Bill"
    assert (document.content_type, document.size) == ("application/pdf", len(content))
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert (document.uploaded_by, document.uploaded_by_name) == (officer, "Grace Otieno")


def test_an_image_is_stored_re_encoded_with_its_thumbnail(
    client_, officer, proof_of_address, documents_storage
):
    document = services.upload(
        client_, upload(jpeg_bytes(exif=True), "IMG_001.JPG"), category=proof_of_address, by=officer
    )

    stored = read(documents_storage, document.stored_name)
    assert b"Phone camera X" not in stored
    assert document.sha256 == hashlib.sha256(stored).hexdigest() and document.size == len(stored)
    assert sorted(stored_files(documents_storage)) == sorted([document.stored_name, document.thumbnail_name])


def test_a_refused_upload_stores_nothing(client_, officer, proof_of_address, documents_storage):
    with pytest.raises(ValidationError) as caught:
        services.upload(client_, upload(EXECUTABLE, "scan.pdf"), category=proof_of_address, by=officer)

    assert "looks like a program" in caught.value.message_dict["file"][0]
    assert stored_files(documents_storage) == [] and not Document.objects.exists()


def test_a_failure_after_storing_removes_the_file(
    client_, officer, proof_of_address, documents_storage, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(Document, "save", broken)

    with pytest.raises(RuntimeError):
        services.upload(client_, upload(pdf_bytes()), category=proof_of_address, by=officer)

    assert stored_files(documents_storage) == []


def test_the_category_sets_its_types_and_may_lower_the_institutions_limit(client_, officer):
    photos = DocumentCategory.objects.get(name="Photo")
    with pytest.raises(ValidationError) as caught:
        services.upload(client_, upload(pdf_bytes()), category=photos, by=officer)
    assert caught.value.message_dict["file"] == [
        "This file is a PDF, which this category does not take. Allowed: JPEG image, PNG image, WebP image."
    ]

    contract = DocumentCategory.objects.get(name="Contract")
    contract.max_size_mb = 1
    contract.save()
    big = pdf_bytes() + b"%" + b"x" * (1024 * 1024) + b"\n%%EOF\n"
    with pytest.raises(ValidationError) as caught:
        services.upload(client_, upload(big), category=contract, by=officer)
    assert "the largest allowed is 1.0\xa0MB" in caught.value.message_dict["file"][0]


def test_the_institutions_limit_applies_to_every_category(client_, officer, proof_of_address):
    DocumentRules.objects.create(max_size_mb=1)
    proof_of_address.max_size_mb = 10  # above the institution's: no effect
    proof_of_address.save()
    big = pdf_bytes() + b"%" + b"x" * (1024 * 1024) + b"\n%%EOF\n"

    with pytest.raises(ValidationError) as caught:
        services.upload(client_, upload(big), category=proof_of_address, by=officer)

    assert "the largest allowed is 1.0\xa0MB" in caught.value.message_dict["file"][0]


def test_it_refuses_another_clients_identification_and_an_inactive_category(
    client_, officer, proof_of_address
):
    someone_elses = IdentificationFactory(client=ClientFactory(office=client_.office))
    with pytest.raises(ValidationError) as caught:
        services.upload(
            client_, upload(pdf_bytes()), category=proof_of_address, identification=someone_elses, by=officer
        )
    assert caught.value.message_dict == {"identification": ["Choose one of this client's identifications."]}

    proof_of_address.is_active = False
    proof_of_address.save()
    with pytest.raises(ValidationError) as caught:
        services.upload(client_, upload(pdf_bytes()), category=proof_of_address, by=officer)
    assert caught.value.message_dict == {"category": ["Choose a category from the list."]}


def test_a_supporting_document_belongs_to_the_identification(client_, officer):
    identification = IdentificationFactory(client=client_)
    category = DocumentCategory.objects.get(name="Identification")

    document = services.upload(
        client_, upload(png_bytes()), category=category, identification=identification, by=officer
    )

    assert list(identification.documents.all()) == [document]


def test_deleting_removes_the_file_after_commit_and_the_history_keeps_who_when_and_what(
    client_, officer, proof_of_address, documents_storage, django_capture_on_commit_callbacks
):
    document = services.upload(client_, upload(jpeg_bytes()), category=proof_of_address, by=officer)
    manager = BranchStaffUserFactory(office=client_.office, first_name="Peter")

    with django_capture_on_commit_callbacks(execute=True):
        services.delete(document, by=manager)

    assert stored_files(documents_storage) == []
    assert not Document.objects.exists()
    deleted = Document.history.get(history_type="-")
    assert deleted.history_user == manager
    assert (deleted.original_name, deleted.size, deleted.sha256) == (
        document.original_name,
        document.size,
        document.sha256,
    )


def test_a_rolled_back_delete_keeps_the_file(
    client_, officer, proof_of_address, documents_storage, django_capture_on_commit_callbacks
):
    document = services.upload(client_, upload(pdf_bytes()), category=proof_of_address, by=officer)
    pk = document.pk

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.delete(document, by=officer)
            raise RuntimeError("something later in the same transaction failed")

    assert Document.objects.filter(pk=pk).exists()
    assert stored_files(documents_storage) == [document.stored_name]


def test_documents_follow_their_client_on_a_transfer(officer, proof_of_address):
    # A document has no office of its own: it is seen by whoever sees its client.
    client_ = ActiveClientFactory(office=officer.office)
    document = services.upload(client_, upload(pdf_bytes()), category=proof_of_address, by=officer)
    new_branch = OfficeFactory(parent=officer.office.parent)
    new_officer = BranchStaffUserFactory(office=new_branch)
    assert not Document.objects.visible_to(new_officer).exists()

    lifecycle.transfer(
        client_, to_office=new_branch, on=datetime.date(2024, 6, 1), by=HeadOfficeAdminUserFactory()
    )

    assert list(Document.objects.visible_to(new_officer)) == [document]
    assert not Document.objects.visible_to(officer).exists()


def test_a_photo_is_set_replaced_and_removed_with_its_files(
    client_, officer, documents_storage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.set_photo(client_, upload(jpeg_bytes(size=(1200, 900))), by=officer)
    first_files = [first.stored_name, first.thumbnail_name]
    assert sorted(stored_files(documents_storage)) == sorted(first_files)

    with django_capture_on_commit_callbacks(execute=True):
        second = services.set_photo(client_, upload(png_bytes()), by=officer)
    assert sorted(stored_files(documents_storage)) == sorted([second.stored_name, second.thumbnail_name])
    assert ClientPhoto.objects.get().content_type == "image/png"

    with django_capture_on_commit_callbacks(execute=True):
        assert services.remove_photo(client_, by=officer) is True
    assert stored_files(documents_storage) == [] and not ClientPhoto.objects.exists()
    assert services.remove_photo(client_, by=officer) is False


def test_a_photo_must_be_an_image(client_, officer):
    with pytest.raises(ValidationError) as caught:
        services.set_photo(client_, upload(pdf_bytes()), by=officer)

    assert caught.value.message_dict["file"] == [
        "This file is a PDF, which is not allowed here. Allowed: JPEG image, PNG image, WebP image."
    ]


def test_a_photo_that_is_no_image_names_the_image_types_alone(client_, officer):
    with pytest.raises(ValidationError) as caught:
        services.set_photo(client_, upload(b"Just some words.", "me.txt"), by=officer)

    [message] = caught.value.message_dict["file"]
    assert message.endswith("Allowed: JPEG image, PNG image, WebP image.")
    assert "PDF" not in message
