"""Client numbers: the institution's format, an office code and a per-office sequence."""

from django.db import transaction

from mifos.numbering import free_numbers

from .models import Client, ClientRules, OfficeClientSequence


def format_client_number(rules, office, value):
    return rules.client_number_format.format(
        office=office.code, seq=str(value).zfill(rules.client_number_digits)
    )


@transaction.atomic
def reserve_client_numbers(office, count=1, *, rules=None):
    """Hand out ``count`` numbers of ``office``, passing over those held (mifos/numbering.py); the row
    lock keeps them unique."""
    rules = rules or ClientRules.load()
    sequence, _created = OfficeClientSequence.objects.get_or_create(office=office)
    sequence = OfficeClientSequence.objects.select_for_update().get(pk=sequence.pk)
    numbers, sequence.last_value = free_numbers(
        sequence.last_value,
        count,
        lambda value: format_client_number(rules, office, value),
        lambda numbers: set(
            Client.objects.filter(account_no__in=numbers).values_list("account_no", flat=True)
        ),
    )
    sequence.save(update_fields=["last_value"])
    return numbers


def next_client_number(office, *, rules=None):
    return reserve_client_numbers(office, 1, rules=rules)[0]
