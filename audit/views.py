"""Pages of the audit app: the activity log (and its CSV export) and a client's History tab."""

import csv
import heapq
import itertools

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from clients.models import Client
from clients.views.registry import ClientTabMixin
from mifos import csvcells
from mifos.pagination import InvalidCursor, paginate
from offices.models import SYSTEM_USERNAME

from . import details, history, kinds
from .filters import EventFilterSet
from .recording import record

EXPORT_LIMIT = 100_000


class EventListView(PermissionRequiredMixin, TemplateView):
    """What users did, newest first: filters in a bookmarkable URL, pages that seek, never count."""

    permission_required = "audit.view_event"
    template_name = "audit/event_list.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = EventFilterSet(self.request.GET, request=self.request)
        rows = filterset.qs.select_related("content_type")
        parts = filterset.qs_parts()
        page_error = None
        try:
            page = paginate(
                rows,
                after=self.request.GET.get("after"),
                before=self.request.GET.get("before"),
                per_page=self.per_page,
                parts=parts,
            )
        except InvalidCursor:
            page = paginate(rows, per_page=self.per_page, parts=parts)
            page_error = _("That page link is out of date; here is the first page.")
        add_links(page.object_list, self.request.user)
        context.update(
            form=filterset.form, page=page, page_error=page_error, kinds=sorted(kinds.KINDS.items())
        )
        return context


def add_links(events, user):
    """Set ``link``, ``kind_label``, ``details_shown`` and ``actor_shown`` on each event: a link to its
    object when ``user`` may see it, its kind, its details and who did it as a person reads them (the
    system user's name, as no one's, is "the system" in the reader's language).

    A client's page (for the client, or for one of its parts: the client is named in the details) or
    a group's, when it is in the user's scope: one query per kind of object for the whole page.
    """
    from groups.models import Group

    pages = {
        ContentType.objects.get_for_model(Client).pk: (Client, "clients:client_detail"),
        ContentType.objects.get_for_model(Group).pk: (Group, "groups:group_detail"),
    }
    client_type = ContentType.objects.get_for_model(Client).pk
    wanted = {}  # content type -> {object id: [events]}
    for event in events:
        event.kind_label = kinds.label(event.event)
        event.details_shown = details.readable(event)
        event.actor_shown = (
            event.actor_name if event.actor_name not in ("", SYSTEM_USERNAME) else _("the system")
        )
        event.link = None
        target = None
        if event.content_type_id in pages and event.object_id.isdigit():
            target = (event.content_type_id, int(event.object_id))
        elif isinstance(event.details, dict) and isinstance(event.details.get("client"), int):
            target = (client_type, event.details["client"])
        if target is not None:
            wanted.setdefault(target[0], {}).setdefault(target[1], []).append(event)
    for type_id, by_pk in wanted.items():
        model, url_name = pages[type_id]
        for pk in model.objects.visible_to(user).filter(pk__in=by_pk).values_list("pk", flat=True):
            for event in by_pk[pk]:
                event.link = reverse(url_name, args=[pk])


class EventExportView(PermissionRequiredMixin, View):
    """The activity log under the same filter, as CSV; the export is itself an event.

    Each event by its readable kind (its code in the last column) and its details as JSON."""

    permission_required = "audit.view_event"
    columns = (
        _("When"),
        _("User"),
        _("Event"),
        _("Object"),
        _("Object id"),
        _("Office"),
        _("Address"),
        _("Details"),
        _("Event code"),
    )

    def get(self, request):
        filterset = EventFilterSet(request.GET, request=request)
        response = HttpResponse(content_type=csvcells.CONTENT_TYPE)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="activity-{stamp}.csv"'
        response.write(csvcells.BOM)
        writer = csv.writer(response)
        writer.writerow([str(column) for column in self.columns])
        count = 0
        for event in exported_events(filterset):
            # Every cell, not only the object's name: a failed sign-in's user name is what a stranger typed.
            row = csvcells.safe_row(
                [
                    timezone.localtime(event.created_at).isoformat(timespec="seconds"),
                    event.actor_name,
                    str(kinds.label(event.event)),
                    event.object_repr,
                    event.object_id,
                    event.office.name if event.office else "",
                    event.remote_addr or "",
                    # As stored, in JSON: a program reads it back, a person reads the page.
                    details.as_json(event.details),
                    event.event,
                ]
            )
            writer.writerow(row)
            count += 1
        record(request, "audit.event.exported", rows=count, filter=filterset.applied())
        return response


def exported_events(filterset):
    """The export's events, newest first, at most ``EXPORT_LIMIT``: each part of the user's scope
    (``qs_parts``) read on its own, walking its own index, and the two merged as they come."""
    parts = filterset.qs_parts() or [filterset.qs]
    streams = [part.select_related("office")[:EXPORT_LIMIT].iterator(chunk_size=2000) for part in parts]
    if len(streams) == 1:
        return streams[0]
    merged = heapq.merge(*streams, key=lambda event: (event.created_at, event.pk), reverse=True)
    return itertools.islice(merged, EXPORT_LIMIT)


class ClientHistoryView(ClientTabMixin, TemplateView):
    """Every change of the client and of the parts the user may view, newest first, each field as
    "label: old -> new"."""

    template_name = "audit/client_history.html"
    active_tab = "history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_error = None
        user = self.request.user
        try:
            after = self.request.GET.get("after") or None
            entries, next_cursor = history.entries(self.client, after=after, user=user)
        except InvalidCursor:
            entries, next_cursor = history.entries(self.client, user=user)
            page_error = _("That page link is out of date; here is the first page.")
        context.update(
            entries=entries,
            next_cursor=next_cursor,
            is_first_page=not self.request.GET.get("after"),
            page_error=page_error,
        )
        return context
