"""What makes a client's record incomplete or risky, and the work waiting for a user's offices.

Each check is a filter of the client list (``check=no_phone``, ``transfer=incoming`` in
``clients.filters``), so the page that counts them links to a list that shows exactly them, and
that list exports them. The checks concern the clients a user's offices hold now (not those on
their way in from elsewhere), and only current ones: pending, active, or being transferred.

Counts: "no phone" and "no credit officer" come from the summary the database keeps
(``clients.summaries``); the others are counted on the same queryset as the list, stopped at
``COUNT_CAP`` rows, so a page never reads more than a thousand of them.
"""

import datetime
from collections import Counter

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offices.scoping import visible_office_ids

from .choices import ClientStatus, LegalForm
from .models import Client, Identification, IdentificationType

CURRENT = (
    ClientStatus.PENDING,
    ClientStatus.ACTIVE,
    ClientStatus.TRANSFER_IN_PROGRESS,
    ClientStatus.TRANSFER_ON_HOLD,
)
EXPIRING_DAYS = 30
COUNT_CAP = 1000

NO_PHONE = "no_phone"
NO_IDENTIFICATION = "no_identification"
ID_EXPIRED = "id_expired"
ID_EXPIRING = "id_expiring"
NO_OFFICER = "no_officer"
SAME_NAME = "same_name"
SAME_PHONE = "same_phone"

CHECK_CHOICES = [
    (NO_PHONE, _("No phone")),
    (NO_IDENTIFICATION, _("No identification of a required type")),
    (ID_EXPIRED, _("Identification expired")),
    (ID_EXPIRING, _("Identification expiring within 30 days")),
    (NO_OFFICER, _("No credit officer")),
    (SAME_NAME, _("Possible duplicate: same name and date of birth")),
    (SAME_PHONE, _("Possible duplicate: same phone")),
]
# Counted from the summary the triggers keep: (no_phone, no_officer) flags of each check.
SUMMARY_CHECKS = {NO_PHONE: {"no_phone": True}, NO_OFFICER: {"no_officer": True}}

INCOMING = "incoming"
OUTGOING = "outgoing"
TRANSFER_CHOICES = [(INCOMING, _("Coming to my offices")), (OUTGOING, _("Leaving my offices"))]


def _active_identifications(**filters):
    return Identification.objects.filter(client=OuterRef("pk"), is_active=True, **filters)


def check_condition(check, today=None):
    """The condition on a client of ``check`` (a Q or an Exists expression)."""
    today = today or timezone.localdate()
    if check == NO_PHONE:
        return Q(mobile_phone="")
    if check == NO_OFFICER:
        return Q(staff__isnull=True)
    if check == ID_EXPIRED:
        return Exists(_active_identifications(expiry_date__lt=today))
    if check == ID_EXPIRING:
        return Exists(
            _active_identifications(
                expiry_date__gte=today, expiry_date__lte=today + datetime.timedelta(days=EXPIRING_DAYS)
            )
        )
    if check == NO_IDENTIFICATION:
        required = list(IdentificationType.objects.filter(is_required=True).values_list("pk", flat=True))
        if not required:
            return Q(pk__in=[])
        missing = Q()
        for type_id in required:
            missing |= ~Exists(_active_identifications(document_type_id=type_id))
        return Q(legal_form=LegalForm.INDIVIDUAL) & missing
    if check == SAME_PHONE:
        others = Client.objects.filter(mobile_phone=OuterRef("mobile_phone")).exclude(pk=OuterRef("pk"))
        return ~Q(mobile_phone="") & Exists(others)
    if check == SAME_NAME:
        others = Client.objects.filter(
            date_of_birth=OuterRef("date_of_birth"), search_name=OuterRef("search_name")
        ).exclude(pk=OuterRef("pk"))
        return Q(date_of_birth__isnull=False) & Exists(others)
    raise ValueError(check)


def own_clients(queryset, user):
    """``queryset`` narrowed to the clients of the user's offices (not those on their way in)."""
    office_ids = visible_office_ids(user)
    return queryset if office_ids is None else queryset.filter(office__in=office_ids)


def filter_check(queryset, user, check):
    """The current clients of the user's offices that ``check`` finds: the list's filter."""
    return own_clients(queryset, user).filter(check_condition(check), status__in=CURRENT)


def filter_transfer(queryset, user, direction):
    """Clients being transferred into the user's offices (``incoming``) or out of them."""
    office_ids = visible_office_ids(user)
    moving = queryset.filter(status=ClientStatus.TRANSFER_IN_PROGRESS)
    if office_ids is None:
        return moving
    if direction == INCOMING:
        return moving.filter(transfer_to_office__in=office_ids).exclude(office__in=office_ids)
    return moving.filter(office__in=office_ids)


def capped_by_office(queryset):
    """(count per office id, total, capped): the first ``COUNT_CAP`` + 1 rows' offices, counted."""
    offices = Counter(queryset.order_by().values_list("office_id", flat=True)[: COUNT_CAP + 1])
    total = sum(offices.values())
    return dict(offices), min(total, COUNT_CAP), total > COUNT_CAP


def check_counts(user, counts):
    """{check: (count per office id, total, capped)} for every check, in the user's scope.

    ``counts``: the user's ``summaries.Counts``.
    """
    results = {}
    for check, _label in CHECK_CHOICES:
        if check in SUMMARY_CHECKS:
            per_office = counts.by_office(CURRENT, **SUMMARY_CHECKS[check])
            per_office = {office: count for office, count in per_office.items() if count}
            results[check] = (per_office, sum(per_office.values()), False)
        else:
            results[check] = capped_by_office(filter_check(Client.objects.all(), user, check))
    return results
