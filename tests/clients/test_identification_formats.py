"""An identification type's number format describes numbers as staff type them, or in their normal form
(upper case, without spaces, dashes, dots or slashes): a number matching either is accepted."""

import pytest
from django.core.exceptions import ValidationError

from clients.models import Identification
from tests.clients.factories import ClientFactory, IdentificationTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(office_tree):
    return ClientFactory(office=office_tree["n1"])


def identification(holder, regex, example, number):
    kind = IdentificationTypeFactory(name="Dashed", format_regex=regex, format_example=example)
    return Identification(client=holder, document_type=kind, number=number)


@pytest.mark.parametrize(
    ("regex", "number"),
    [
        (r"^[0-9]{3}-[0-9]{4}$", "123-4567"),  # separators in the format
        (r"^[a-z]{3}[0-9]{4}$", "abc1234"),  # lower case in the format
        (r"^[0-9]{8}[A-Z]$", "1234 5678-z"),  # a normal-form format, the number typed loosely
        (r"^[0-9]{8}[A-Z]$", "12345678Z"),
        (r"^[0-9]{3}-[0-9]{4}$", " 123-4567 "),  # spaces around are no part of the number
    ],
)
def test_a_number_matching_the_format_as_typed_or_normalised_is_accepted(holder, regex, number):
    identification(holder, regex, "the example", number).full_clean()


@pytest.mark.parametrize(
    ("regex", "number"),
    [
        (r"^[0-9]{3}-[0-9]{4}$", "1234567"),
        (r"^[0-9]{3}-[0-9]{4}$", "12-34567"),
        (r"^[a-z]{3}[0-9]{4}$", "ab1234"),
        (r"^[0-9]{8}[A-Z]$", "1234567"),
    ],
)
def test_a_number_matching_neither_is_refused_with_the_example(holder, regex, number):
    with pytest.raises(ValidationError) as caught:
        identification(holder, regex, "123-4567", number).full_clean()

    assert caught.value.message_dict["number"] == ["This is not a valid Dashed number. Expected: 123-4567."]


def test_the_normal_form_is_saved_whichever_form_matched(holder):
    held = identification(holder, r"^[0-9]{3}-[0-9]{4}$", "123-4567", "123-4567")
    held.full_clean()
    held.save()

    held.refresh_from_db()
    assert (held.number, held.number_normalized) == ("123-4567", "1234567")
