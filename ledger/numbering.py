"""Account numbers: the institution's format, with the office's code, the product's and a per-office sequence.

The same shape as client numbers (``clients.numbering``); the number is given once, at opening,
and does not change when the client moves to another office.
"""

from django.db import transaction

from .models import LedgerRules, OfficeAccountSequence


def format_account_number(rules, office, product, value):
    return rules.account_number_format.format(
        office=office.code, product=product.short_code, seq=str(value).zfill(rules.account_number_digits)
    )


@transaction.atomic
def reserve_sequence(office, count=1):
    """The first of ``count`` consecutive values of ``office``'s sequence; the row lock keeps them unique."""
    sequence, _created = OfficeAccountSequence.objects.get_or_create(office=office)
    sequence = OfficeAccountSequence.objects.select_for_update().get(pk=sequence.pk)
    first = sequence.last_value + 1
    sequence.last_value += count
    sequence.save(update_fields=["last_value"])
    return first


def next_account_number(office, product, *, rules=None):
    return format_account_number(rules or LedgerRules.load(), office, product, reserve_sequence(office))
