"""The Documents tab, uploads, downloads and deletion as a user meets them: scope, permissions, headers."""

import re
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test import Client as BrowserClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Event
from documents import services
from documents.models import Document, DocumentCategory, DocumentRules
from tests.access import assert_access
from tests.clients.factories import ClientFactory, IdentificationFactory
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    OfficeFactory,
    UserFactory,
)

from .files import EXECUTABLE, jpeg_bytes, pdf_bytes, png_bytes, upload
from .test_services import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch():
    return OfficeFactory(name="Riverside")


@pytest.fixture
def officer(branch):
    return BranchStaffUserFactory(office=branch, first_name="Grace", last_name="Otieno")


@pytest.fixture
def manager(branch):
    return BranchManagerUserFactory(office=branch)


@pytest.fixture
def outsider():
    """A manager of another branch: every permission, none of this branch's clients."""
    return BranchManagerUserFactory(office=OfficeFactory(name="Hilltop"))


@pytest.fixture
def holder(branch):
    return ClientFactory(office=branch, first_name="Amina", last_name="Diallo")


@pytest.fixture
def category():
    return DocumentCategory.objects.get(name="Proof of address")


def add(holder, officer, content=None, name="bill.pdf", **kwargs):
    category = kwargs.pop("category", None) or DocumentCategory.objects.get(name="Proof of address")
    return services.upload(
        holder, upload(content or pdf_bytes(), name), category=category, by=officer, **kwargs
    )


def post_upload(client, holder, content, name, category, **data):
    return client.post(
        reverse("documents:document_add", args=[holder.pk]),
        {"file": upload(content, name), "category": category.pk, **data},
    )


def error_next_to_file(response):
    match = re.search(r'id="id_file_error" role="alert"><p>(.*?)</p>', response.content.decode())
    return match and match.group(1)


# --- The tab -----------------------------------------


def test_the_tab_lists_category_size_uploader_and_date_with_an_upload_form_for_phones(
    client, holder, officer
):
    add(holder, officer, title="Water bill")
    add(holder, officer, content=png_bytes(), name="house.png")
    client.force_login(officer)

    page = client.get(reverse("documents:client_documents", args=[holder.pk])).content.decode()

    assert "Water bill" in page and "bill.pdf" in page and "house.png" in page
    assert "Proof of address" in page and "Grace Otieno" in page
    assert 'accept="application/pdf,image/jpeg,image/png,image/webp"' in page
    assert 'enctype="multipart/form-data"' in page
    # A phone's picker offers its camera beside its files; ``capture`` would leave only the camera.
    assert "capture" not in page
    assert page.count("/preview/") == 1  # a thumbnail for the image only
    assert ">Delete<" not in page  # branch staff do not delete


def test_the_tab_is_reachable_from_the_client_page(client, holder, officer):
    client.force_login(officer)

    page = client.get(holder.get_absolute_url()).content.decode()

    assert reverse("documents:client_documents", args=[holder.pk]) in page


@pytest.mark.parametrize("count", [2, 25])
def test_the_tab_runs_the_same_queries_however_many_documents(
    client, holder, officer, manager, count, django_assert_max_num_queries
):
    for number in range(count):
        add(holder, officer, content=png_bytes() if number % 2 else None, name=f"scan-{number}.pdf")
    client.force_login(manager)
    url = reverse("documents:client_documents", args=[holder.pk])
    client.get(url)  # the session's first touch after signing in is written once

    # Session with user, office, its tree and permissions, client, audit's rules (are views
    # recorded), rules, page count, documents, categories and identifications of the form.
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_the_identifications_tab_shows_each_identifications_documents_in_one_query(
    client, holder, officer, django_assert_num_queries
):
    category = DocumentCategory.objects.get(name="Identification")
    for number in range(3):
        identification = IdentificationFactory(client=holder)
        add(holder, officer, name=f"id-card-{number}.pdf", identification=identification, category=category)
    client.force_login(officer)
    url = reverse("clients:client_identifications", args=[holder.pk])
    client.get(url)

    with django_assert_num_queries(5):  # the tab's 4 and the documents of all its identifications
        page = client.get(url).content.decode()

    assert all(f"id-card-{number}.pdf" in page for number in range(3))
    assert "Attach a document" in page


# --- Uploading -----------------------------------------


def test_an_officer_uploads_a_document_and_sees_it_listed(
    client, holder, officer, category, documents_storage
):
    client.force_login(officer)

    response = post_upload(client, holder, pdf_bytes(), "facture électricité.pdf", category, title="Bill")

    assert response.status_code == 302
    assert response["Location"] == reverse("documents:client_documents", args=[holder.pk])
    document = Document.objects.get()
    assert (document.original_name, document.title, document.client) == (
        "facture électricité.pdf",
        "Bill",
        holder,
    )
    assert stored_files(documents_storage) == [document.stored_name]
    assert "Bill is uploaded." in client.get(response["Location"]).content.decode()


def test_a_supporting_document_goes_back_to_the_identifications_tab(client, holder, officer, category):
    identification = IdentificationFactory(client=holder)
    client.force_login(officer)
    form = client.get(
        reverse("documents:document_add", args=[holder.pk]) + f"?identification={identification.pk}"
    )
    assert f'<option value="{identification.pk}" selected>' in form.content.decode()

    response = post_upload(client, holder, jpeg_bytes(), "id.jpg", category, identification=identification.pk)

    assert response["Location"] == reverse("clients:client_identifications", args=[holder.pk])
    assert Document.objects.get().identification == identification


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (EXECUTABLE, "contract.pdf", "whatever its name says (it looks like a program)"),
        (
            b"<html><script>alert(1)</script></html>",
            "page.html",
            "it looks like a web page or an SVG drawing",
        ),
        (b"", "empty.pdf", "The file is empty."),
        (jpeg_bytes(size=(600, 400))[:1500], "cut.jpg", "The image is damaged or incomplete"),
        (png_bytes() + b"<script>x</script>", "both.png", "web page or script code besides its content"),
    ],
    ids=["renamed-executable", "html", "empty", "truncated", "polyglot"],
)
def test_a_refused_upload_shows_why_next_to_the_field_and_stores_nothing(
    client, holder, officer, category, documents_storage, content, name, words
):
    client.force_login(officer)

    response = post_upload(client, holder, content, name, category)

    assert response.status_code == 200
    message = error_next_to_file(response)
    assert words in message
    if content:
        assert "Allowed: PDF, JPEG image, PNG image, WebP image." in message
    assert not Document.objects.exists() and stored_files(documents_storage) == []


def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(
    client, holder, officer, category, monkeypatch
):
    DocumentRules.objects.create(max_size_mb=1)
    client.force_login(officer)

    def unread(*args, **kwargs):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr("django.http.multipartparser.MultiPartParser.parse", unread)
    big = pdf_bytes() + b"%" + b"x" * (1100 * 1024) + b"\n%%EOF\n"

    response = post_upload(client, holder, big, "big.pdf", category)

    assert response.status_code == 413
    assert "larger than 1.0\xa0MB, the largest allowed" in error_next_to_file(response)
    assert not Document.objects.exists()


def test_an_upload_still_needs_its_csrf_token(holder, officer, category):
    browser = BrowserClient(enforce_csrf_checks=True)
    browser.force_login(officer)

    response = post_upload(browser, holder, pdf_bytes(), "bill.pdf", category)

    assert response.status_code == 403 and not Document.objects.exists()


def test_uploads_are_streamed_to_a_temporary_file(client, holder, officer, category, monkeypatch):
    seen = []
    original = services.upload

    def spy(client_, file, **kwargs):
        seen.append(type(file).__name__)
        return original(client_, file, **kwargs)

    monkeypatch.setattr(services, "upload", spy)
    client.force_login(officer)

    post_upload(client, holder, pdf_bytes(), "small.pdf", category)

    assert seen == ["TemporaryUploadedFile"]


# --- Downloading -----------------------------------------


def disposition_names(header):
    fallback = re.search(r'filename="([^"]*)"', header).group(1)
    exact = unquote(re.search(r"filename\*=UTF-8''(\S+)$", header).group(1))
    return fallback, exact


def test_a_download_streams_the_same_bytes_with_safe_headers_and_is_recorded(client, holder, officer):
    content = pdf_bytes()
    document = add(holder, officer, content=content, name="contrat signé.pdf")
    client.force_login(officer)

    response = client.get(reverse("documents:document_download", args=[document.pk]))

    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"contrat signe.pdf\"; filename*=UTF-8''contrat%20sign%C3%A9.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    event = Event.objects.get(event="documents.document.downloaded")
    assert (event.actor_name, event.object_id, event.details["name"]) == (
        officer.username,
        str(document.pk),
        "contrat signé.pdf",
    )


def test_an_inline_pdf_is_sandboxed(client, holder, officer):
    document = add(holder, officer)
    client.force_login(officer)

    response = client.get(reverse("documents:document_open", args=[document.pk]))

    assert response["Content-Disposition"].startswith('inline; filename="bill.pdf"')
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "fallback", "exact"),
    [
        (
            '../../etc/passwd"; filename="evil.html',
            "passwd__ filename__evil.html.pdf",
            'passwd"; filename="evil.html.pdf',
        ),
        ('quote"d and back\\slash.pdf', "slash.pdf", "slash.pdf"),
        ("line\r\nSet-Cookie: a=b.pdf", "lineSet-Cookie_ a_b.pdf", "lineSet-Cookie: a=b.pdf"),
        ("договор займа.pdf", "document.pdf", "договор займа.pdf"),
        ("合同.PDF", "document.PDF", "合同.PDF"),
        ("report.html", "report.html.pdf", "report.html.pdf"),
    ],
)
def test_no_name_breaks_the_download_header_or_a_path(client, holder, officer, name, fallback, exact):
    document = add(holder, officer, name=name)
    client.force_login(officer)

    header = client.get(reverse("documents:document_download", args=[document.pk]))["Content-Disposition"]

    assert "\n" not in header and "\r" not in header
    assert header.count('"') == 2
    assert disposition_names(header) == (fallback, exact)
    assert "/" not in document.stored_name.rsplit("/", 1)[-1] and name not in document.stored_name


def test_an_image_preview_is_a_small_jpeg(client, holder, officer):
    document = add(holder, officer, content=png_bytes(size=(1200, 800)), name="house.png")
    client.force_login(officer)

    response = client.get(reverse("documents:document_thumbnail", args=[document.pk]))

    assert response["Content-Type"] == "image/jpeg"
    assert type(response["Content-Type"]) is str  # WSGI servers refuse a str subclass (a 500 in a browser)
    assert len(b"".join(response.streaming_content)) < 10_000
    assert not Event.objects.filter(event="documents.document.downloaded").exists()


# --- Scope and permissions -----------------------------------------


@pytest.mark.parametrize(
    ("url_name", "by_client"),
    [
        ("documents:client_documents", True),
        ("documents:document_add", True),
        ("documents:document_delete", True),
        ("documents:document_download", False),
        ("documents:document_open", False),
    ],
)
def test_another_offices_user_gets_404_and_one_without_permission_403(
    client, holder, officer, manager, outsider, url_name, by_client
):
    document = add(holder, officer)
    args = [holder.pk, document.pk] if url_name == "documents:document_delete" else [holder.pk]
    if not by_client:
        args = [document.pk]
    nobody = UserFactory(office=holder.office)

    assert_access(
        client,
        reverse(url_name, args=args),
        permitted=manager,
        without_permission=nobody,
        other_office=outsider,
    )


def test_another_offices_user_cannot_delete_by_post(client, holder, officer, outsider):
    document = add(holder, officer)
    client.force_login(outsider)

    response = client.post(reverse("documents:document_delete", args=[holder.pk, document.pk]))

    assert response.status_code == 404 and Document.objects.filter(pk=document.pk).exists()


def test_a_document_of_another_client_is_not_deleted_through_this_clients_url(
    client, holder, officer, manager
):
    document = add(holder, officer)
    neighbour = ClientFactory(office=holder.office)
    client.force_login(manager)

    response = client.post(reverse("documents:document_delete", args=[neighbour.pk, document.pk]))

    assert response.status_code == 404 and Document.objects.filter(pk=document.pk).exists()


def test_branch_staff_may_not_delete(client, holder, officer):
    document = add(holder, officer)
    client.force_login(officer)

    response = client.post(reverse("documents:document_delete", args=[holder.pk, document.pk]))

    assert response.status_code == 403 and Document.objects.filter(pk=document.pk).exists()


def test_a_manager_deletes_after_confirming_and_the_file_goes_after_commit(
    client, holder, officer, manager, documents_storage, django_capture_on_commit_callbacks
):
    document = add(holder, officer, title="Old bill")
    client.force_login(manager)
    url = reverse("documents:document_delete", args=[holder.pk, document.pk])
    assert "Delete Old bill?" in client.get(url).content.decode()
    assert Document.objects.exists()  # GET only asks

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response["Location"] == reverse("documents:client_documents", args=[holder.pk])
    assert not Document.objects.exists() and stored_files(documents_storage) == []
    assert Document.history.get(history_type="-").history_user == manager


# --- The client's photo -----------------------------------------


def test_an_officer_adds_a_photo_and_the_client_page_shows_its_thumbnail(client, holder, officer):
    client.force_login(officer)
    assert "Add a photo" in client.get(holder.get_absolute_url()).content.decode()
    form = client.get(reverse("documents:clientphoto_edit", args=[holder.pk])).content.decode()
    assert 'accept="image/jpeg,image/png,image/webp" capture="environment"' in form  # the back camera

    response = client.post(
        reverse("documents:clientphoto_edit", args=[holder.pk]),
        {"file": upload(jpeg_bytes(size=(2000, 1500)), "me.jpg")},
    )

    assert response["Location"] == holder.get_absolute_url()
    page = client.get(holder.get_absolute_url()).content.decode()
    thumbnail_url = re.search(r'<img class="client-photo" src="([^"]+)"', page).group(1)
    thumbnail = client.get(thumbnail_url)
    assert thumbnail["Content-Type"] == "image/jpeg" and len(b"".join(thumbnail.streaming_content)) < 10_000
    assert "Change the photo" in page


def test_a_photo_that_is_not_an_image_is_refused_next_to_the_field(client, holder, officer):
    client.force_login(officer)

    response = client.post(
        reverse("documents:clientphoto_edit", args=[holder.pk]), {"file": upload(pdf_bytes(), "me.jpg")}
    )

    assert "This file is a PDF" in error_next_to_file(response)


def test_a_photo_is_removed_by_post_only_and_not_from_another_office(client, holder, officer, outsider):
    services.set_photo(holder, upload(jpeg_bytes()), by=officer)
    url = reverse("documents:clientphoto_remove", args=[holder.pk])
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    assert client.get(reverse("documents:clientphoto_edit", args=[holder.pk])).status_code == 404

    client.force_login(officer)
    assert client.get(url).status_code == 405
    client.post(url)

    assert "Add a photo" in client.get(holder.get_absolute_url()).content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_client_page_asks_one_query_for_the_photo_whether_there_is_one_or_not(client, holder, officer):
    other = ClientFactory(office=holder.office)
    services.set_photo(holder, upload(jpeg_bytes()), by=officer)
    client.force_login(officer)
    client.get(other.get_absolute_url())

    assert count_queries(client, holder.get_absolute_url()) == count_queries(client, other.get_absolute_url())
