"""What makes a client's record incomplete or risky, and the work waiting for a user's offices.

Each check is a filter of the client list (``check=no_phone``, ``transfer=incoming`` in
``clients.filters``), so the page that counts them links to a list that shows exactly them, and
that list exports them. The checks concern the clients a user's offices hold now (not those on
their way in from elsewhere), and only current ones: pending, active, or being transferred.

Counts: "no phone" and "no credit officer" come from the summary the database keeps
(``clients.summaries``); those that must read every client (missing identifications, expired ones,
duplicates) are counted in the background (``recount``, at most hourly, or on demand) and shown
with the time they were counted; "expiring" is counted on the list's own queryset, stopped at
``COUNT_CAP`` rows. The lists themselves are always live.
"""

import datetime
from collections import Counter

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

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
        # Few expire in any month: their clients are read from the expiry index first.
        expiring = Identification.objects.filter(
            is_active=True,
            expiry_date__isnull=False,
            expiry_date__gte=today,
            expiry_date__lte=today + datetime.timedelta(days=EXPIRING_DAYS),
        )
        return Q(pk__in=expiring.values("client_id"))
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


# --- Counts made in the background -------------------------------------------------------------------

# Checks that read every client (an anti-join, or values held twice): counted by ``recount`` in the
# task worker and kept in clients_quality_count; the page shows when they were counted.
COUNTED_LATER = (NO_IDENTIFICATION, ID_EXPIRED, SAME_NAME, SAME_PHONE)
RECOUNT_AFTER = datetime.timedelta(hours=1)


def recount():
    """Count the ``COUNTED_LATER`` checks per office, for every office, and keep the counts."""
    counted = []
    for check in COUNTED_LATER:
        rows = (
            Client.objects.filter(check_condition(check), status__in=CURRENT)
            .order_by()
            .values_list("office_id")
            .annotate(n=Count("pk"))
        )
        counted.extend((office, check, n) for office, n in rows)
    now = timezone.now().isoformat()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM clients_quality_count")
        cursor.executemany(
            "INSERT INTO clients_quality_count (office_id, check_name, n) VALUES (%s, %s, %s)", counted
        )
        cursor.execute("DELETE FROM clients_quality_counted")
        cursor.execute(
            "INSERT INTO clients_quality_counted (id, counted_at, requested_at) VALUES (1, %s, %s)",
            [now, now],
        )


@task()
def recount_task():
    recount()


def counted_later(office_ids):
    """({check: {office id: count}}, when counted or None) of the offices ``office_ids`` (None: all)."""
    results = {check: {} for check in COUNTED_LATER}
    with connection.cursor() as cursor:
        cursor.execute("SELECT office_id, check_name, n FROM clients_quality_count")
        for office, check, n in cursor:
            if check in results and (office_ids is None or office in office_ids):
                results[check][office] = n
        cursor.execute("SELECT counted_at FROM clients_quality_counted")
        row = cursor.fetchone()
    counted_at = datetime.datetime.fromisoformat(row[0]) if row and row[0] else None
    return results, counted_at


def ask_for_recount(*, force=False):
    """Queue ``recount`` when the counts are older than ``RECOUNT_AFTER`` (or ``force``), unless one
    was asked for within that time. Returns True when one was queued."""
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT counted_at, requested_at FROM clients_quality_counted")
        row = cursor.fetchone()
        counted_at, requested_at = [
            datetime.datetime.fromisoformat(value) if value else None for value in (row or ("", ""))
        ]
        fresh = counted_at is not None and now - counted_at < RECOUNT_AFTER
        waiting = (
            requested_at is not None
            and (counted_at is None or requested_at > counted_at)
            and (now - requested_at < RECOUNT_AFTER)
        )
        if (fresh and not force) or waiting:
            return False
        if row:
            cursor.execute("UPDATE clients_quality_counted SET requested_at = %s", [now.isoformat()])
        else:
            cursor.execute(
                "INSERT INTO clients_quality_counted (id, counted_at, requested_at) VALUES (1, '', %s)",
                [now.isoformat()],
            )
        transaction.on_commit(recount_task.enqueue)
    return True


def capped_by_office(queryset):
    """(count per office id, total, capped): the first ``COUNT_CAP`` + 1 rows' offices, counted."""
    offices = Counter(queryset.order_by().values_list("office_id", flat=True)[: COUNT_CAP + 1])
    total = sum(offices.values())
    return dict(offices), min(total, COUNT_CAP), total > COUNT_CAP


def check_counts(user, counts):
    """({check: (count per office id, total, capped)} for every check in the user's scope, and when
    the checks counted in the background were counted (None: not yet).

    ``counts``: the user's ``summaries.Counts``.
    """
    results = {}
    later, counted_at = counted_later(visible_office_ids(user))
    for check, _label in CHECK_CHOICES:
        if check in later:
            results[check] = (later[check], sum(later[check].values()), False)
        elif check in SUMMARY_CHECKS:
            per_office = counts.by_office(CURRENT, **SUMMARY_CHECKS[check])
            per_office = {office: count for office, count in per_office.items() if count}
            results[check] = (per_office, sum(per_office.values()), False)
        else:
            results[check] = capped_by_office(filter_check(Client.objects.all(), user, check))
    return results, counted_at
