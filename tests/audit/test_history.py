import pytest
from django.urls import reverse

from audit import history
from clients.models import Client
from tests.clients.factories import (
    ClientFactory,
    FamilyMemberFactory,
    IdentificationFactory,
    IdentificationTypeFactory,
    NoteFactory,
    OccupationFactory,
)
from tests.offices.factories import BranchManagerUserFactory, BranchStaffUserFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(office_tree):
    return BranchManagerUserFactory(office=office_tree["n1"], first_name="Mina", last_name="Okafor")


@pytest.fixture
def subject(office_tree):
    return ClientFactory(
        office=office_tree["n1"], first_name="Ada", last_name="Bello", mobile_phone="+255700000001"
    )


def history_page(django_client, user, subject, **params):
    django_client.force_login(user)
    response = django_client.get(reverse("audit:client_history", args=[subject.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_changed_field_shows_its_label_and_both_values(client, manager, subject):
    subject.mobile_phone = "+255700000002"
    subject._history_user = manager
    subject.save()

    page = history_page(client, manager, subject)

    assert "Mobile phone: +255700000001 &rarr; +255700000002" in page
    assert "Mina Okafor" in page


def test_choices_and_names_are_shown_rather_than_ids(client, manager, subject, office_tree):
    officer = StaffFactory(office=office_tree["n1"], first_name="Joseph", last_name="Mwangi")
    farmer = OccupationFactory(name="Farmer")
    subject.gender = "male"
    subject.staff = officer
    subject.occupation = farmer
    subject.save()

    page = history_page(client, manager, subject)

    assert "Gender: Female &rarr; Male" in page
    assert f"Credit officer: — &rarr; {officer}" in page
    assert "Occupation: — &rarr; Farmer" in page
    assert f"#{officer.pk}" not in page


def test_a_created_and_a_deleted_identification_show_as_such(client, manager, subject):
    passport = IdentificationTypeFactory(name="Passport")
    identification = IdentificationFactory(client=subject, document_type=passport, number="AB123456")
    identification.delete()

    page = history_page(client, manager, subject)

    assert "Identification added: Passport: AB123456" in page
    assert "Type: Passport" in page
    assert "Identification deleted: Passport: AB123456" in page


def test_a_family_member_and_a_note_changes_show_in_words(client, manager, subject):
    member = FamilyMemberFactory(client=subject, first_name="Tumaini", last_name="Bello")
    member.is_dependent = True
    member.save()
    note = NoteFactory(client=subject, text="First visit")
    note.text = "Second visit"
    note.save()

    page = history_page(client, manager, subject)

    assert "Family member changed: Tumaini Bello" in page
    assert "Economic dependent: no &rarr; yes" in page
    assert "Note: First visit &rarr; Second visit" in page


def test_a_group_membership_shows_in_the_history(client, manager, subject):
    from tests.groups.factories import GroupFactory, MembershipFactory

    group = GroupFactory(office=subject.office, name="Upendo")
    MembershipFactory(group=group, client=subject)

    page = history_page(client, manager, subject)

    assert "Member added" in page
    assert "Upendo" in page


def test_a_document_and_a_photo_show_in_the_history(client, manager, subject):
    from documents.models import ClientPhoto
    from tests.documents.factories import DocumentCategoryFactory, DocumentFactory

    DocumentFactory(client=subject, category=DocumentCategoryFactory(name="Lease"), original_name="lease.pdf")
    ClientPhoto.objects.create(
        client=subject,
        original_name="me.jpg",
        stored_name="00/aa.jpg",
        content_type="image/jpeg",
        size=10,
        sha256="1" * 64,
    )

    page = history_page(client, manager, subject)

    assert "Document added: lease.pdf" in page
    assert "Lease" in page
    assert f"Photo added: Photo of {subject}" in page


def test_another_clients_history_is_not_shown(client, manager, subject, office_tree):
    other = ClientFactory(office=office_tree["n1"], first_name="Other")
    other.mobile_phone = "+255799999999"
    other.save()

    page = history_page(client, manager, subject)

    assert "+255799999999" not in page


def test_each_clients_first_page_is_its_own_from_the_sql_written_once(office_tree):
    first, second = ClientFactory(office=office_tree["n1"]), ClientFactory(office=office_tree["n1"])
    NoteFactory(client=first)
    for number in range(3):
        second.city = f"City {number}"
        second.save()

    pages = [history.page_rows(each, per_page=2) for each in (first, second, first)]
    orm = [list(history._page_query(each.pk, None, 3, "default")) for each in (first, second, first)]

    assert [rows for rows, _cursor in pages] == [rows[:2] for rows in orm]
    assert [cursor is not None for _rows, cursor in pages] == [False, True, False]
    ranks = {rank for rank, model, _column in history.tracked_models() if model is Client}
    assert {rank for _date, rank, _id in pages[1][0]} == ranks  # the second client's own changes


def test_a_client_out_of_scope_answers_404(client, office_tree, subject):
    client.force_login(BranchStaffUserFactory(office=office_tree["s1"]))

    response = client.get(reverse("audit:client_history", args=[subject.pk]))

    assert response.status_code == 404


def test_history_is_paginated_newest_first(client, manager, subject):
    for number in range(25):
        subject.city = f"City {number:02d}"
        subject.save()

    first = history_page(client, manager, subject)
    assert "City 24" in first and "City: — &rarr; City 00" not in first
    assert 'rel="next"' in first
    after = first.split('href="?after=')[1].split('"')[0]
    second = history_page(client, manager, subject, after=after.replace("&amp;", "&"))

    assert "City 24" not in second
    assert "City: — &rarr; City 00" in second


@pytest.mark.parametrize("changes", [1, 30])
def test_the_history_tab_runs_a_fixed_number_of_queries(
    client, manager, subject, django_assert_max_num_queries, changes
):
    for number in range(changes):
        subject.city = f"City {number}"
        subject.save()
        IdentificationFactory(client=subject)
        NoteFactory(client=subject)
    client.force_login(manager)

    with django_assert_max_num_queries(HISTORY_QUERIES):
        response = client.get(reverse("audit:client_history", args=[subject.pk]))

    assert response.status_code == 200


# The page's rows; then per kind of record on it, its rows and (when it has earlier versions) those:
# at most two queries per tracked model, whatever the history holds.
HISTORY_QUERIES = 12


def test_a_bad_page_link_falls_back_to_the_first_page(client, manager, subject):
    page = history_page(client, manager, subject, after="not-a-cursor")

    assert "out of date" in page
    assert Client.objects.filter(pk=subject.pk).exists()
