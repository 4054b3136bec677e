"""Ending and activating an account from its page. Closing and marking repaid are final, so each has a
page of its own that says so and asks before the button, as the client's closing does; activating a
pending account is a box on the account page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from ledger import services
from ledger.choices import AccountStatus
from ledger.models import Account
from tests.ledger.conftest import DAY
from tests.ledger.factories import AccountFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def text(response):
    return response.content.decode()


def status(account):
    return Account.objects.get(pk=account.pk).status


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_account_page_links_to_closing_and_closes_nothing_itself(client, savings, manager):
    client.force_login(manager)

    page = text(client.get(savings.get_absolute_url()))

    close_url = reverse("ledger:account_close", args=[savings.pk])
    assert f'<a class="button danger" href="{close_url}">Close the account</a>' in page
    assert f'action="{close_url}"' not in page  # no form that closes in one click


def test_the_closing_page_says_it_is_final_and_closes_only_when_confirmed(client, savings, manager):
    client.force_login(manager)
    url = reverse("ledger:account_close", args=[savings.pk])

    page = client.get(url)

    assert page.status_code == 200
    assert "Closing is final" in text(page)
    assert f'<a href="{savings.get_absolute_url()}">Cancel</a>' in text(page)
    assert status(savings) == AccountStatus.ACTIVE
    response = client.post(url, {"on": TODAY.isoformat()}, follow=True)
    assert "The account is closed." in text(response)
    assert status(savings) == AccountStatus.CLOSED
    assert Event.objects.filter(event="ledger.account.closed").count() == 1


def test_an_account_with_money_on_it_sends_back_with_the_reason_before_the_closing_page(
    client, funded, manager
):
    client.force_login(manager)

    response = client.get(reverse("ledger:account_close", args=[funded.pk]))

    assert response.status_code == 302 and response["Location"] == funded.get_absolute_url()
    assert messages_of(response) == ["The balance is 100.00 USD; withdraw it before closing the account."]


def test_a_closing_refused_after_the_page_was_shown_says_why_on_the_page(client, savings, manager, teller):
    client.force_login(manager)
    url = reverse("ledger:account_close", args=[savings.pk])
    assert client.get(url).status_code == 200
    services.deposit(savings, amount=Decimal("5.00"), on=DAY, by=teller)  # meanwhile, at the counter

    response = client.post(url, {"on": TODAY.isoformat()})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The balance is 5.00 USD; withdraw it before closing the account."
    ]
    assert status(savings) == AccountStatus.ACTIVE


def test_a_loan_is_marked_repaid_from_a_page_of_its_own(client, loan, manager, teller):
    services.disburse(loan, amount=Decimal("50.00"), on=DAY, by=teller)
    client.force_login(manager)
    url = reverse("ledger:account_repaid", args=[loan.pk])

    refused = client.get(url)
    services.repay(loan, amount=Decimal("50.00"), on=DAY, by=teller)
    page = client.get(url)
    client.post(url, {"on": TODAY.isoformat()})

    assert messages_of(refused) == ["50.00 USD is still outstanding; the loan is not repaid."]
    assert page.status_code == 200 and "Marking the loan repaid is final" in text(page)
    assert status(loan) == AccountStatus.REPAID


@pytest.mark.parametrize(
    ("account", "reason"),
    [
        ("savings", "Only a loan is written off."),
        ("loan", "Nothing is outstanding; mark the loan repaid instead."),
    ],
)
def test_an_account_that_cannot_be_written_off_sends_back_with_the_reason_before_the_form(
    client, manager, request, account, reason
):
    account = request.getfixturevalue(account)
    client.force_login(manager)

    response = client.get(reverse("ledger:account_write_off", args=[account.pk]))

    assert response.status_code == 302 and response["Location"] == account.get_absolute_url()
    assert messages_of(response) == [reason]


def test_a_loan_with_money_outstanding_shows_its_write_off_form(client, loan, manager, teller):
    services.disburse(loan, amount=Decimal("50.00"), on=DAY, by=teller)
    client.force_login(manager)

    page = client.get(reverse("ledger:account_write_off", args=[loan.pk]))

    assert page.status_code == 200 and 'name="reason"' in text(page)


def test_a_teller_sees_no_closing_and_may_not_open_its_page(client, savings, teller):
    client.force_login(teller)

    assert "Close the account" not in text(client.get(savings.get_absolute_url()))
    assert client.get(reverse("ledger:account_close", args=[savings.pk])).status_code == 403


def test_a_closed_account_offers_no_closing_and_its_page_says_why(client, savings, manager):
    services.close_savings(savings, on=TODAY, by=manager)
    client.force_login(manager)

    assert "Close the account" not in text(client.get(savings.get_absolute_url()))
    response = client.get(reverse("ledger:account_close", args=[savings.pk]))
    assert messages_of(response) == [f"Account {savings.number} is closed already."]


# --- Activating a pending account ------------------------------------------------------------------


@pytest.fixture
def pending(member):
    return AccountFactory(client=member, status=AccountStatus.PENDING)


def test_the_activation_box_is_one_card_with_its_date_and_button(client, pending, manager):
    client.force_login(manager)

    page = text(client.get(pending.get_absolute_url()))

    url = reverse("ledger:account_activate", args=[pending.pk])
    box = re.search(rf'<form method="post" class="([^"]*)" action="{url}".*?</form>', page, re.S)
    assert box and box.group(1) == "form card"  # not "inline", which broke the card into pieces
    assert 'name="on"' in box.group(0) and "Activate the account</button>" in box.group(0)


def test_a_manager_activates_a_pending_account(client, pending, manager):
    client.force_login(manager)

    response = client.post(
        reverse("ledger:account_activate", args=[pending.pk]), {"on": TODAY.isoformat()}, follow=True
    )

    assert "The account is active." in text(response)
    assert status(pending) == AccountStatus.ACTIVE


def test_an_activation_date_refused_by_the_service_shows_next_to_the_date(client, pending, manager):
    client.force_login(manager)
    before_opening = pending.opened_on - datetime.timedelta(days=1)

    response = client.post(
        reverse("ledger:account_activate", args=[pending.pk]), {"on": before_opening.isoformat()}
    )

    assert response.status_code == 200
    [error] = response.context["activate_form"].errors["on"]
    assert error.startswith("The date cannot be before the account's opening date")
    assert status(pending) == AccountStatus.PENDING


def test_a_loan_page_offers_marking_repaid_and_writing_off_as_links(client, loan, manager):
    client.force_login(manager)

    page = text(client.get(loan.get_absolute_url()))

    assert f'href="{reverse("ledger:account_repaid", args=[loan.pk])}">Mark repaid</a>' in page
    assert f'href="{reverse("ledger:account_write_off", args=[loan.pk])}">Write off</a>' in page
    assert f'action="{reverse("ledger:account_repaid", args=[loan.pk])}"' not in page
