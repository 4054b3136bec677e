import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.choices import ClientAction
from clients.models import Client, ClientEvent, ClientRules, Identification
from tests.clients.factories import (
    ClientFactory,
    IdentificationFactory,
    IdentificationTypeFactory,
    NoteFactory,
    RelationshipTypeFactory,
    create_clients_in_bulk,
)
from tests.offices.factories import HeadOfficeAdminUserFactory, StaffFactory

pytestmark = pytest.mark.django_db


def inline(prefix, rows=(), initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def new_client_data(office, *, identifications=(), family=()):
    return {
        "legal_form": "individual",
        "office": office.pk,
        "submitted_on": "2025-03-01",
        "first_name": "Wanjiru",
        "last_name": "Kamau",
        "gender": "female",
        "date_of_birth": "1986-04-12",
        **inline("identifications", identifications),
        **inline("family_members", family),
    }


@pytest.fixture
def admin_client(client, office_tree):
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))
    return client


def test_a_client_added_in_admin_is_registered_with_its_inlines(admin_client, office_tree):
    kind = IdentificationTypeFactory(name="National ID", is_required=True)
    spouse = RelationshipTypeFactory(name="Spouse")
    staff = StaffFactory(office=office_tree["n1"])

    response = admin_client.post(
        reverse("admin:clients_client_add"),
        {
            **new_client_data(
                office_tree["n1"],
                identifications=[{"document_type": kind.pk, "number": "id 1", "is_active": "on"}],
                family=[{"first_name": "Joseph", "relationship": spouse.pk}],
            ),
            "staff": staff.pk,
        },
    )

    assert response.status_code == 302, response.context["errors"] if response.context else response
    client = Client.objects.get()
    assert client.account_no == "N1-000001"
    assert client.identifications.get().number_normalized == "ID1"
    assert client.family_members.get().first_name == "Joseph"
    assert set(ClientEvent.objects.filter(client=client).values_list("action", flat=True)) == {
        ClientAction.SUBMITTED,
        ClientAction.OFFICER_ASSIGNED,
    }


def test_admin_refuses_one_number_listed_twice_next_to_the_number(admin_client, office_tree):
    card = IdentificationTypeFactory(name="Household card", is_unique=False)
    twice = [{"document_type": card.pk, "number": number, "is_active": "on"} for number in ("H-1", "h1")]

    response = admin_client.post(
        reverse("admin:clients_client_add"), new_client_data(office_tree["n1"], identifications=twice)
    )

    assert response.status_code == 200
    assert "This client already holds this Household card number." in response.content.decode()
    assert not Client.objects.exists()


def test_admin_refuses_a_client_without_its_required_identification(admin_client, office_tree):
    IdentificationTypeFactory(name="National ID", is_required=True)

    response = admin_client.post(reverse("admin:clients_client_add"), new_client_data(office_tree["n1"]))

    assert response.status_code == 200
    assert (
        "An identification of these types is required to register: National ID." in response.content.decode()
    )
    assert not Client.objects.exists()


def test_admin_refuses_a_number_another_client_holds_and_names_it(admin_client, office_tree):
    kind = IdentificationTypeFactory(name="Passport")
    holder = ClientFactory(
        office=office_tree["s1"], first_name="Amani", last_name="Njeri", account_no="S1-000004"
    )
    IdentificationFactory(client=holder, document_type=kind, number="P123")

    response = admin_client.post(
        reverse("admin:clients_client_add"),
        new_client_data(office_tree["n1"], identifications=[{"document_type": kind.pk, "number": "p-123"}]),
    )

    assert "This Passport number already belongs to Amani Njeri (S1-000004)." in response.content.decode()
    assert Client.objects.count() == 1


def test_admin_shows_the_model_rules_next_to_the_fields(admin_client, office_tree):
    data = {**new_client_data(office_tree["n1"]), "date_of_birth": "2020-01-01", "mobile_phone": "call me"}

    response = admin_client.post(reverse("admin:clients_client_add"), data)

    errors = response.context["adminform"].form.errors
    assert errors["date_of_birth"] == ["A client must be at least 18 years old."]
    assert "mobile_phone" in errors


def test_an_admin_change_is_saved_through_the_registry_and_signed(admin_client, office_tree):
    client = ClientFactory(office=office_tree["n1"], first_name="Wanjiru", last_name="Kamau")
    identification = IdentificationFactory(client=client)
    admin_user = admin_client.session["_auth_user_id"]

    response = admin_client.post(
        reverse("admin:clients_client_change", args=[client.pk]),
        {
            "first_name": "Wanjiru",
            "last_name": "Otieno",
            "gender": "female",
            "date_of_birth": "1985-05-17",
            **inline(
                "identifications",
                [
                    {
                        "id": identification.pk,
                        "client": client.pk,
                        "document_type": identification.document_type_id,
                        "number": identification.number,
                        "DELETE": "on",
                    }
                ],
                initial=1,
            ),
            **inline("family_members"),
        },
    )

    assert response.status_code == 302
    client.refresh_from_db()
    assert client.display_name == "Wanjiru Otieno"
    assert str(client.updated_by_id) == admin_user
    assert not Identification.objects.exists()
    assert str(Identification.history.get(history_type="-").history_user_id) == admin_user


def test_a_client_with_hundreds_of_notes_can_still_be_saved_in_admin(admin_client, office_tree):
    """Notes are not inline rows: each would add fields until the page passed Django's field limit."""
    client = ClientFactory(office=office_tree["n1"], first_name="Wanjiru", last_name="Kamau")
    NoteFactory.create_batch(1200, client=client)
    url = reverse("admin:clients_client_change", args=[client.pk])

    page = admin_client.get(url)
    fields = page.context["adminform"].form.initial
    response = admin_client.post(
        url,
        {
            **{key: value for key, value in fields.items() if value is not None and key != "id"},
            "first_name": "Wanjiru",
            "last_name": "Otieno",
            **inline("identifications"),
            **inline("family_members"),
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    client.refresh_from_db()
    assert client.display_name == "Wanjiru Otieno"
    assert reverse("clients:client_notes", args=[client.pk]) in page.content.decode()
    assert page.content.decode().count('name="notes-') == 0


def test_admin_lists_only_the_clients_in_scope(client, office_tree):
    ClientFactory(office=office_tree["n1"], first_name="Northern")
    ClientFactory(office=office_tree["s1"], first_name="Southern")
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["north"]))

    content = client.get(reverse("admin:clients_client_changelist")).content.decode()

    assert "Northern" in content
    assert "Southern" not in content


def listed_in_admin(client, **params):
    response = client.get(reverse("admin:clients_client_changelist"), params)
    return [row.display_name for row in response.context["cl"].result_list]


def test_admin_searches_as_the_client_list_does(admin_client, office_tree):
    jose = ClientFactory(office=office_tree["n1"], first_name="José", last_name="Núñez")
    IdentificationFactory(client=jose, number="AB-12 34", number_normalized="AB1234")
    ClientFactory(office=office_tree["n1"], first_name="Joseph", last_name="Brown")

    assert listed_in_admin(admin_client, q="jose nunez") == ["José Núñez"]  # accents and case ignored
    assert listed_in_admin(admin_client, q="ab 1234") == ["José Núñez"]  # an identification number
    assert listed_in_admin(admin_client, q="jos") == ["José Núñez", "Joseph Brown"]  # in name order


def test_admins_client_list_runs_the_same_queries_with_five_or_sixty_clients(admin_client, office_tree):
    url = reverse("admin:clients_client_changelist")
    create_clients_in_bulk(
        5, office=office_tree["n1"], staff=StaffFactory(office=office_tree["n1"]), last_name="Smith"
    )
    with CaptureQueriesContext(connection) as with_five:
        five = admin_client.get(url, {"q": "smith"})

    create_clients_in_bulk(
        55, office=office_tree["s1"], staff=StaffFactory(office=office_tree["s1"]), last_name="Smith"
    )
    with CaptureQueriesContext(connection) as with_sixty:
        sixty = admin_client.get(url, {"q": "smith"})

    assert len(five.context["cl"].result_list) == 5 and len(sixty.context["cl"].result_list) == 50
    assert len(with_five) == len(with_sixty)


def test_admin_says_when_a_search_is_too_short(admin_client, office_tree):
    ClientFactory(office=office_tree["n1"], first_name="Jo")

    response = admin_client.get(reverse("admin:clients_client_changelist"), {"q": "jo"})

    assert list(response.context["cl"].result_list) == []
    assert "Type at least 3 letters or digits" in response.content.decode()


def test_admin_lists_the_officers_of_the_chosen_office_only(admin_client, office_tree):
    StaffFactory(office=office_tree["n1"], first_name="Grace", last_name="Achieng")
    StaffFactory(office=office_tree["s1"], first_name="Samuel", last_name="Okello")
    url = reverse("admin:clients_client_changelist")

    before = admin_client.get(url).content.decode()
    chosen = admin_client.get(url, {"office__id__exact": office_tree["n1"].pk}).content.decode()

    assert "Grace Achieng" not in before and "Samuel Okello" not in before
    assert "Grace Achieng" in chosen and "Samuel Okello" not in chosen


@pytest.mark.parametrize(
    "model",
    [
        "identificationtype",
        "relationshiptype",
        "occupation",
        "educationlevel",
        "legalstructure",
        "businessline",
        "clientactionreason",
    ],
)
def test_head_office_keeps_every_lookup_list_in_admin(admin_client, model):
    assert admin_client.get(reverse(f"admin:clients_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:clients_{model}_add")).status_code == 200


def test_the_client_rules_are_one_row_edited_in_place(admin_client):
    response = admin_client.get(reverse("admin:clients_clientrules_changelist"))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:clients_clientrules_change", args=[ClientRules.load().pk])
    refused = admin_client.post(
        response["Location"],
        {"min_age": 30, "max_age": 20, "client_number_format": "{office}", "client_number_digits": 6},
    )
    assert "The minimum age cannot be above the maximum age." in refused.content.decode()
    assert "The format must contain {seq}." in refused.content.decode()


def test_admin_warns_about_a_possible_duplicate_after_saving(admin_client, office_tree):
    ClientFactory(
        office=office_tree["n2"],
        first_name="Wanjiru",
        last_name="Kamau",
        account_no="N2-000042",
        date_of_birth=datetime.date(1986, 4, 12),
    )
    url = reverse("admin:clients_client_add")

    response = admin_client.post(url, new_client_data(office_tree["n1"]), follow=True)

    assert "Wanjiru Kamau (N2-000042) has the same name and date of birth." in response.content.decode()
    assert Client.objects.count() == 2


def revert_data(response):
    """What the version page's form holds, posted back as its Revert button does."""
    form = response.context["adminform"].form
    values = {name: form[name].value() for name in form.fields}
    return {name: value for name, value in values.items() if value is not None} | {"_save": "Revert"}


def test_admin_history_refuses_to_put_back_an_old_status_office_or_officer(admin_client, office_tree):
    """The issue's case: reverting an Active client to its Pending version in another office, with
    another officer, left no lifecycle record. The service refuses it, and the page says why."""
    client = ClientFactory(office=office_tree["n2"], staff=StaffFactory(office=office_tree["n2"]))
    pending_version = client.history.get().history_id
    officer = StaffFactory(office=office_tree["n1"])
    Client.objects.filter(pk=client.pk).update(
        status="active", activated_on=datetime.date(2024, 2, 1), office=office_tree["n1"], staff=officer
    )
    version_page = reverse("admin:clients_client_simple_history", args=[client.pk, pending_version])

    refused = admin_client.post(version_page, revert_data(admin_client.get(version_page)), follow=True)

    page = refused.content.decode()
    assert "This version was not put back: The office changes only through a transfer." in page
    assert "The status changes only through the client&#x27;s actions" in page
    assert "Change credit officer" in page
    client.refresh_from_db()
    assert (client.status, client.office, client.staff) == ("active", office_tree["n1"], officer)
    assert client.history.count() == 1


def test_admin_history_puts_back_a_clients_own_fields_through_the_registry(admin_client, office_tree):
    client = ClientFactory(office=office_tree["n1"], city="Riverside")
    first_version = client.history.get().history_id
    client.city = "Lakeside"
    client.save()
    version_page = reverse("admin:clients_client_simple_history", args=[client.pk, first_version])

    response = admin_client.post(version_page, revert_data(admin_client.get(version_page)))

    assert response.status_code == 302
    client.refresh_from_db()
    assert client.city == "Riverside"
    assert str(client.updated_by_id) == admin_client.session["_auth_user_id"]
    assert str(client.history.first().history_user_id) == admin_client.session["_auth_user_id"]
