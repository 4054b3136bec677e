"""Amounts as people type them (``mifos.money.parse_amount``): what is not an amount is refused with
the one message, wherever it was typed, never a server error."""

import sys
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clients.forms import NewIndividualClientForm
from mifos.money import parse_amount
from tests.clients.test_import import check
from tests.clients.test_import_cells import income_file
from tests.offices.factories import BranchStaffUserFactory, HeadOfficeAdminUserFactory

NOT_AN_AMOUNT = "Write an amount, for example 1250.50."

# Characters that str.isdigit() takes for digits but Decimal() refuses: superscripts, circled digits...
DIGIT_LOOKALIKES = [
    character
    for character in map(chr, range(sys.maxunicode + 1))
    if character.isdigit() and not character.isdecimal()
]


@pytest.mark.parametrize("typed", ["²", "①", "1²", "12,5³", "⁴.50"])
def test_a_superscript_or_circled_digit_is_refused_as_not_an_amount(typed):
    with pytest.raises(ValueError, match=NOT_AN_AMOUNT):
        parse_amount(typed)


def test_no_digit_lookalike_is_anything_but_refused():
    for character in DIGIT_LOOKALIKES:
        for typed in (character, f"1{character}", f"1.{character}"):
            with pytest.raises(ValueError, match=NOT_AN_AMOUNT):
                parse_amount(typed)


def test_digits_of_other_scripts_are_still_read():
    assert parse_amount("١٢٣,٥") == Decimal("123.5")


@pytest.mark.django_db
def test_the_client_forms_monthly_income_refuses_a_circled_digit_next_to_the_field(office_tree):
    income = NewIndividualClientForm(user=HeadOfficeAdminUserFactory()).fields["monthly_income"]

    with pytest.raises(ValidationError, match=NOT_AN_AMOUNT):
        income.clean("①")


@pytest.mark.django_db
def test_an_import_names_the_line_and_column_of_a_superscript_income(office_tree):
    result = check(BranchStaffUserFactory(office=office_tree["n1"]), office_tree["n1"], income_file(["²"]))

    (error,) = result.errors
    assert (error.line, error.column, error.value, error.message) == (2, "Monthly income", "²", NOT_AN_AMOUNT)
