import pytest
from playwright.sync_api import expect

from clients.models import Client
from tests.clients.factories import IdentificationTypeFactory, RelationshipTypeFactory
from tests.offices.factories import BranchStaffUserFactory, OfficeFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_registers_a_person_with_an_identification_and_family(sign_in):
    branch = OfficeFactory(name="Riverside", code="BR01")
    user = BranchStaffUserFactory(office=branch)
    StaffFactory(office=branch, first_name="Grace", last_name="Achieng", user=user)
    IdentificationTypeFactory(
        name="National ID", format_regex=r"^[0-9]{8}[A-Z]$", format_example="8 digits and a letter"
    )
    RelationshipTypeFactory(name="Spouse")
    page = sign_in(user)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    page.get_by_role("link", name="New client").click()
    page.get_by_role("link", name="A person (individual client)").click()
    page.get_by_label("First name").fill("Wanjiru")
    page.get_by_label("Last name").fill("Kamau")
    page.get_by_label("Gender").select_option(label="Female")
    page.get_by_label("Date of birth").fill("1986-04-12")
    page.get_by_label("Mobile phone").fill("0712 000 101")
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_role("heading", name="Wanjiru Kamau")).to_be_visible()
    expect(page.get_by_text("BR01-000001", exact=True)).to_be_visible()

    page.get_by_role("link", name="Identifications").click()
    page.get_by_role("link", name="Add an identification").click()
    page.get_by_label("Type").select_option(label="National ID")
    page.get_by_label("Number").fill("1234 5678 a")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="1234 5678 a")).to_be_visible()

    page.get_by_role("link", name="Family").click()
    page.get_by_role("link", name="Add a family member").click()
    page.get_by_label("First name").fill("Joseph")
    page.get_by_label("Relationship").select_option(label="Spouse")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Joseph")).to_be_visible()

    client = Client.objects.get()
    assert client.staff.display_name == "Grace Achieng"
    assert client.identifications.get().number_normalized == "12345678A"
