import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ledger import services
from ledger.choices import AccountStatus, TransactionKind
from ledger.models import Account, Transaction
from tests.access import assert_access
from tests.clients.factories import ActiveClientFactory
from tests.groups.factories import ActiveGroupFactory
from tests.ledger.conftest import DAY
from tests.ledger.factories import AccountFactory, LoanFactory, LoanProductFactory, SavingsProductFactory
from tests.offices.factories import BranchManagerUserFactory, BranchStaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def text(response):
    return response.content.decode()


@pytest.fixture
def outsider(office_tree):
    """A manager of another branch: everything of the branch answers 404."""
    return BranchManagerUserFactory(office=office_tree["s1"])


@pytest.fixture
def nobody(branch):
    """A user of the branch without any role."""
    return UserFactory(office=branch)


def fill(account, count, teller):
    for _ in range(count):
        services.deposit(account, amount=Decimal("10.00"), on=DAY, by=teller)


# --- Access ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["ledger:client_accounts", "ledger:client_transactions"], ids=["accounts", "transactions"]
)
def test_the_client_tabs_answer_by_role_and_office(client, member, teller, nobody, outsider, url_name):
    assert_access(
        client,
        reverse(url_name, args=[member.pk]),
        permitted=teller,
        without_permission=nobody,
        other_office=outsider,
    )


def test_the_closing_page_of_an_account_of_another_office_answers_404(client, savings, manager, outsider):
    assert_access(
        client, reverse("ledger:account_close", args=[savings.pk]), permitted=manager, other_office=outsider
    )


def test_the_repaid_page_of_a_loan_of_another_office_answers_404(client, loan, outsider):
    client.force_login(outsider)

    assert client.get(reverse("ledger:account_repaid", args=[loan.pk])).status_code == 404
    assert (
        client.post(reverse("ledger:account_repaid", args=[loan.pk]), {"on": TODAY.isoformat()}).status_code
        == 404
    )


@pytest.mark.parametrize("url_name", ["ledger:account_detail", "ledger:account_write_off"])
def test_an_account_of_another_office_answers_404(client, loan, manager, outsider, teller, url_name):
    services.disburse(loan, amount=Decimal("100.00"), on=DAY, by=teller)  # something to write off
    assert_access(client, reverse(url_name, args=[loan.pk]), permitted=manager, other_office=outsider)


def test_a_transaction_of_another_office_answers_404(client, funded, manager, outsider, teller):
    url = reverse("ledger:transaction_reverse", args=[funded.transactions.get().pk])
    assert_access(client, url, permitted=manager, without_permission=teller, other_office=outsider)


def test_posting_is_post_only(client, savings, teller):
    client.force_login(teller)
    assert client.get(reverse("ledger:account_post", args=[savings.pk])).status_code == 405


# --- The account page --------------------------------------------------------------------------------


def test_a_teller_deposits_and_sees_the_new_balance(client, savings, teller):
    client.force_login(teller)
    response = client.post(
        reverse("ledger:account_post", args=[savings.pk]),
        {"kind": "deposit", "amount": "250.00", "on": DAY.isoformat(), "receipt": "R-77"},
        follow=True,
    )

    assert "Deposit of 250.00 USD posted; the balance is 250.00 USD." in text(response)
    assert "R-77" in text(response)
    savings.refresh_from_db()
    assert savings.balance == Decimal("250.00")


def test_a_refused_withdrawal_shows_why_next_to_the_amount(client, funded, teller):
    client.force_login(teller)
    response = client.post(
        reverse("ledger:account_post", args=[funded.pk]),
        {"kind": "withdrawal", "amount": "500", "on": DAY.isoformat()},
    )

    assert response.status_code == 200
    assert response.context["posting_form"].errors["amount"] == [
        "The withdrawal of 500.00 USD is more than the balance of 100.00 USD."
    ]
    assert funded.transactions.count() == 1


def test_a_teller_cannot_reverse_and_sees_no_reverse_link(client, funded, teller):
    client.force_login(teller)
    response = client.get(funded.get_absolute_url())
    assert "Reverse</a>" not in text(response)
    assert "Post a transaction" in text(response)


def test_a_manager_reverses_a_transaction_with_a_reason(client, funded, manager):
    deposit = funded.transactions.get()
    client.force_login(manager)
    url = reverse("ledger:transaction_reverse", args=[deposit.pk])

    response = client.post(url, {"reason": "", "on": TODAY.isoformat()})
    assert response.context["form"].errors["reason"]
    response = client.post(url, {"reason": "Counted twice", "on": TODAY.isoformat()}, follow=True)

    assert "The transaction is reversed." in text(response)
    funded.refresh_from_db()
    assert funded.balance == 0
    assert Transaction.objects.get(kind=TransactionKind.REVERSAL).reason == "Counted twice"


def test_a_manager_closes_a_savings_account_at_zero(client, savings, manager):
    client.force_login(manager)
    client.post(reverse("ledger:account_close", args=[savings.pk]), {"on": TODAY.isoformat()})
    savings.refresh_from_db()
    assert savings.status == AccountStatus.CLOSED


def test_closing_with_money_on_the_account_says_why(client, funded, manager):
    client.force_login(manager)
    response = client.post(
        reverse("ledger:account_close", args=[funded.pk]), {"on": TODAY.isoformat()}, follow=True
    )
    assert "withdraw it before closing" in text(response)
    funded.refresh_from_db()
    assert funded.status == AccountStatus.ACTIVE


def test_a_teller_cannot_close_an_account(client, savings, teller):
    client.force_login(teller)
    response = client.post(reverse("ledger:account_close", args=[savings.pk]), {"on": TODAY.isoformat()})
    assert response.status_code == 403


def test_a_manager_writes_off_a_loan_and_marks_another_repaid(client, member, manager, teller):
    bad, good = LoanFactory(client=member), LoanFactory(client=member)
    services.disburse(bad, amount=Decimal("100"), on=DAY, by=teller)
    client.force_login(manager)

    client.post(
        reverse("ledger:account_write_off", args=[bad.pk]), {"reason": "Fled", "on": TODAY.isoformat()}
    )
    client.post(reverse("ledger:account_repaid", args=[good.pk]), {"on": TODAY.isoformat()})

    assert Account.objects.get(pk=bad.pk).status == AccountStatus.WRITTEN_OFF
    assert Account.objects.get(pk=good.pk).status == AccountStatus.REPAID


def test_a_manager_opens_an_account_from_the_accounts_tab(client, member, manager):
    product = SavingsProductFactory()
    client.force_login(manager)
    response = client.post(
        reverse("ledger:account_open", args=[member.pk]),
        {"product": product.pk, "on": TODAY.isoformat()},
        follow=True,
    )

    account = Account.objects.get()
    assert account.client == member
    assert f"Account {account} is open." in text(response)
    page = client.get(account.get_absolute_url()).content.decode()
    opened = page.split("Opened on</dt><dd>")[1].split("</dd>")[0]
    assert opened.endswith(f"· {manager.get_full_name()}")  # who opened it, beside the date


def test_a_teller_sees_no_open_account_form(client, member, teller):
    client.force_login(teller)
    assert "Open an account" not in text(client.get(reverse("ledger:client_accounts", args=[member.pk])))
    response = client.post(reverse("ledger:account_open", args=[member.pk]), {})
    assert response.status_code == 403


# --- The client's tabs and overview -------------------------------------------------------------------


def test_the_accounts_tab_shows_each_account_with_its_balance(client, member, teller):
    savings = AccountFactory(client=member)
    loan = LoanFactory(client=member)
    services.deposit(savings, amount=Decimal("1234.5"), on=DAY, by=teller)
    services.disburse(loan, amount=Decimal("800"), on=DAY, by=teller)
    client.force_login(teller)

    page = text(client.get(reverse("ledger:client_accounts", args=[member.pk])))

    assert savings.number in page and loan.number in page
    assert "1,234.50 USD" in page
    assert "800.00 USD" in page


def test_the_transactions_tab_lists_newest_first_and_filters_by_account_and_dates(client, member, teller):
    savings = AccountFactory(client=member)
    loan = LoanFactory(client=member)
    services.deposit(savings, amount=Decimal("1"), on=DAY, by=teller)
    services.disburse(loan, amount=Decimal("2"), on=DAY + datetime.timedelta(days=1), by=teller)
    services.deposit(savings, amount=Decimal("3"), on=DAY + datetime.timedelta(days=2), by=teller)
    client.force_login(teller)
    url = reverse("ledger:client_transactions", args=[member.pk])

    listed = client.get(url).context["page"].object_list
    assert [row.amount for row in listed] == [Decimal("3"), Decimal("2"), Decimal("1")]
    listed = client.get(url, {"account": loan.pk}).context["page"].object_list
    assert [row.amount for row in listed] == [Decimal("2")]
    until = (DAY + datetime.timedelta(days=1)).isoformat()
    listed = client.get(url, {"date_from": DAY.isoformat(), "date_until": until}).context["page"].object_list
    assert [row.amount for row in listed] == [Decimal("2"), Decimal("1")]


def test_the_transactions_tab_pages_by_cursor(client, savings, teller):
    fill(savings, 30, teller)
    client.force_login(teller)
    url = reverse("ledger:client_transactions", args=[savings.client_id])

    first = client.get(url).context["page"]
    second = client.get(url, {"after": first.next_cursor}).context["page"]

    assert len(first) == 25 and len(second) == 5
    assert not {row.pk for row in first} & {row.pk for row in second}
    assert "out of date" in text(client.get(url, {"after": "garbage"}))


def test_another_clients_account_is_not_offered_by_the_filter(client, member, teller):
    other = AccountFactory(client=ActiveClientFactory(office=member.office))
    client.force_login(teller)
    response = client.get(reverse("ledger:client_transactions", args=[member.pk]), {"account": other.pk})
    assert response.context["filter_form"].errors["account"]


def test_the_overview_shows_the_clients_totals(client, member, teller):
    savings = AccountFactory(client=member)
    loan = LoanFactory(client=member)
    services.deposit(savings, amount=Decimal("40"), on=DAY, by=teller)
    services.disburse(loan, amount=Decimal("500"), on=DAY, by=teller)
    services.repay(loan, amount=Decimal("125"), on=DAY, by=teller)
    client.force_login(teller)

    response = client.get(member.get_absolute_url())

    assert response.context is not None
    page = text(response)
    assert "Savings balance" in page and "40.00" in page
    assert "Loans outstanding" in page and "375.00" in page


# --- Statements ------------------------------------------------------------------------------------------


def overview_totals(client, member):
    """(savings, outstanding, open accounts) as the overview shows them."""
    page = text(client.get(member.get_absolute_url()))
    block = page[page.index('class="facts client-totals"') :]
    return tuple(re.findall(r"<dd>(?:<a [^>]*>)?([^<]*)", block)[:3])


def test_the_overview_totals_count_the_clients_own_active_and_pending_accounts(client, member, teller):
    AccountFactory(client=member, balance=Decimal("40.50"))
    AccountFactory(client=member, balance=Decimal("9.25"), status=AccountStatus.PENDING)
    AccountFactory(client=member, balance=Decimal("7.00"), status=AccountStatus.CLOSED)
    LoanFactory(client=member, balance=Decimal("375.00"))
    LoanFactory(client=member, balance=Decimal("80.00"), status=AccountStatus.REPAID)
    neighbour = ActiveClientFactory(office=member.office)
    AccountFactory(client=neighbour, balance=Decimal("1000.00"))
    client.force_login(teller)

    assert overview_totals(client, member) == ("40.50\xa0USD", "375.00\xa0USD", "3")
    assert overview_totals(client, neighbour) == ("1,000.00\xa0USD", "0.00\xa0USD", "1")
    # A client without any account: zeros, not an empty line.
    without_accounts = ActiveClientFactory(office=member.office)
    assert overview_totals(client, without_accounts) == ("0.00\xa0USD", "0.00\xa0USD", "0")


def test_the_statement_exports_as_csv_with_the_running_balance(client, funded, teller, manager):
    services.withdraw(funded, amount=Decimal("30"), on=DAY, by=teller)
    client.force_login(teller)

    response = client.get(reverse("ledger:account_statement", args=[funded.pk, "csv"]))

    assert response["Content-Type"].startswith("text/csv")
    assert f"statement-{funded.number}" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[-2:] == [
        f"{DAY.isoformat()},Deposit,,100.00,100.00",
        f"{DAY.isoformat()},Withdrawal,,-30.00,70.00",
    ]


def test_the_statement_exports_as_pdf(client, funded, teller):
    client.force_login(teller)
    response = client.get(reverse("ledger:account_statement", args=[funded.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_statement_of_another_office_answers_404(client, funded, outsider):
    client.force_login(outsider)
    assert client.get(reverse("ledger:account_statement", args=[funded.pk, "csv"])).status_code == 404


# --- Query counts -----------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Session with user, office, its tree and permissions, the client or account (and on its pages audit's
# are views recorded); then the page's own: the accounts (+ the products offered to open one); the
# filter's accounts, the page's keys and rows.
@pytest.mark.parametrize(
    ("url_name", "queries"),
    [("ledger:client_accounts", 5), ("ledger:client_transactions", 6), ("ledger:account_detail", 5)],
)
def test_the_ledger_pages_run_a_fixed_number_of_queries(
    client, branch, manager, teller, url_name, queries, django_assert_max_num_queries
):
    small, large = (
        AccountFactory(client=ActiveClientFactory(office=branch)),
        AccountFactory(client=ActiveClientFactory(office=branch)),
    )
    fill(small, 2, teller)
    fill(large, 40, teller)
    LoanFactory(client=large.client)
    services.reverse(large.transactions.first(), on=DAY, by=manager, reason="Typo")
    client.force_login(manager)

    def url(account):
        return reverse(
            url_name, args=[account.pk if url_name == "ledger:account_detail" else account.client_id]
        )

    with django_assert_max_num_queries(queries):
        queries_small = count_queries(client, url(small))
    assert count_queries(client, url(large)) == queries_small


def test_a_user_without_a_role_is_not_shown_the_tabs(client, member, nobody):
    BranchStaffUserFactory(office=member.office)
    client.force_login(nobody)
    assert client.get(reverse("ledger:client_accounts", args=[member.pk])).status_code == 403


def test_the_statement_can_cover_a_date_range(client, funded, teller):
    later = DAY + datetime.timedelta(days=3)
    services.deposit(funded, amount=Decimal("5"), on=later, by=teller)
    client.force_login(teller)

    response = client.get(
        reverse("ledger:account_statement", args=[funded.pk, "csv"]), {"date_from": later.isoformat()}
    )

    lines = response.content.decode().splitlines()
    assert "Opening balance,100.00" in lines
    assert lines[-1] == f"{later.isoformat()},Deposit,,5.00,105.00"
    assert DAY.isoformat() not in response.content.decode()


def test_no_account_is_offered_to_a_client_who_is_not_active(client, branch, manager):
    from tests.clients.factories import ClientFactory

    pending = ClientFactory(office=branch)
    client.force_login(manager)
    assert "Open an account" not in text(client.get(reverse("ledger:client_accounts", args=[pending.pk])))
    response = client.post(
        reverse("ledger:account_open", args=[pending.pk]),
        {"product": SavingsProductFactory().pk, "on": TODAY.isoformat()},
    )
    assert "Accounts are opened for active clients only" in text(response)
    assert not Account.objects.exists()


def test_the_account_page_has_no_duplicate_ids(client, savings, manager):
    import re

    client.force_login(manager)
    ids = re.findall(r'\bid="([^"]+)"', text(client.get(savings.get_absolute_url())))
    assert len(ids) == len(set(ids)), sorted(ids)


def test_a_manager_opens_a_groups_own_account_from_the_group_page(client, manager):
    group = ActiveGroupFactory(office=manager.office)
    product = LoanProductFactory()
    client.force_login(manager)
    assert reverse("ledger:group_accounts", args=[group.pk]) in text(client.get(group.get_absolute_url()))

    response = client.post(
        reverse("ledger:group_accounts", args=[group.pk]),
        {"product": product.pk, "on": TODAY.isoformat()},
        follow=True,
    )

    account = Account.objects.get()
    assert (account.group, account.client) == (group, None)
    assert f"Account {account} is open." in text(response)
    assert account.number in text(client.get(reverse("ledger:group_accounts", args=[group.pk])))


def test_a_teller_sees_a_groups_accounts_but_cannot_open_one(client, teller):
    group = ActiveGroupFactory(office=teller.office)
    client.force_login(teller)

    page = client.get(reverse("ledger:group_accounts", args=[group.pk]))
    refused = client.post(reverse("ledger:group_accounts", args=[group.pk]), {"product": "1"})

    assert page.status_code == 200 and "Open the account" not in text(page)
    assert refused.status_code == 403
    assert not Account.objects.exists()


def test_another_offices_group_accounts_answer_404(client, outsider):
    group = ActiveGroupFactory()
    client.force_login(outsider)

    assert client.get(reverse("ledger:group_accounts", args=[group.pk])).status_code == 404


@pytest.mark.parametrize("accounts", [1, 12])
def test_a_groups_accounts_page_runs_the_same_queries_whatever_it_holds(
    client, manager, accounts, django_assert_max_num_queries
):
    group = ActiveGroupFactory(office=manager.office)
    AccountFactory.create_batch(accounts, client=None, group=group)
    client.force_login(manager)

    # Session with user, office, its tree and permissions, the group, its accounts with products,
    # and the products the open-account form offers.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("ledger:group_accounts", args=[group.pk]))

    assert len(re.findall(r'href="/accounts/\d+/"', text(response))) == accounts
