"""Head office sets the account number format; every office keeps opening accounts under it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ledger import services
from ledger.models import Account, LedgerRules
from tests.clients.factories import ActiveClientFactory
from tests.ledger.conftest import DAY
from tests.ledger.factories import AccountFactory, LoanProductFactory
from tests.offices.factories import BranchStaffUserFactory

pytestmark = pytest.mark.django_db


def rules_posted(admin_client, **fields):
    data = {"account_number_format": "{office}-{product}-{seq}", "account_number_digits": 7, **fields}
    return admin_client.post(reverse("admin:ledger_ledgerrules_change", args=[LedgerRules.load().pk]), data)


def refusal(**fields):
    rules = LedgerRules.load()
    for name, value in fields.items():
        setattr(rules, name, value)
    with pytest.raises(ValidationError) as refused:
        rules.full_clean()
    return refused.value.message_dict


def open_loan(office, product):
    client = ActiveClientFactory(office=office)
    return services.open_account(client, product=product, on=DAY, by=BranchStaffUserFactory(office=office))


def test_a_format_without_the_office_code_is_refused_next_to_the_field(admin_client):
    refused = rules_posted(admin_client, account_number_format="{product}-{seq}")

    assert refused.status_code == 200
    assert "The format must contain {office}" in refused.content.decode()
    assert LedgerRules.load().account_number_format == "{office}-{product}-{seq}"


def test_the_rules_refuse_a_format_without_the_office_code():
    assert "account_number_format" in refusal(account_number_format="{product}-{seq}")


@pytest.mark.parametrize("text", ["{{office}}-{seq}", "{{office}}{seq}", "{{office}}-{{seq}}-{seq}"])
def test_an_escaped_office_code_is_not_taken_for_the_office_code(text):
    """ "{{office}}" writes the text "{office}": every office would give out the same numbers."""
    assert refusal(account_number_format=text)["account_number_format"][0].startswith(
        "The format must contain {office}"
    )


def test_an_escaped_sequence_is_not_taken_for_the_sequence():
    assert refusal(account_number_format="{office}-{{seq}}") == {
        "account_number_format": ["The format must contain {seq}."]
    }


@pytest.mark.parametrize(
    "text", ["{office:.0}-{seq}", "{office!r}-{seq}", "{office.lower}-{seq}", "{office-{seq}"]
)
def test_a_field_that_would_not_write_the_office_code_as_it_is_is_refused(text):
    assert refusal(account_number_format=text) == {
        "account_number_format": ["Only {office}, {product} and {seq} may appear in braces."]
    }


def test_an_escaped_brace_beside_the_fields_is_still_accepted():
    rules = LedgerRules.load()
    rules.account_number_format = "{{{office}}}-{seq}"
    rules.full_clean()


def test_a_number_already_held_is_passed_over_so_the_office_keeps_opening_accounts(office_tree):
    """A format saved before {office} was required gave every office the same numbers."""
    LedgerRules.objects.filter(pk=LedgerRules.load().pk).update(account_number_format="{product}-{seq}")
    product = LoanProductFactory()
    first = open_loan(office_tree["n1"], product)
    second = open_loan(office_tree["n1"], product)

    other = open_loan(office_tree["n2"], product)
    again = open_loan(office_tree["n2"], product)

    assert (first.number, second.number) == ("LN-0000001", "LN-0000002")
    assert (other.number, again.number) == ("LN-0000003", "LN-0000004")


def test_a_reused_office_code_does_not_repeat_an_earlier_office_s_numbers(office_tree):
    product = LoanProductFactory()
    earlier = ActiveClientFactory(office=office_tree["n1"])
    AccountFactory(product=product, client=earlier, number="N2-LN-0000001")

    account = open_loan(office_tree["n2"], product)

    assert account.number == "N2-LN-0000002"
    assert Account.objects.filter(number="N2-LN-0000001").count() == 1


def test_the_default_digits_fit_an_account_number(admin_client):
    accepted = rules_posted(admin_client, account_number_digits=18)

    assert accepted.status_code == 302
    assert LedgerRules.load().account_number_digits == 18


def test_digits_whose_longest_number_cannot_be_kept_are_refused_next_to_the_field(admin_client):
    refused = rules_posted(admin_client, account_number_digits=19)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "make account numbers of 41 characters, and an account number holds at most 40" in page
    assert LedgerRules.load().account_number_digits == 7


def test_a_long_format_leaves_fewer_digits():
    errors = refusal(account_number_format="ACCOUNT {office} / {product} / {seq}", account_number_digits=7)

    assert "account_number_digits" in errors
