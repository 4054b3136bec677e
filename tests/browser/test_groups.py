import pytest
from playwright.sync_api import expect

from groups.choices import GroupStatus
from groups.models import Group
from tests.clients.factories import ActiveClientFactory
from tests.offices.factories import BranchManagerUserFactory, OfficeFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_forms_a_group_of_three_clients_and_activates_it(sign_in):
    branch = OfficeFactory(name="Riverside")
    StaffFactory(office=branch, first_name="Grace", last_name="Achieng")
    names = ["Wanjiru Kamau", "Akinyi Otieno", "Halima Mohamed"]
    for name in names:
        first, last = name.split()
        ActiveClientFactory(office=branch, first_name=first, last_name=last)
    ActiveClientFactory(office=branch, first_name="Zawadi", last_name="Outsider")  # not in the group
    page = sign_in(BranchManagerUserFactory(office=branch))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
    page.get_by_role("link", name="New group").click()
    page.get_by_label("Name", exact=True).fill("Umoja")
    page.get_by_label("Office", exact=True).select_option(label="Riverside")
    page.get_by_label("Credit officer", exact=True).select_option(label="Grace Achieng (Riverside)")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Add members").click()
    for name in names:
        page.get_by_label(name, exact=False).check()
    page.get_by_role("button", name="Add members").click()
    expect(page.get_by_text("Added to Umoja")).to_be_visible()

    page.get_by_role("link", name="Activate").click()
    page.get_by_role("button", name="Activate").click()

    expect(page.get_by_text("Umoja is active.")).to_be_visible()
    for name in names:
        expect(page.get_by_role("link", name=name, exact=False)).to_be_visible()
    assert Group.objects.get(name="Umoja").status == GroupStatus.ACTIVE

    page.get_by_role("link", name="Search and filter them in the client list").click()
    expect(page.get_by_label("Group or center", exact=True)).to_have_value(
        str(Group.objects.get(name="Umoja").pk)
    )
    listed = page.get_by_role("table").locator("tbody").get_by_role("link")
    expect(listed).to_have_count(len(names))
    assert sorted(listed.all_inner_texts()) == sorted(names)
