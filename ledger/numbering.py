"""Account numbers: the institution's format, with the office's code, the product's and a per-office sequence.

The same shape as client numbers (``clients.numbering``); the number is given once, at opening,
and does not change when the client moves to another office.
"""

from django.db import transaction

from mifos.numbering import free_numbers

from .models import Account, LedgerRules, OfficeAccountSequence


def format_account_number(rules, office, product, value):
    return rules.account_number_format.format(
        office=office.code, product=product.short_code, seq=str(value).zfill(rules.account_number_digits)
    )


def _locked_sequence(office):
    sequence, _created = OfficeAccountSequence.objects.get_or_create(office=office)
    return OfficeAccountSequence.objects.select_for_update().get(pk=sequence.pk)


@transaction.atomic
def reserve_sequence(office, count=1):
    """The first of ``count`` consecutive values of ``office``'s sequence; the row lock keeps them unique."""
    sequence = _locked_sequence(office)
    first = sequence.last_value + 1
    sequence.last_value += count
    sequence.save(update_fields=["last_value"])
    return first


@transaction.atomic
def next_account_number(office, product, *, rules=None):
    """The office's next account number of ``product``, passing over those held (mifos/numbering.py);
    the row lock keeps it unique."""
    rules = rules or LedgerRules.load()
    sequence = _locked_sequence(office)
    (number,), sequence.last_value = free_numbers(
        sequence.last_value,
        1,
        lambda value: format_account_number(rules, office, product, value),
        lambda numbers: set(Account.objects.filter(number__in=numbers).values_list("number", flat=True)),
    )
    sequence.save(update_fields=["last_value"])
    return number
