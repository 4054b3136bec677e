"""Every kind of page passes axe-core: lists with filters, each tab of a client, forms with errors, an
action, the activity log, the import, an account, the profile, sign-in and the error pages.

The Django admin's pages are left out (the issue excludes them). ``site_pages`` is also the list the
page weight, JavaScript-off and phone tests walk (tests/browser/test_phones.py).
"""

import contextlib
import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from clients.models import ImportRun, ImportStatus
from ledger import services as ledger
from tests.clients.factories import (
    ActiveClientFactory,
    ClientFactory,
    FamilyMemberFactory,
    IdentificationFactory,
    NoteFactory,
)
from tests.groups.factories import ActiveGroupFactory, MembershipFactory
from tests.ledger.factories import AccountFactory
from tests.offices.factories import (
    BranchStaffUserFactory,
    HeadOfficeAdminUserFactory,
    OfficeFactory,
    StaffFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def site_pages():
    """Data enough for every kind of page to show something, the head-office user who sees it all,
    and the pages as (what it is, address)."""
    admin = HeadOfficeAdminUserFactory(first_name="Grace", last_name="Achieng")
    branch = OfficeFactory(name="Riverside", code="BR01", parent=admin.office)
    officer = StaffFactory(office=branch, first_name="Peter", last_name="Mwangi")
    member = ActiveClientFactory(
        office=branch, staff=officer, first_name="Amina", last_name="Diallo", monthly_income=Decimal("1250")
    )
    identification = IdentificationFactory(client=member)
    FamilyMemberFactory(client=member)
    note = NoteFactory(client=member)
    group = ActiveGroupFactory(office=branch, name="Umoja", staff=officer)
    MembershipFactory(group=group, client=member)
    account = AccountFactory(client=member)
    deposit = ledger.deposit(account, amount=Decimal("1234.50"), on=datetime.date(2024, 3, 2), by=admin)
    pending = ClientFactory(office=branch, first_name="Wanjiru", last_name="Kamau")
    running = ImportRun.objects.create(
        file_name="clients.csv",
        office=branch,
        user=admin,
        status=ImportStatus.RUNNING,
        rows=200,
        rows_done=40,
    )

    def client_page(name, client=member):
        return reverse(name, args=[client.pk])

    pages = [
        ("home", reverse("home")),
        ("client list", reverse("clients:client_list")),
        ("filtered list", f"{reverse('clients:client_list')}?q=Amina&status=active&office={branch.pk}"),
        ("client overview", client_page("clients:client_detail")),
        ("identifications", client_page("clients:client_identifications")),
        ("family", client_page("clients:client_family")),
        ("notes", client_page("clients:client_notes")),
        ("timeline", client_page("clients:client_timeline")),
        ("groups tab", client_page("groups:client_groups")),
        ("documents", client_page("documents:client_documents")),
        ("accounts", client_page("ledger:client_accounts")),
        ("transactions", client_page("ledger:client_transactions")),
        ("history", client_page("audit:client_history")),
        ("new client", reverse("clients:client_create", args=["individual"])),
        ("client edit form", client_page("clients:client_edit")),
        ("an action", client_page("clients:client_activate", pending)),
        ("identification form", client_page("clients:identification_add")),
        ("family member form", client_page("clients:family_member_add")),
        ("note form", client_page("clients:note_add")),
        ("document upload", client_page("documents:document_add")),
        ("photo", client_page("documents:clientphoto_edit")),
        ("officer reassignment", reverse("clients:officer_reassign")),
        ("identification edit", reverse("clients:identification_edit", args=[member.pk, identification.pk])),
        ("note removal", reverse("clients:note_delete", args=[member.pk, note.pk])),
        ("transfer proposal", client_page("clients:client_propose_transfer")),
        ("closing a client", client_page("clients:client_close")),
        ("reversing a transaction", reverse("ledger:transaction_reverse", args=[deposit.pk])),
        ("closing a group", reverse("groups:group_close", args=[group.pk])),
        ("group roles", reverse("groups:group_set_role", args=[group.pk])),
        ("removing a member", reverse("groups:group_remove_member", args=[group.pk, member.pk])),
        ("group members", reverse("groups:group_add_member", args=[group.pk])),
        ("group list", reverse("groups:group_list")),
        ("group detail", reverse("groups:group_detail", args=[group.pk])),
        ("group form", reverse("groups:group_add") + "?kind=group"),
        ("activity log", reverse("audit:event_list")),
        ("import", reverse("clients:client_import")),
        ("import in progress", reverse("clients:importrun_detail", args=[running.pk])),
        ("account", reverse("ledger:account_detail", args=[account.pk])),
        ("profile", reverse("offices:profile")),
        ("password change", reverse("password_change")),
        ("not found", "/clients/999999999/"),
    ]
    # The manager's dashboard (the home page) and data quality, where this tree has them.
    dashboard = Permission.objects.filter(content_type__app_label="clients", codename="view_dashboard")
    if dashboard.exists():
        admin.user_permissions.add(*dashboard)
        with contextlib.suppress(NoReverseMatch):
            pages.append(("data quality", reverse("clients:data_quality")))
    return admin, pages


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.violations_count, results.generate_report()


def test_every_kind_of_page_passes_axe_core(page, sign_in):
    found = {}

    page.goto(reverse("login"))
    count, report = axe_violations(page)
    if count:
        found["sign-in"] = report

    admin, pages = site_pages()
    sign_in(admin)
    for name, address in pages:
        response = page.goto(address)
        if response.status != (404 if name == "not found" else 200):
            found[name] = f"answered {response.status}"
            continue
        count, report = axe_violations(page)
        if count:
            found[name] = report

    # A form sent with a required field left empty: the errors next to their fields.
    page.goto(reverse("clients:client_create", args=["individual"]))
    page.locator("main form").first.evaluate("form => { form.noValidate = true; }")
    page.get_by_label("First name").fill("Wanjiru")
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    assert page.locator(".has-error").count() > 0
    count, report = axe_violations(page)
    if count:
        found["registration with errors"] = report

    # A page after an action, with its message: a deposit posted on the account page.
    account_page = next(address for name, address in pages if name == "account")
    page.goto(account_page)
    page.get_by_label("Amount").fill("25,50")
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".messages li").count() == 1
    count, report = axe_violations(page)
    if count:
        found["a message after an action"] = report

    # A refusal: a branch clerk on the officers' reassignment page.
    sign_out_and_in = BranchStaffUserFactory(office=OfficeFactory(name="Hillside", parent=admin.office))
    page.context.clear_cookies()
    sign_in(sign_out_and_in)
    response = page.goto(reverse("clients:officer_reassign"))
    assert response.status == 403
    count, report = axe_violations(page)
    if count:
        found["forbidden"] = report

    # A form sent without its CSRF cookie (say, after the session ended in another tab).
    page.context.clear_cookies()
    page.goto(reverse("login"))
    page.context.clear_cookies()
    page.get_by_label("Username").fill(sign_out_and_in.username)
    page.get_by_label("Password").fill("secret-pass-123")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="This form has expired")).to_be_visible()
    count, report = axe_violations(page)
    if count:
        found["CSRF failure"] = report

    assert not found, "\n\n".join(f"== {name} ==\n{report}" for name, report in found.items())


def test_a_form_error_is_announced_and_tied_to_its_field(page, sign_in):
    admin, _pages = site_pages()
    sign_in(admin)
    page.goto(reverse("clients:client_create", args=["individual"]))
    page.locator("main form").first.evaluate("form => { form.noValidate = true; }")
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state()

    last_name = page.get_by_label("Last name")
    described_by = last_name.get_attribute("aria-describedby").split()
    error = page.locator(f"#{described_by[0]}")
    assert error.get_attribute("role") == "alert"
    assert error.inner_text().strip()
    assert last_name.get_attribute("aria-invalid") == "true"
