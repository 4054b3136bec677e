"""Client numbers fit their column: head office cannot choose digits, or a format, that would make
the longest number (with the longest office code allowed) longer than the 30 characters stored."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients.models import ClientRules

pytestmark = pytest.mark.django_db

TOO_LONG = (
    "With an office code of 10 characters, the longest allowed, this format and %(digits)d digits make "
    "client numbers of %(length)d characters, and a client number holds at most 30: use fewer digits "
    "or a shorter format."
)


def rules_with(fmt, digits):
    rules = ClientRules.load()
    rules.client_number_format, rules.client_number_digits = fmt, digits
    return rules


@pytest.mark.parametrize(
    ("fmt", "digits", "length"),
    [("{office}-{seq}", 40, 51), ("{office}-{seq}", 20, 31), ("CLIENT/{office}/{office}/{seq}", 6, 35)],
)
def test_rules_whose_longest_number_cannot_fit_are_refused(fmt, digits, length):
    with pytest.raises(ValidationError) as caught:
        rules_with(fmt, digits).full_clean()

    assert caught.value.message_dict == {
        "client_number_digits": [TOO_LONG % {"digits": digits, "length": length}]
    }


@pytest.mark.parametrize(
    ("fmt", "digits"), [("{office}-{seq}", 19), ("{office}-{seq}", 6), ("C/{office}/{seq}", 4)]
)
def test_rules_whose_longest_number_fits_are_accepted(fmt, digits):
    rules_with(fmt, digits).full_clean()


def test_admin_refuses_forty_digits_next_to_the_field(admin_client):
    url = reverse("admin:clients_clientrules_change", args=[ClientRules.load().pk])

    refused = admin_client.post(
        url,
        {
            "min_age": 18,
            "max_age": 100,
            "client_number_format": "{office}-{seq}",
            "client_number_digits": 40,
            "date_format": ClientRules.load().date_format,
        },
    )

    assert refused.status_code == 200
    assert "make client numbers of 51 characters" in refused.content.decode()
    assert ClientRules.load().client_number_digits == 6
