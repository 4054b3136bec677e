"""Client numbers: the institution's format, an office code and a per-office sequence."""

from django.db import transaction

from .models import Client, ClientRules, OfficeClientSequence


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
    numbers = []
    value = sequence.last_value
    # A number already held is passed over: one given out under an earlier format (say, one without
    # the office code) must not make every later registration in the office fail.
    while len(numbers) < count:
        candidates = [
            format_client_number(rules, office, value + step) for step in range(1, count - len(numbers) + 1)
        ]
        value += len(candidates)
        taken = set(Client.objects.filter(account_no__in=candidates).values_list("account_no", flat=True))
        numbers.extend(number for number in candidates if number not in taken)
    sequence.last_value = value
    sequence.save(update_fields=["last_value"])
    return numbers


def next_client_number(office, *, rules=None):
    return reserve_client_numbers(office, 1, rules=rules)[0]
