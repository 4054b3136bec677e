"""A posting sent twice (a double click, a re-send on a slow line) is posted once: the form's
one-time token finds the first, and a receipt reference already on the account is refused."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import formats

from ledger import services
from ledger.forms import PostingForm
from tests.ledger.conftest import DAY
from tests.ledger.factories import AccountFactory

pytestmark = pytest.mark.django_db

SHORT_DAY = formats.date_format(DAY, "SHORT_DATE_FORMAT")


def token_of(page):
    return re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def posting(account, **data):
    return {"kind": "deposit", "amount": "50", "on": DAY.isoformat(), "receipt": "", **data}


# --- The form's one-time token -----------------------------------------------------------------------


def test_a_form_sent_twice_posts_once_and_says_so(client, savings, teller):
    client.force_login(teller)
    token = token_of(client.get(savings.get_absolute_url()))
    url = reverse("ledger:account_post", args=[savings.pk])

    first = client.post(url, posting(savings, token=token))
    again = client.post(url, posting(savings, token=token))

    assert first.status_code == again.status_code == 302
    assert again["Location"] == savings.get_absolute_url()
    assert messages_of(again)[-1] == (
        f"This form was sent twice: its deposit of 50.00 USD of {SHORT_DAY} is posted once, not again."
    )
    savings.refresh_from_db()
    assert savings.balance == Decimal("50.00") and savings.transactions.count() == 1


def test_each_blank_posting_form_has_a_token_of_its_own(client, savings, teller):
    client.force_login(teller)

    first, second = (token_of(client.get(savings.get_absolute_url())) for _ in range(2))

    assert first != second


def test_two_forms_of_the_same_amount_both_post(client, savings, teller):
    """Two deposits of the same amount on one day are two payments when they come from two forms."""
    client.force_login(teller)
    url = reverse("ledger:account_post", args=[savings.pk])

    for _ in range(2):
        client.post(url, posting(savings, token=token_of(client.get(savings.get_absolute_url()))))

    assert savings.transactions.count() == 2


def test_a_form_refused_and_sent_again_corrected_posts_once(client, savings, teller):
    client.force_login(teller)
    url = reverse("ledger:account_post", args=[savings.pk])
    token = token_of(client.get(savings.get_absolute_url()))

    refused = client.post(url, posting(savings, amount="0", token=token))
    corrected = client.post(url, posting(savings, token=token_of(refused)))

    assert token_of(refused) == token
    assert corrected.status_code == 302
    assert savings.transactions.count() == 1


def test_the_service_posts_a_token_once(savings, teller):
    services.deposit(savings, amount=Decimal("5.00"), on=DAY, by=teller, token="t" * 22)

    with pytest.raises(services.AlreadyPosted) as repeat:
        services.deposit(savings, amount=Decimal("5.00"), on=DAY, by=teller, token="t" * 22)

    assert repeat.value.earlier == savings.transactions.get()
    assert services.deposit(savings, amount=Decimal("5.00"), on=DAY, by=teller, token="u" * 22)


def test_a_token_the_form_did_not_draw_is_no_token(savings):
    form = PostingForm(posting(savings, token="x" * 500), account=savings)

    assert form.is_valid() and form.cleaned_data["token"] == ""


# --- Receipt references ------------------------------------------------------------------------------


def test_a_receipt_already_on_the_account_is_refused_naming_the_earlier_posting(client, savings, teller):
    services.deposit(savings, amount=Decimal("50.00"), on=DAY, by=teller, receipt="RCPT-777")
    client.force_login(teller)

    response = client.post(
        reverse("ledger:account_post", args=[savings.pk]), posting(savings, receipt=" rcpt-777 ")
    )

    assert response.status_code == 200
    assert response.context["posting_form"].errors["receipt"] == [
        f"Receipt RCPT-777 is already on this account: the deposit of 50.00 USD of {SHORT_DAY}. A different "
        "payment takes its own receipt reference; if that posting was wrong, reverse it first."
    ]
    assert savings.transactions.count() == 1


def test_a_receipt_of_a_reversed_posting_is_used_again_for_its_correction(funded, teller, manager):
    wrong = services.deposit(funded, amount=Decimal("500.00"), on=DAY, by=teller, receipt="R-9")
    services.reverse(wrong, on=DAY, by=manager, reason="Mistyped: 50")

    services.deposit(funded, amount=Decimal("50.00"), on=DAY, by=teller, receipt="R-9")

    funded.refresh_from_db()
    assert funded.balance == Decimal("150.00")


def test_the_same_receipt_on_another_account_and_no_receipt_twice_are_accepted(member, savings, teller):
    other = AccountFactory(client=member)
    services.deposit(savings, amount=Decimal("5.00"), on=DAY, by=teller, receipt="R-1")
    services.deposit(savings, amount=Decimal("5.00"), on=DAY, by=teller)

    services.deposit(other, amount=Decimal("5.00"), on=DAY, by=teller, receipt="R-1")
    services.deposit(savings, amount=Decimal("5.00"), on=DAY, by=teller)

    assert savings.transactions.count() == 3 and other.transactions.count() == 1
