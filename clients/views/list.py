from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clients.choices import ClientAction, ClientStatus
from clients.filters import ClientFilterSet, client_scope
from clients.models import ClientEvent
from mifos.pagination import count_up_to
from mifos.views import ObjectListView
from offices.scoping import sees_everything, visible_office_ids

# (label, sort value ascending, sort value descending) of the columns a person can sort by.
SORTABLE_COLUMNS = {
    "number": (_("Number"), "number", "-number"),
    "name": (_("Name"), "name", "-name"),
    "submitted": (_("Submitted"), "submitted", "-submitted"),
}

# Query parameters that are not filters: the search box, the sort order and the page links.
UNFOLDING_PARAMETERS = {"q", "sort", "after", "before"}
# The list says how many clients it holds up to this many (an officer's portfolio), "more than" beyond.
COUNT_LIMIT = 1000


def url_around_pk(name):
    """The URL of ``name`` as the text before and after its one argument, a primary key.

    The template writes each row's link as before + pk + after: one reverse() per page rather
    than one per row, which was a twentieth of the list's time.
    """
    marker = "987654321"
    before, _marker, after = reverse(name, args=[marker]).partition(marker)
    return before, after


class ClientListView(ObjectListView):
    """The client list: one search box, filters beside it, and pages that seek instead of count."""

    permission_required = "clients.view_client"
    template_name = "clients/client_list.html"
    filterset_class = ClientFilterSet
    # What a row shows: reading a client's sixty columns for it took a third of the page's ORM time.
    columns = (
        "account_no",
        "display_name",
        "status",
        "submitted_on",
        "office__name",
        "staff__first_name",
        "staff__last_name",
        "transfer_to_office_id",
    )

    def get_filterset(self):
        queryset, parts = client_scope(self.request.user, self.request.GET)
        return ClientFilterSet(self.request.GET, queryset=queryset, parts=parts, request=self.request)

    def get_rows(self, filterset):
        return filterset.qs.select_related("office", "staff").only(*self.columns)

    def get_parts(self, filterset):
        return filterset.qs_parts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filterset"]
        context.update(
            columns=self.sort_links(filterset.cleaned_data.get("sort")),
            # Clients that left by transfer belong to another office now: listed, but not opened.
            rows_link=not filterset.shows_transferred or sees_everything(self.request.user),
            row_url=url_around_pk("clients:client_detail"),
            shows_transferred=filterset.shows_transferred,
            # The filters stay folded (a phone shows the search box, then the results) unless in use.
            filters_set=any(
                value for name, value in self.request.GET.items() if name not in UNFOLDING_PARAMETERS
            ),
        )
        context["count"], context["more_than"] = self.count(filterset, context["page"])
        if filterset.shows_transferred:
            self.mark_transferred(context["page"], filterset.cleaned_data.get("office"))
        else:
            self.mark_incoming(context["page"])
        return context

    def count(self, filterset, page):
        """How many clients the list holds, as (the number, None) or (None, more than how many).

        Counted up to COUNT_LIMIT in one query that stops there, when filters alone choose the clients
        (the B-tree indexes serve them). A search is not counted: the trigram indexes find every match
        of a name or of a number fragment in every office before any is counted (30 ms for "garcia" in
        a branch; 500 ms for "+254", which nearly every phone holds, at a million clients: under 50
        users of bench/load.py the count halved the server's requests a second), where its pages walk
        the branch's clients in order and stop. It tells what its pages know: every match when they
        fit on one page.
        """
        if filterset.search_terms() is not None:
            return (None, self.per_page) if page.has_other_pages else (len(page), None)
        count = count_up_to(filterset.qs, COUNT_LIMIT)
        return (None, COUNT_LIMIT) if count is None else (count, None)

    def mark_incoming(self, page):
        """Mark ``incoming`` the clients on their way to the user's offices from another, which
        they are to accept or reject: a comparison of ids already read, no query per row."""
        office_ids = visible_office_ids(self.request.user)
        if office_ids is None:  # every office is the user's: a transfer is neither in nor out
            return
        office_ids = set(office_ids)
        for client in page:
            client.incoming = (
                client.status == ClientStatus.TRANSFER_IN_PROGRESS
                and client.office_id not in office_ids
                and client.transfer_to_office_id in office_ids
            )

    def mark_transferred(self, page, from_office):
        """Give each client that left by transfer the office it went to and the day (``transferred_to``,
        ``transferred_on``): the sending office sees it as it left, not its status or officer in the
        other office. The latest departure from the user's offices (or ``from_office``'s tree), read
        for the whole page in one query."""
        events = ClientEvent.objects.filter(
            action=ClientAction.TRANSFERRED, client__in=[client.pk for client in page]
        ).exclude(office=F("client__office"))
        office_ids = visible_office_ids(self.request.user)
        if office_ids is not None:
            events = events.filter(office__in=office_ids)
        if from_office is not None:
            events = events.filter(office__path__startswith=from_office.path)
        departures = {}
        for client_id, to_office, on in events.order_by("-effective_date", "-created_at", "-pk").values_list(
            "client_id", "to_office__name", "effective_date"
        ):
            departures.setdefault(client_id, (to_office, on))
        for client in page:
            client.transferred_to, client.transferred_on = departures.get(client.pk, ("", None))

    @staticmethod
    def sort_links(current):
        """Each sortable column: the sort its header link asks for, and how the list is sorted now."""
        columns = {}
        for key, (label, ascending, descending) in SORTABLE_COLUMNS.items():
            direction = (
                "ascending" if current == ascending else "descending" if current == descending else None
            )
            columns[key] = {
                "label": label,
                "sort": descending if current == ascending else ascending,
                "direction": direction,
            }
        return columns
