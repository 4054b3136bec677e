"""Client numbers: the institution's format, an office code and a per-office sequence."""

from django.db import transaction

from .models import ClientRules, OfficeClientSequence


def format_client_number(rules, office, value):
    return rules.client_number_format.format(
        office=office.code, seq=str(value).zfill(rules.client_number_digits)
    )


@transaction.atomic
def reserve_client_numbers(office, count=1, *, rules=None):
    """Hand out ``count`` consecutive numbers of ``office``; the row lock keeps them unique."""
    rules = rules or ClientRules.load()
    sequence, _created = OfficeClientSequence.objects.get_or_create(office=office)
    sequence = OfficeClientSequence.objects.select_for_update().get(pk=sequence.pk)
    first = sequence.last_value + 1
    sequence.last_value += count
    sequence.save(update_fields=["last_value"])
    return [format_client_number(rules, office, value) for value in range(first, first + count)]


def next_client_number(office, *, rules=None):
    return reserve_client_numbers(office, 1, rules=rules)[0]
