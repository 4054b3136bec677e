import datetime

import factory
import pytest
from django.http import QueryDict
from django.test import RequestFactory

from clients import lifecycle
from clients.choices import ClientStatus, Gender
from clients.filters import ClientFilterSet
from clients.models import Client
from mifos.widgets import MAX_LISTED_CHOICES
from tests.clients.factories import ActiveClientFactory, ClientFactory, CorporateClientFactory
from tests.groups.factories import GroupFactory
from tests.offices.factories import (
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
    OfficeFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def filtered(user, **params):
    """The filter set of the client list for ``user`` with these GET parameters."""
    request = RequestFactory().get("/clients/", params)
    request.user = user
    data = QueryDict(mutable=True)
    data.update(params)
    return ClientFilterSet(data, request=request)


def names(filterset):
    return [client.display_name for client in filterset.qs]


@pytest.fixture
def world(office_tree):
    """Clients in three branches; users at head office, in the North region and in branch N1."""
    n1, n2, s1 = office_tree["n1"], office_tree["n2"], office_tree["s1"]
    officer = StaffFactory(office=n1, first_name="Olga", last_name="Officer")
    return {
        **office_tree,
        "officer": officer,
        "ana": ActiveClientFactory(
            office=n1,
            staff=officer,
            first_name="Ana",
            last_name="Núñez",
            gender=Gender.FEMALE,
            submitted_on=datetime.date(2024, 1, 10),
            activated_on=datetime.date(2024, 2, 1),
        ),
        "bob": ClientFactory(
            office=n2,
            first_name="Bob",
            last_name="Brown",
            gender=Gender.MALE,
            submitted_on=datetime.date(2024, 3, 5),
        ),
        "coop": CorporateClientFactory(
            office=s1,
            business_name="Coop Sud",
            status=ClientStatus.ACTIVE,
            submitted_on=datetime.date(2024, 5, 20),
            activated_on=datetime.date(2024, 6, 1),
        ),
        "admin": HeadOfficeAdminUserFactory(office=office_tree["head"]),
        "region_user": BranchStaffUserFactory(office=office_tree["north"]),
        "branch_user": BranchStaffUserFactory(office=n1),
    }


def test_the_group_filter_groups_add_stands_after_the_officer_as_it_always_did(world):
    fields = list(filtered(world["admin"]).form.fields)

    assert fields[:5] == ["q", "office", "officer", "group", "status"]


@pytest.mark.parametrize("params", [{}, {"q": "ana"}, {"q": "bob"}, {"status": "active"}])
def test_the_filters_narrow_the_clients_they_are_given_and_never_widen_them(world, params):
    request = RequestFactory().get("/clients/", params)
    request.user = world["admin"]
    given = Client.objects.filter(pk=world["ana"].pk)

    filterset = ClientFilterSet(params, queryset=given, request=request)

    assert set(names(filterset)) <= {"Ana Núñez"}


def test_without_filters_a_user_sees_the_clients_of_their_offices_by_name(world):
    assert names(filtered(world["admin"])) == ["Ana Núñez", "Bob Brown", "Coop Sud"]
    assert names(filtered(world["region_user"])) == ["Ana Núñez", "Bob Brown"]
    assert names(filtered(world["branch_user"])) == ["Ana Núñez"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"office": "north"}, ["Ana Núñez", "Bob Brown"]),
        ({"office": "n2"}, ["Bob Brown"]),
        ({"officer": "officer"}, ["Ana Núñez"]),
        ({"status": "active"}, ["Ana Núñez", "Coop Sud"]),
        ({"status": "pending"}, ["Bob Brown"]),
        ({"legal_form": "corporate"}, ["Coop Sud"]),
        ({"gender": "male"}, ["Bob Brown"]),
        ({"submitted_after": "2024-03-01", "submitted_before": "2024-04-01"}, ["Bob Brown"]),
        ({"submitted_after": "2024-03-05"}, ["Bob Brown", "Coop Sud"]),
        ({"submitted_before": "2024-03-04"}, ["Ana Núñez"]),
        ({"activated_after": "2024-05-01"}, ["Coop Sud"]),
        ({"activated_after": "2024-01-01", "activated_before": "2024-02-01"}, ["Ana Núñez"]),
        ({"q": "nunez", "status": "active"}, ["Ana Núñez"]),
        ({"office": "south", "legal_form": "individual"}, []),
    ],
)
def test_each_filter_narrows_the_list(world, params, expected):
    params = {
        key: str(world[value].pk) if key in ("office", "officer") else value for key, value in params.items()
    }

    filterset = filtered(world["admin"], **params)

    assert filterset.is_valid(), filterset.errors
    assert names(filterset) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Ana Núñez", "Bob Brown", "Coop Sud"]),
        ("-name", ["Coop Sud", "Bob Brown", "Ana Núñez"]),
        ("-submitted", ["Coop Sud", "Bob Brown", "Ana Núñez"]),
        ("submitted", ["Ana Núñez", "Bob Brown", "Coop Sud"]),
    ],
)
def test_the_list_sorts_by_name_number_or_submission(world, sort, expected):
    assert names(filtered(world["admin"], sort=sort)) == expected


def test_it_sorts_by_client_number(world):
    numbers = [client.account_no for client in filtered(world["admin"], sort="-number").qs]

    assert numbers == sorted(numbers, reverse=True)


def test_a_search_lists_the_best_match_first_unless_a_sort_is_chosen(world):
    ClientFactory(office=world["n1"], first_name="Bruno", last_name="Bob")

    assert names(filtered(world["admin"], q="bob")) == ["Bob Brown", "Bruno Bob"]
    assert names(filtered(world["admin"], q="bob", sort="-name")) == ["Bruno Bob", "Bob Brown"]


def test_offices_and_officers_to_choose_from_are_those_the_user_sees(world):
    form = filtered(world["region_user"]).form
    StaffFactory(office=world["s1"])

    assert list(form.fields["office"].queryset) == [world["north"], world["n1"], world["n2"]]
    assert list(form.fields["officer"].queryset) == [world["officer"]]


def test_offices_are_listed_as_a_tree_with_sister_offices_by_name(world):
    alpha = OfficeFactory(name="Alpha", parent=world["head"])
    OfficeFactory(name="Zulu", parent=alpha)
    OfficeFactory(name="Beta", parent=alpha)  # opened after Zulu: a larger id

    choices = [label for _value, label in filtered(world["admin"]).form.fields["office"].choices]

    assert [label.strip() for label in choices[1:]] == [
        world["head"].name,
        "Alpha",
        "Beta",
        "Zulu",
        "North",
        "North One",
        "North Two",
        "South",
        "South One",
    ]
    assert (
        choices[choices.index("\u00a0\u00a0Alpha") + 1] == "\u00a0\u00a0\u00a0\u00a0Beta"
    )  # indented by depth


@pytest.mark.parametrize("field", ["office", "officer"])
def test_an_office_or_officer_outside_the_users_scope_is_refused_like_an_unknown_one(world, field):
    outside = {"office": world["s1"].pk, "officer": StaffFactory(office=world["s1"]).pk}[field]

    filterset = filtered(world["region_user"], **{field: str(outside)})

    assert "valid choice" in str(filterset.errors[field])
    assert names(filterset) == ["Ana Núñez", "Bob Brown"]


def test_a_search_never_reaches_beyond_the_users_offices(world):
    assert names(filtered(world["region_user"], q=world["coop"].account_no)) == []
    assert names(filtered(world["region_user"], q="coop sud")) == []


class TestTransferred:
    @pytest.fixture
    def moved(self, world):
        """Ana moved from branch N1 to branch S1."""
        lifecycle.transfer(
            world["ana"], to_office=world["s1"], on=datetime.date(2024, 7, 1), by=world["admin"]
        )
        return world

    def test_the_sending_branch_lists_clients_that_left_it(self, moved):
        assert names(filtered(moved["branch_user"])) == []
        assert names(filtered(moved["branch_user"], status="transferred")) == ["Ana Núñez"]

    def test_the_other_filters_apply_to_them_and_office_means_the_office_they_left(self, moved):
        user = moved["admin"]

        assert names(filtered(user, status="transferred", office=str(moved["n1"].pk))) == ["Ana Núñez"]
        assert names(filtered(user, status="transferred", office=str(moved["s1"].pk))) == []
        assert names(filtered(user, status="transferred", gender="male")) == []

    def test_an_office_that_sent_no_one_has_no_transferred_clients(self, moved):
        other_branch_user = BranchStaffUserFactory(office=moved["n2"])

        assert names(filtered(other_branch_user, status="transferred")) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"office": "abc"}, "office"),
        ({"office": "99999999999999999999999"}, "office"),
        ({"officer": "-1"}, "officer"),
        ({"officer": "1 OR 1=1"}, "officer"),
        ({"status": "bogus"}, "status"),
        ({"legal_form": "'"}, "legal_form"),
        ({"gender": "%"}, "gender"),
        ({"submitted_after": "2024-13-45"}, "submitted"),
        ({"activated_before": "yesterday"}, "activated"),
        ({"submitted_before": "99999-01-01"}, "submitted"),
        ({"sort": "id; DROP TABLE clients_client"}, "sort"),
        ({"q": "x" * 10_000}, "q"),
        ({"q": "nul\x00byte"}, "q"),
        ({"q": "ab"}, "q"),
    ],
)
def test_an_invalid_value_is_reported_on_its_filter_and_left_out(world, params, field):
    filterset = filtered(world["admin"], **params)

    assert list(filterset.errors) == [field]
    assert names(filterset) == ["Ana Núñez", "Bob Brown", "Coop Sud"]


def test_without_data_it_still_scopes_and_orders(world):
    request = RequestFactory().get("/clients/")
    request.user = world["region_user"]

    assert names(ClientFilterSet(request=request)) == ["Ana Núñez", "Bob Brown"]


def listed_choices(filterset, name):
    """The labels a person can pick in the select of ``name`` (not the empty choice)."""
    return [label for value, label in filterset.form.fields[name].widget.choices if value != ""]


def test_officers_and_groups_are_listed_a_hundred_at_most_with_a_hint_to_narrow_them(world):
    StaffFactory.create_batch(MAX_LISTED_CHOICES, office=world["n2"])
    GroupFactory(office=world["n1"], staff=None)

    filterset = filtered(world["admin"])

    assert len(listed_choices(filterset, "officer")) == MAX_LISTED_CHOICES
    assert "choose an office" in str(filterset.form["officer"].help_text)  # as the page shows it
    assert len(listed_choices(filterset, "group")) == 1
    assert not filterset.form["group"].help_text


def test_a_chosen_officer_or_group_is_listed_first_even_beyond_the_first_hundred(world):
    StaffFactory.create_batch(MAX_LISTED_CHOICES, office=world["n2"], last_name="Aaronson")
    group = GroupFactory(office=world["n1"], staff=world["officer"], name="Zapata")
    GroupFactory.create_batch(
        MAX_LISTED_CHOICES, office=world["n2"], staff=None, name=factory.Sequence(lambda n: f"Abejas {n:03}")
    )

    filterset = filtered(world["admin"], officer=str(world["officer"].pk), group=str(group.pk))

    assert listed_choices(filterset, "officer")[0] == "Olga Officer (North One)"
    assert listed_choices(filterset, "group")[0].startswith("Zapata")
    assert len(listed_choices(filterset, "group")) == MAX_LISTED_CHOICES


def test_choosing_an_office_lists_its_groups_and_the_officers_who_may_serve_its_clients(world):
    StaffFactory(office=world["north"], first_name="Rita", last_name="Regional")
    StaffFactory(office=world["n2"], first_name="Nina", last_name="Neighbour")
    GroupFactory(office=world["n1"], staff=None, name="Esperanza")
    GroupFactory(office=world["n2"], staff=None, name="Futuro")

    filterset = filtered(world["admin"], office=str(world["n1"].pk))

    assert listed_choices(filterset, "officer") == ["Olga Officer (North One)", "Rita Regional (North)"]
    assert [label.split(" (")[0] for label in listed_choices(filterset, "group")] == ["Esperanza"]
