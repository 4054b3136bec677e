"""Account numbers: the institution's format, with the office's code, the product's and a per-office sequence.

The same shape as client numbers (``clients.numbering``); the number is given once, at opening,
and does not change when the client moves to another office.
"""

from django.db import transaction

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
    """The office's next account number of ``product``; the row lock keeps it unique.

    A number already held is passed over: one given out under an earlier format (say, one without
    the office code) or by an office that had this code before must not make every later opening
    in the office fail. The search widens as it meets taken numbers, so a long run costs few queries.
    """
    rules = rules or LedgerRules.load()
    sequence = _locked_sequence(office)
    value, batch = sequence.last_value, 1
    while True:
        candidates = {
            format_account_number(rules, office, product, value + step): value + step
            for step in range(1, batch + 1)
        }
        taken = set(Account.objects.filter(number__in=candidates).values_list("number", flat=True))
        free = [number for number in candidates if number not in taken]
        if free:
            sequence.last_value = candidates[free[0]]
            sequence.save(update_fields=["last_value"])
            return free[0]
        value, batch = value + batch, min(batch * 2, 1000)
