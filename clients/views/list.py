from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from clients.filters import ClientFilterSet
from mifos.pagination import InvalidCursor, paginate
from offices.scoping import sees_everything

# (label, sort value ascending, sort value descending) of the columns a person can sort by.
SORTABLE_COLUMNS = {
    "number": (_("Number"), "number", "-number"),
    "name": (_("Name"), "name", "-name"),
    "submitted": (_("Submitted"), "submitted", "-submitted"),
}


class ClientListView(PermissionRequiredMixin, TemplateView):
    """The client list: one search box, filters beside it, and pages that seek instead of count."""

    permission_required = "clients.view_client"
    template_name = "clients/client_list.html"
    per_page = 25
    # What a row shows: reading a client's sixty columns for it took a third of the page's ORM time.
    columns = (
        "account_no",
        "display_name",
        "status",
        "submitted_on",
        "office__name",
        "staff__first_name",
        "staff__last_name",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = ClientFilterSet(self.request.GET, request=self.request)
        rows = filterset.qs.select_related("office", "staff").only(*self.columns)
        parts = filterset.qs_parts()
        try:
            page = paginate(
                rows,
                after=self.request.GET.get("after"),
                before=self.request.GET.get("before"),
                per_page=self.per_page,
                parts=parts,
            )
            page_error = None
        except InvalidCursor:
            page = paginate(rows, per_page=self.per_page, parts=parts)
            page_error = _("That page link is out of date; here is the first page.")
        context.update(
            filterset=filterset,
            form=filterset.form,
            page=page,
            page_error=page_error,
            columns=self.sort_links(filterset.cleaned_data.get("sort")),
            # Clients that left by transfer belong to another office now: listed, but not opened.
            rows_link=not filterset.shows_transferred or sees_everything(self.request.user),
            shows_transferred=filterset.shows_transferred,
        )
        return context

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
