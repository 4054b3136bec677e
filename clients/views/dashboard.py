"""The managers' pages about all their clients at once: the dashboard (their home page) and data quality.

Every figure is of the user's offices (``offices.scoping``) and links to the client list filtered to
the clients it counts. Counts of clients come from the summaries the database keeps
(``clients.summaries``), so the pages read a few hundred rows whatever the number of clients.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from offices.models import Office

from .. import charts, extensions, quality, summaries
from ..choices import ClientStatus
from ..models import Client

NEW_FILL = "#2b6cb0"
CLOSED_FILL = "#c05621"
# The chart of offices shows the largest; the table below it lists them all.
OFFICES_CHARTED = 15


def list_url(**params):
    """The client list with these filters."""
    return f"{reverse('clients:client_list')}?{urlencode(params)}"


def office_names(office_ids):
    return dict(Office.objects.filter(pk__in=office_ids).values_list("pk", "name"))


class DashboardView(PermissionRequiredMixin, TemplateView):
    """Clients by status, new and closed per month, clients per office, and the work waiting."""

    permission_required = "clients.view_dashboard"
    template_name = "clients/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        counts = summaries.Counts(user)
        today = timezone.localdate()
        return super().get_context_data(
            status_chart=self.status_chart(counts),
            month_chart=self.month_chart(summaries.monthly(user, today)),
            office_chart=self.office_chart(counts),
            waiting=self.waiting(counts),
            **kwargs,
        )

    @staticmethod
    def status_chart(counts):
        by_status = counts.by_status()
        items = [
            (status.label, by_status.get(status.value, 0), list_url(status=status.value))
            for status in ClientStatus
        ]
        return charts.horizontal(_("Clients by status"), items)

    @staticmethod
    def month_chart(months):
        # "N": the press's abbreviations, one per month in every language ("M" is "Jui" for both
        # juin and juillet in French).
        groups = [(capfirst(date_format(start, "N Y")), [new, closed]) for start, new, closed in months]
        chart = charts.columns(
            _("New and closed clients, last twelve months"),
            groups,
            [(_("New"), NEW_FILL), (_("Closed"), CLOSED_FILL)],
        )
        chart.rows = [
            (
                date_format(start, "YEAR_MONTH_FORMAT"),
                new,
                closed,
                list_url(submitted_after=start.isoformat(), submitted_before=_month_end(start).isoformat()),
            )
            for start, new, closed in months
        ]
        return chart

    @staticmethod
    def office_chart(counts):
        per_office = counts.by_office()
        names = office_names(per_office)
        ranked = sorted(
            (
                (names.get(office, "?"), count, list_url(office=office))
                for office, count in per_office.items()
            ),
            key=lambda item: (-item[1], item[0]),
        )
        chart = charts.horizontal(_("Clients per office"), ranked[:OFFICES_CHARTED])
        chart.rows = ranked
        return chart

    def waiting(self, counts):
        """(label, count, url) of the work waiting for the user's offices."""
        user = self.request.user
        by_status = counts.by_status()
        incoming = quality.filter_transfer(Client.objects.all(), user, quality.INCOMING)
        expiring = quality.capped_by_office(
            quality.filter_check(Client.objects.all(), user, quality.ID_EXPIRING)
        )
        items = [
            (
                _("Clients waiting for approval"),
                by_status.get(ClientStatus.PENDING, 0),
                list_url(status=ClientStatus.PENDING),
            ),
            (_("Transfers coming in"), incoming.count(), list_url(transfer=quality.INCOMING)),
            (
                _("Transfers going out"),
                by_status.get(ClientStatus.TRANSFER_IN_PROGRESS, 0),
                list_url(transfer=quality.OUTGOING),
            ),
            # Refused by the other office: the client is on hold, and takes no transactions, until
            # the sending office withdraws the transfer or proposes it again.
            (
                _("Transfers refused, clients on hold"),
                by_status.get(ClientStatus.TRANSFER_ON_HOLD, 0),
                list_url(status=ClientStatus.TRANSFER_ON_HOLD),
            ),
            (
                _("Identifications expiring within 30 days"),
                _capped(expiring),
                list_url(check=quality.ID_EXPIRING),
            ),
        ]
        # Other apps' work waiting (groups to activate), after the clients' own.
        items[4:4] = extensions.waiting_work(user)
        return items


def _month_end(start):
    following = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    return following - timezone.timedelta(days=1)


def _capped(result):
    _per_office, total, capped = result
    return f"{total}+" if capped else total


class DataQualityView(PermissionRequiredMixin, TemplateView):
    """Clients whose records are incomplete or risky, per office, each count a link to its list."""

    permission_required = "clients.view_dashboard"
    template_name = "clients/data_quality.html"

    def post(self, request, *args, **kwargs):
        """Count again now (in the background) the checks counted in the background."""
        if quality.ask_for_recount(force=True):
            messages.success(request, _("The clients are being counted again; reload the page in a minute."))
        else:
            messages.info(request, _("A count is already under way; reload the page in a minute."))
        return redirect("clients:data_quality")

    def get_context_data(self, **kwargs):
        user = self.request.user
        quality.ask_for_recount()  # when the counts are more than an hour old
        results, counted_at = quality.check_counts(user, summaries.Counts(user))
        # Until the first count in the background, those checks have no figure: not a 0 that would
        # say there is nothing to correct.
        uncounted = set(quality.COUNTED_LATER) if counted_at is None else set()
        office_ids = {office for per_office, _total, _capped in results.values() for office in per_office}
        names = office_names(office_ids)
        checks = [
            {
                "label": label,
                "total": "—" if check in uncounted else f"{total}+" if capped else total,
                "capped": capped,
                "url": list_url(check=check),
            }
            for check, label in quality.CHECK_CHOICES
            for _per_office, total, capped in [results[check]]
        ]
        offices = [
            {
                "name": names.get(office, "?"),
                "cells": [
                    (
                        None if check in uncounted else results[check][0].get(office, 0),
                        list_url(check=check, office=office),
                    )
                    for check, _label in quality.CHECK_CHOICES
                ],
            }
            for office in sorted(office_ids, key=lambda pk: names.get(pk, ""))
        ]
        return super().get_context_data(
            checks=checks,
            offices=offices,
            cap=quality.COUNT_CAP,
            counted_at=counted_at,
            uncounted=bool(uncounted),
            counted_later=[label for check, label in quality.CHECK_CHOICES if check in quality.COUNTED_LATER],
            **kwargs,
        )
