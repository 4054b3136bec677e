import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients import lifecycle, registration
from clients.models import Client, FamilyMember, Identification, Note
from mifos.versioning import current_version
from tests.access import assert_access
from tests.clients.factories import (
    ActiveClientFactory,
    ClientFactory,
    CorporateClientFactory,
    FamilyMemberFactory,
    IdentificationFactory,
    IdentificationTypeFactory,
    NoteFactory,
    OccupationFactory,
    RelationshipTypeFactory,
)
from tests.clients.pages import form_on
from tests.offices.factories import (
    BranchManagerUserFactory,
    BranchStaffUserFactory,
    StaffFactory,
    UserFactory,
)
from tests.test_lost_update import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(office_tree):
    return office_tree["n1"]


@pytest.fixture
def officer(branch):
    return BranchStaffUserFactory(office=branch, first_name="Grace", last_name="Achieng")


@pytest.fixture
def client_record(branch):
    return ClientFactory(office=branch, first_name="Wanjiru", last_name="Kamau", account_no="T-000001")


def page(response):
    return response.content.decode()


class TestRegistering:
    def test_the_first_step_asks_person_or_business(self, client, officer):
        client.force_login(officer)

        content = page(client.get(reverse("clients:client_add")))

        assert reverse("clients:client_create", args=["individual"]) in content
        assert reverse("clients:client_create", args=["corporate"]) in content
        assert client.get(reverse("clients:client_create", args=["robot"])).status_code == 404

    def test_a_person_is_registered_and_lands_on_their_page(self, client, branch, officer):
        kind = IdentificationTypeFactory(name="National ID", is_required=True)
        staff = StaffFactory(office=branch)
        client.force_login(officer)

        response = client.post(
            reverse("clients:client_create", args=["individual"]),
            {
                "office": branch.pk,
                "staff": staff.pk,
                "submitted_on": timezone.localdate().isoformat(),
                "first_name": "Wanjiru",
                "last_name": "Kamau",
                "gender": "female",
                "date_of_birth": "1986-04-12",
                "mobile_phone": "0712 000 101",
                f"identification_{kind.pk}": "ID-77",
            },
        )

        registered = Client.objects.get()
        assert response.status_code == 302
        assert response["Location"] == registered.get_absolute_url()
        assert registered.account_no == "N1-000001"
        assert registered.created_by == officer
        assert registered.identifications.get().number == "ID-77"
        content = page(client.get(response["Location"]))
        assert "Wanjiru Kamau (N1-000001) is registered." in content
        assert "N1-000001" in content

    def test_a_business_is_registered(self, client, branch, officer):
        client.force_login(officer)

        response = client.post(
            reverse("clients:client_create", args=["corporate"]),
            {
                "office": branch.pk,
                "submitted_on": "2025-03-01",
                "business_name": "Boulangerie du Lac",
                "registration_number": "RC-1",
            },
        )

        assert response.status_code == 302
        assert Client.objects.get().display_name == "Boulangerie du Lac"

    def test_errors_show_next_to_the_fields_and_nothing_is_saved(self, client, branch, officer):
        client.force_login(officer)

        response = client.post(
            reverse("clients:client_create", args=["individual"]),
            {
                "office": branch.pk,
                "submitted_on": "2025-03-01",
                "first_name": "Wanjiru",
                "last_name": "Kamau",
                "gender": "female",
                "date_of_birth": "2020-01-01",
            },
        )

        assert response.status_code == 200
        error = 'id="id_date_of_birth_error" role="alert"><p>A client must be at least 18 years old'
        assert error in page(response)
        assert not Client.objects.exists()

    def test_a_possible_duplicate_is_shown_and_saved_once_confirmed(
        self, client, branch, officer, client_record
    ):
        client.force_login(officer)
        data = {
            "office": branch.pk,
            "submitted_on": "2025-03-01",
            "first_name": "Wanjiru",
            "last_name": "KAMAU",
            "gender": "female",
            "date_of_birth": client_record.date_of_birth.isoformat(),
        }
        url = reverse("clients:client_create", args=["individual"])

        warned = client.post(url, data)
        confirmed = client.post(url, {**data, "confirm_duplicates": "on"})

        assert "Wanjiru Kamau (T-000001) has the same name and date of birth." in page(warned)
        assert 'name="confirm_duplicates"' in page(warned)
        assert confirmed.status_code == 302
        assert Client.objects.count() == 2

    def test_a_late_refusal_by_the_service_goes_back_to_the_form(self, client, branch, officer, monkeypatch):
        def refuse(*args, **kwargs):
            raise ValidationError({"number": "This number was registered a moment ago."})

        monkeypatch.setattr(registration, "register_client", refuse)
        client.force_login(officer)

        response = client.post(
            reverse("clients:client_create", args=["corporate"]),
            {
                "office": branch.pk,
                "submitted_on": "2025-03-01",
                "business_name": "L",
                "registration_number": "R",
            },
        )

        assert response.status_code == 200
        assert "This number was registered a moment ago." in page(response)

    def test_registering_needs_the_permission(self, client, branch):
        client.force_login(UserFactory(office=branch))

        assert client.get(reverse("clients:client_add")).status_code == 403
        assert client.get(reverse("clients:client_create", args=["individual"])).status_code == 403


def test_an_edit_is_saved_and_signed(client, officer, client_record):
    client.force_login(officer)

    response = client.post(
        reverse("clients:client_edit", args=[client_record.pk]),
        {
            "first_name": "Wanjiru",
            "last_name": "Kamau-Otieno",
            "gender": "female",
            "date_of_birth": "1985-05-17",
            "city": "Riverside",
            "version": current_version(client_record),
        },
    )

    assert response.status_code == 302
    client_record.refresh_from_db()
    assert (client_record.display_name, client_record.city) == ("Wanjiru Kamau-Otieno", "Riverside")
    assert client_record.updated_by == officer


def test_a_business_is_edited_with_the_business_form(client, officer, branch):
    business = CorporateClientFactory(office=branch)
    client.force_login(officer)

    content = page(client.get(reverse("clients:client_edit", args=[business.pk])))

    assert 'name="business_name"' in content
    assert 'name="first_name"' not in content


class TestClientPage:
    def test_the_overview_shows_the_key_facts(self, client, branch, officer):
        staff = StaffFactory(office=branch, first_name="Samuel", last_name="Okello")
        record = ClientFactory(
            office=branch,
            staff=staff,
            first_name="Amani",
            last_name="Njeri",
            city="Riverside",
            mobile_phone="+254712000103",
            account_no="N1-000007",
        )
        client.force_login(officer)

        content = page(client.get(record.get_absolute_url()))

        for fact in (
            "Amani Njeri",
            "N1-000007",
            "North One",
            "Samuel Okello",
            "+254712000103",
            "Pending",
            'class="photo-placeholder"',
            'aria-current="page">Overview',
        ):
            assert fact in content
        assert "<dd>Riverside</dd>" in content  # the address shows only the parts it has

    def test_each_tab_lists_its_records(self, client, officer, client_record):
        IdentificationFactory(client=client_record, number="ID-12345", document_type__name="Passport")
        FamilyMemberFactory(client=client_record, first_name="Faith", relationship__name="Child")
        NoteFactory(client=client_record, text="Visited the shop on market day.", created_by=officer)
        client.force_login(officer)

        for url_name, expected, tab in [
            ("clients:client_identifications", "ID-12345", "Identifications"),
            ("clients:client_family", "Faith", "Family"),
            ("clients:client_notes", "Visited the shop on market day.", "Notes"),
        ]:
            content = page(client.get(reverse(url_name, args=[client_record.pk])))
            assert expected in content, url_name
            assert f'aria-current="page">{tab}' in content

    def test_a_user_without_permission_to_change_sees_no_edit_links(self, client, branch, client_record):
        IdentificationFactory(client=client_record)
        viewer = UserFactory(office=branch)
        viewer.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="clients", codename__in=["view_client", "view_identification"]
            )
        )
        client.force_login(viewer)

        content = page(client.get(reverse("clients:client_identifications", args=[client_record.pk])))

        assert reverse("clients:client_edit", args=[client_record.pk]) not in content
        assert reverse("clients:identification_add", args=[client_record.pk]) not in content
        assert "/edit/" not in content


def client_pages(record):
    """Every registry page about one client, with the method and data that make it succeed."""
    identification = IdentificationFactory(client=record)
    member = FamilyMemberFactory(client=record)
    note = NoteFactory(client=record)
    pk = record.pk
    return [
        ("get", reverse("clients:client_detail", args=[pk]), None),
        ("get", reverse("clients:client_edit", args=[pk]), None),
        ("get", reverse("clients:client_identifications", args=[pk]), None),
        ("get", reverse("clients:client_family", args=[pk]), None),
        ("get", reverse("clients:client_notes", args=[pk]), None),
        ("get", reverse("clients:identification_add", args=[pk]), None),
        ("get", reverse("clients:identification_edit", args=[pk, identification.pk]), None),
        ("get", reverse("clients:identification_delete", args=[pk, identification.pk]), None),
        ("get", reverse("clients:family_member_add", args=[pk]), None),
        ("get", reverse("clients:family_member_edit", args=[pk, member.pk]), None),
        ("get", reverse("clients:family_member_delete", args=[pk, member.pk]), None),
        ("get", reverse("clients:note_add", args=[pk]), None),
        ("get", reverse("clients:note_edit", args=[pk, note.pk]), None),
        ("get", reverse("clients:note_delete", args=[pk, note.pk]), None),
        ("post", reverse("clients:note_add", args=[pk]), {"text": "Called the client."}),
    ]


def test_every_client_page_is_scoped_and_needs_permissions(client, office_tree):
    record = ClientFactory(office=office_tree["n1"])
    manager = BranchManagerUserFactory(office=office_tree["n1"])
    stranger = BranchManagerUserFactory(office=office_tree["s1"])
    powerless = UserFactory(office=office_tree["n1"])

    for method, url, data in client_pages(record):
        assert_access(
            client,
            url,
            permitted=manager,
            without_permission=powerless,
            other_office=stranger,
            method=method,
            data=data,
        )


def test_a_record_of_another_client_answers_404(client, branch, officer, client_record):
    other = IdentificationFactory(client=ClientFactory(office=branch))
    client.force_login(officer)

    url = reverse("clients:identification_edit", args=[client_record.pk, other.pk])

    assert client.get(url).status_code == 404


class TestIdentifications:
    def test_add_edit_and_remove(self, client, officer, client_record):
        kind = IdentificationTypeFactory(
            name="Passport", format_regex=r"^[A-Z]{2}[0-9]{7}$", format_example="2 letters and 7 digits"
        )
        client.force_login(officer)
        add = reverse("clients:identification_add", args=[client_record.pk])

        refused = client.post(add, {"document_type": kind.pk, "number": "12", "is_active": "on"})
        added = client.post(add, {"document_type": kind.pk, "number": "ab 1234567", "is_active": "on"})

        assert "Expected: 2 letters and 7 digits." in page(refused)
        assert added.status_code == 302
        identification = client_record.identifications.get()
        edit = reverse("clients:identification_edit", args=[client_record.pk, identification.pk])
        client.post(
            edit,
            {
                "document_type": kind.pk,
                "number": "AB1234567",
                "description": "renewed",
                "version": current_version(identification),
            },
        )
        identification.refresh_from_db()
        assert (identification.description, identification.is_active) == ("renewed", False)
        delete = reverse("clients:identification_delete", args=[client_record.pk, identification.pk])
        assert "Remove Passport: AB1234567?" in page(client.get(delete))
        assert Identification.objects.exists()
        client.post(delete, {"version": current_version(identification)})
        assert not Identification.objects.exists()
        assert Identification.history.filter(history_type="-").get().history_user == officer


class TestFamily:
    def test_add_edit_and_remove(self, client, officer, client_record):
        spouse = RelationshipTypeFactory(name="Spouse")
        client.force_login(officer)

        client.post(
            reverse("clients:family_member_add", args=[client_record.pk]),
            {
                "first_name": "Joseph",
                "last_name": "Kamau",
                "relationship": spouse.pk,
                "phone": "0712-000-201",
            },
        )
        member = client_record.family_members.get()
        assert member.phone == "0712000201"
        client.post(
            reverse("clients:family_member_edit", args=[client_record.pk, member.pk]),
            {
                "first_name": "Joseph",
                "last_name": "Kamau",
                "relationship": spouse.pk,
                "is_dependent": "on",
                "version": current_version(member),
            },
        )
        member.refresh_from_db()
        assert member.is_dependent
        client.post(
            reverse("clients:family_member_delete", args=[client_record.pk, member.pk]),
            {"version": current_version(member)},
        )
        assert not FamilyMember.objects.exists()


class TestNotes:
    def test_a_note_is_written_and_signed(self, client, officer, client_record):
        client.force_login(officer)

        client.post(reverse("clients:note_add", args=[client_record.pk]), {"text": "Visited the shop."})

        note = client_record.notes.get()
        assert note.created_by == officer
        assert "Grace Achieng" in page(client.get(reverse("clients:client_notes", args=[client_record.pk])))

    def test_only_the_author_or_a_manager_may_edit_or_delete(self, client, branch, officer, client_record):
        note = NoteFactory(client=client_record, created_by=officer)
        colleague = BranchStaffUserFactory(office=branch)
        manager = BranchManagerUserFactory(office=branch)
        edit = reverse("clients:note_edit", args=[client_record.pk, note.pk])
        delete = reverse("clients:note_delete", args=[client_record.pk, note.pk])

        client.force_login(colleague)
        assert client.get(edit).status_code == 403
        assert client.post(delete).status_code == 403
        assert edit not in page(client.get(reverse("clients:client_notes", args=[client_record.pk])))

        client.force_login(officer)
        client.post(edit, {**form_on(client.get(edit)), "text": "Visited the shop twice."})
        note.refresh_from_db()
        assert note.text == "Visited the shop twice."
        assert note.history.last().text != note.text  # the earlier text stays in the history

        client.force_login(manager)
        assert client.post(delete, form_on(client.get(delete))).status_code == 302
        assert not Note.objects.exists()

    def test_the_notes_filter_by_author_and_date_range(self, client, branch, officer, client_record):
        other = BranchStaffUserFactory(office=branch)
        old = NoteFactory(client=client_record, created_by=officer, text="Old note")
        Note.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
        NoteFactory(client=client_record, created_by=officer, text="Recent note")
        NoteFactory(client=client_record, created_by=other, text="Colleague note")
        client.force_login(officer)
        url = reverse("clients:client_notes", args=[client_record.pk])
        since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()

        by_author = page(client.get(url, {"author": officer.pk}))
        recent = page(client.get(url, {"written_from": since}))

        assert "Old note" in by_author and "Recent note" in by_author and "Colleague note" not in by_author
        assert "Old note" not in recent and "Recent note" in recent and "Colleague note" in recent


def fill(record, count):
    IdentificationFactory.create_batch(count, client=record)
    FamilyMemberFactory.create_batch(count, client=record)
    NoteFactory.create_batch(count, client=record, created_by=UserFactory(office=record.office))


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Session with user, office, the office's tree and permissions (their own and their roles'), the
# client, whether head office records views of client pages (audit's rules); then the tab's own.
@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        # The overview also shows the client's photo (documents; it comes with the client), account totals
        # (ledger, one aggregate),
        # who created and last changed it (audit: its first and last history rows); and each of the four
        # lookups it has set (occupation, education, legal structure, business line), read on their own:
        # cheaper than joins to plan.
        ("clients:client_detail", 5 + 4),
        ("clients:client_identifications", 5),  # also the supporting documents of its identifications
        ("clients:client_family", 4),
        ("clients:client_notes", 6),  # also the page count and the authors offered by the filter
    ],
)
def test_the_client_page_and_tabs_run_a_fixed_number_of_queries(
    client, branch, url_name, queries, django_assert_max_num_queries
):
    manager = BranchManagerUserFactory(office=branch)
    small, large = (
        ClientFactory(office=branch, staff=StaffFactory(office=branch), occupation=OccupationFactory()),
        ClientFactory(office=branch, occupation=OccupationFactory()),
    )
    fill(small, 5)
    fill(large, 50)
    client.force_login(manager)

    with django_assert_max_num_queries(queries):
        queries_small = count_queries(client, reverse(url_name, args=[small.pk]))

    assert count_queries(client, reverse(url_name, args=[large.pk])) == queries_small


def test_an_edit_that_changes_nothing_shared_does_not_ask_about_duplicates_again(client, officer, branch):
    """Families and group members often share a phone: the possible duplicate was confirmed when the
    client was saved, and an edit of anything else saves at once. A new phone is checked again."""
    sister = ClientFactory(office=branch, first_name="Achieng", mobile_phone="+254700111222")
    subject = ClientFactory(office=branch, first_name="Akinyi", mobile_phone="+254700111222", city="Kisumu")
    ClientFactory(office=branch, first_name="Other", mobile_phone="+254700999888")
    client.force_login(officer)
    url = reverse("clients:client_edit", args=[subject.pk])

    data = form_data(client.get(url).context["form"])
    saved = client.post(url, {**data, "city": "Nakuru"})
    data = form_data(client.get(url).context["form"])
    warned = client.post(url, {**data, "mobile_phone": "+254700999888"})

    assert saved.status_code == 302
    subject.refresh_from_db()
    assert subject.city == "Nakuru" and sister.mobile_phone == subject.mobile_phone
    assert warned.status_code == 200
    assert "has the same phone number" in page(warned)


def test_a_client_being_transferred_names_its_new_office_on_every_tab(client, office_tree):
    manager = BranchManagerUserFactory(office=office_tree["n1"])
    moving = ActiveClientFactory(office=office_tree["n1"])
    lifecycle.propose_transfer(moving, to_office=office_tree["s1"], on=timezone.localdate(), by=manager)
    client.force_login(manager)

    for url_name in ("clients:client_detail", "clients:client_notes", "ledger:client_accounts"):
        header = page(client.get(reverse(url_name, args=[moving.pk]))).split('class="client-header"')[1]
        header = header.split("</header>")[0]
        assert f"<dt>Transfer to</dt><dd>{office_tree['s1'].name}</dd>" in header
