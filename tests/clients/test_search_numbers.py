"""Searching a client number as an officer reads it from a passbook: its number part, no office code."""

import pytest
from django.urls import reverse

from clients import search
from clients.models import Client
from clients.normalize import normalize_phone
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchStaffUserFactory, OfficeFactory

pytestmark = pytest.mark.django_db


def found(text):
    """Display names of the clients the box finds for ``text``, best match first."""
    rows = search.search(Client.objects.all(), search.parse(text)).order_by(
        search.RANK, search.SORT_NAME, "id"
    )
    return [client.display_name for client in rows]


@pytest.fixture
def office():
    return OfficeFactory()


@pytest.fixture
def passbook_client(office):
    """BR01-000123, whose name sorts after every other client's."""
    return ClientFactory(office=office, first_name="Zawadi", last_name="Wekesa", account_no="BR01-000123")


@pytest.fixture
def phones_with_0123(office):
    """Twelve clients whose phones hold "0123" but not "000123", named before the passbook's client."""
    return [
        ClientFactory(
            office=office,
            first_name=f"Amina {letter}",
            last_name="Achieng",
            account_no=f"BR01-0005{index:02d}",
            mobile_phone=f"+2567701234{index:02d}",
        )
        for index, letter in enumerate("ABCDEFGHIJKL")
    ]


def test_the_number_part_of_a_client_number_finds_that_client_first(passbook_client, phones_with_0123):
    assert found("000123")[0] == "Zawadi Wekesa"


def test_a_number_from_a_passbook_is_not_read_as_an_international_phone(passbook_client, phones_with_0123):
    # The leading "00" once made this "+0123", which every one of these phones contains.
    assert found("000123") == ["Zawadi Wekesa"]


@pytest.mark.parametrize("text", ["BR01-000123", "br01-000123", "000123", "00123"])
def test_a_client_number_with_or_without_its_office_code_comes_before_phones_holding_its_digits(
    office, passbook_client, text
):
    ClientFactory(
        office=office,
        first_name="Baraka",
        last_name="Otieno",
        account_no="BR01-000777",
        mobile_phone="+256772000123",
    )

    names = found(text)

    assert names[0] == "Zawadi Wekesa"
    if text.isdigit():
        assert names == ["Zawadi Wekesa", "Baraka Otieno"]  # the phone still matches, after


def test_the_number_part_finds_the_client_of_every_office_that_has_it(office, passbook_client):
    ClientFactory(office=OfficeFactory(), first_name="Abdi", last_name="Hassan", account_no="BR02-000123")
    ClientFactory(
        office=office,
        first_name="Aaron",
        last_name="Mwangi",
        account_no="BR01-000777",
        mobile_phone="+256700012999",
    )

    assert found("000123") == ["Abdi Hassan", "Zawadi Wekesa"]
    assert found("00012") == ["Aaron Mwangi", "Abdi Hassan", "Zawadi Wekesa"]  # no number ends with it


def test_a_client_number_ending_with_the_text_ranks_before_one_holding_it_elsewhere(office, passbook_client):
    ClientFactory(office=office, first_name="Aisha", last_name="Kamau", account_no="BR01-001234")

    assert found("0123") == ["Zawadi Wekesa", "Aisha Kamau"]


def test_the_exact_client_number_comes_before_numbers_that_end_with_it(office, passbook_client):
    ClientFactory(office=office, first_name="Amani", last_name="Njoroge", account_no="XBR01-000123")

    assert found("BR01-000123") == ["Zawadi Wekesa", "Amani Njoroge"]


@pytest.mark.parametrize(
    ("phone", "normalized"),
    [
        ("000123", "000123"),
        ("000 772 123 456", "000772123456"),
        ("00256 772 123 456", "+256772123456"),
        ("00", "00"),
    ],
)
def test_00_is_an_international_prefix_only_before_a_country_code(phone, normalized):
    assert normalize_phone(phone) == normalized


def test_an_officer_finds_the_client_of_a_passbook_at_the_top_of_the_list(
    client, office, passbook_client, phones_with_0123
):
    client.force_login(BranchStaffUserFactory(office=office))

    response = client.get(reverse("clients:client_list"), {"q": "000123"})

    assert [row.account_no for row in response.context["page"]][0] == "BR01-000123"
