import pytest
from django.core.files.storage import storages
from playwright.sync_api import expect

from documents.models import Document
from tests.clients.factories import ClientFactory, IdentificationFactory, IdentificationTypeFactory
from tests.documents.factories import DocumentCategoryFactory
from tests.documents.files import jpeg_bytes, pdf_bytes
from tests.offices.factories import BranchManagerUserFactory, BranchStaffUserFactory, OfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def documents_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return storages["documents"]


def test_an_officer_uploads_and_downloads_documents_and_a_manager_deletes_one(
    sign_in, page, documents_storage, tmp_path
):
    branch = OfficeFactory(name="Riverside")
    officer = BranchStaffUserFactory(office=branch)
    manager = BranchManagerUserFactory(office=branch)
    holder = ClientFactory(office=branch, first_name="Amina", last_name="Diallo")
    IdentificationFactory(
        client=holder, document_type=IdentificationTypeFactory(name="National ID"), number="12345678A"
    )
    # Categories come from a data migration, which a transactional test's flush removes: put two back.
    DocumentCategoryFactory(name="Proof of address")
    DocumentCategoryFactory(name="Identification")
    bill = pdf_bytes("Electricity bill, March")

    sign_in(officer)
    page.goto(holder.get_absolute_url())
    page.get_by_role("link", name="Documents").click()
    page.get_by_label("File").set_input_files(
        {"name": "facture mars.pdf", "mimeType": "application/pdf", "buffer": bill}
    )
    page.get_by_label("Category").select_option(label="Proof of address")
    page.get_by_label("Title").fill("Electricity bill")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Electricity bill is uploaded.")).to_be_visible()
    row = page.locator("tr", has_text="Electricity bill")
    expect(row).to_contain_text("Proof of address")

    page.get_by_role("link", name="Identifications").click()
    page.get_by_role("link", name="Attach a document").click()
    expect(page.get_by_label("Supporting document of")).to_have_value(str(holder.identifications.get().pk))
    page.get_by_label("File").set_input_files(
        {"name": "id-card.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(exif=True)}
    )
    page.get_by_label("Category").select_option(label="Identification")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("tr", has_text="12345678A").get_by_role("link", name="id-card.jpg")).to_be_visible()

    page.get_by_role("link", name="Documents").click()
    with page.expect_download() as download_info:
        page.locator("tr", has_text="Electricity bill").get_by_role("link", name="Download").click()
    download = download_info.value
    assert download.suggested_filename == "facture mars.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == bill
    expect(page.locator("tr", has_text="Electricity bill").get_by_role("link", name="Delete")).to_have_count(
        0
    )

    page.context.clear_cookies()
    sign_in(manager)
    page.goto(holder.get_absolute_url())
    page.get_by_role("link", name="Documents").click()
    page.locator("tr", has_text="Electricity bill").get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", name="Delete Electricity bill?")).to_be_visible()
    page.get_by_role("button", name="Delete").click()

    expect(page.get_by_text("Electricity bill is deleted.")).to_be_visible()
    expect(page.locator("tr", has_text="Electricity bill")).to_have_count(0)
    remaining = Document.objects.get()
    assert remaining.original_name == "id-card.jpg"
    assert not documents_storage.exists(Document.history.get(history_type="-").stored_name)
