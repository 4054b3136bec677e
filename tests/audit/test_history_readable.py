"""The History tab reads as a person would tell it: no storage internals, each field once, no row of
nothing, amounts and sentences in the reader's language."""

from decimal import Decimal

import pytest
from django.urls import reverse

from audit import history
from documents.models import ClientPhoto
from tests.clients.factories import ClientFactory, IdentificationFactory, IdentificationTypeFactory
from tests.documents.factories import DocumentFactory
from tests.groups.factories import MembershipFactory
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject(office_tree):
    return ClientFactory(office=office_tree["n1"], first_name="Ada", last_name="Bello")


def history_page(django_client, subject, *, language="en", **params):
    user = BranchManagerUserFactory(
        office=subject.office, first_name="Mina", last_name="Okafor", language=language
    )
    django_client.force_login(user)
    response = django_client.get(reverse("audit:client_history", args=[subject.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_replaced_photo_shows_its_names_and_size_not_how_it_is_stored(client, subject):
    photo = ClientPhoto.objects.create(
        client=subject,
        original_name="me.jpg",
        stored_name="1a/ac/1aac0000.jpg",
        thumbnail_name="1a/ac/1aac0000-thumb.jpg",
        content_type="image/jpeg",
        size=10861,
        sha256="1" * 64,
    )
    photo.original_name, photo.stored_name, photo.size, photo.sha256 = (
        "new.jpg",
        "9f/00/9f00.jpg",
        8230,
        "2" * 64,
    )
    photo.save()

    page = history_page(client, subject)

    assert "Original name: me.jpg &rarr; new.jpg" in page
    assert "Size: 10.6\xa0KB &rarr; 8.0\xa0KB" in page
    for internal in ("Stored name", "1a/ac/", "Thumbnail", "SHA-256", "Size in bytes", "10861"):
        assert internal not in page


def test_a_name_kept_beside_its_user_is_shown_once(client, subject):
    uploader = BranchManagerUserFactory(office=subject.office, first_name="Jane", last_name="Uploader")
    DocumentFactory(client=subject, uploaded_by=uploader, uploaded_by_name="Jane Uploader")

    page = history_page(client, subject)

    assert page.count("Uploaded by") == 1
    assert "Uploaded by: Jane Uploader" in page
    assert "(name)" not in page


def test_who_ended_a_membership_is_shown_once_and_by_name_after_their_account_is_gone(client, subject):
    leaver = BranchManagerUserFactory(office=subject.office, first_name="Paul", last_name="Gone")
    membership = MembershipFactory(client=subject, group__office=subject.office)
    membership.left_on, membership.ended_by, membership.ended_by_name = (
        membership.joined_on,
        leaver,
        "Paul Gone",
    )
    membership.save()
    leaver.delete()

    page = history_page(client, subject)

    assert page.count("Ended by") == 1
    assert "Ended by: — &rarr; Paul Gone" in page
    assert f"#{leaver.pk}" not in page


def test_a_save_that_changed_nothing_shown_leaves_no_row(client, subject):
    subject.city = "Arusha"
    subject.save()
    for _ in range(3):
        subject.save()  # only its time stamp changes

    page = history_page(client, subject)

    assert "No visible change" not in page
    assert page.count("Client changed") == 1


def test_pages_skip_rows_of_nothing_and_lose_no_change(subject):
    for number in range(25):
        subject.city = f"City {number:02d}"
        subject.save()
        for _ in range(2):
            subject.save()

    cities, after, pages = [], None, 0
    while True:
        entries, after = history.entries(subject, after=after, per_page=10)
        pages += 1
        assert entries, "a page with nothing on it"
        cities += [change.new for entry in entries for change in entry.changes if change.label == "City"]
        if after is None:
            break

    assert cities == [f"City {number:02d}" for number in reversed(range(25))]
    assert pages == 3  # 26 rows that show something (the creation too), 10 a page


def test_an_amount_reads_in_the_language_of_the_reader(client, subject):
    subject.monthly_income = Decimal("1500.50")
    subject.save()
    subject.monthly_income = Decimal("1750.00")
    subject.save()

    page = history_page(client, subject, language="fr")

    assert "1\xa0500,50 &rarr; 1\xa0750,00" in page
    assert "1500.50" not in page


def test_each_kind_of_record_has_a_whole_translated_sentence(client, subject):
    IdentificationFactory(
        client=subject, document_type=IdentificationTypeFactory(name="Passeport"), number="P1"
    )

    page = history_page(client, subject, language="fr").replace("&#39;", "'")

    assert "Pièce d'identité ajoutée: Passeport: P1" in page
    assert "identité créé" not in page


def test_a_stretch_longer_than_a_page_of_rows_of_nothing_leads_on_to_older_changes(client, subject):
    subject.city = "Arusha"
    subject.save()
    for _ in range(history.PER_PAGE * history.READ_AHEAD + 1):
        subject.save()

    first = history_page(client, subject)
    after = first.split('href="?after=')[1].split('"')[0]
    second = history_page(client, subject, after=after)

    assert "older changes follow" in first and "Arusha" not in first
    assert "City: — &rarr; Arusha" in second
