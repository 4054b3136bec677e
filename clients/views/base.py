"""What every page about one client builds on; other apps' client tabs subclass ``ClientTabMixin``."""

from audit.reads import record_client_view
from clients.models import Client
from mifos.views import ObjectMixin, ObjectTabMixin


class ClientMixin(ObjectMixin):
    """A page about one client: the client comes only from the user's scope, else 404."""

    permission_required = "clients.view_client"
    page_model = Client
    page_object_kwarg = "client_pk"
    page_object_name = "client"
    client_queryset_related = ("office", "staff", "transfer_to_office")  # the header names all three

    @property
    def page_object_related(self):
        return self.client_queryset_related

    @property
    def client(self):
        return self.page_object


class ClientTabMixin(ClientMixin, ObjectTabMixin):
    """A tab of the client page: the header, the actions and the tab bar come from client_base.html.

    A view sets ``active_tab`` (a tab registered for "clients.client" in ``mifos.tabs``) and its
    template extends ``clients/client_base.html``, filling ``{% block tab_content %}``.
    """

    tab_page = "clients.client"

    def get_context_data(self, **kwargs):
        if self.request.method == "GET":  # if head office asks: by the page's URL name, "client_family"
            page = getattr(self.request.resolver_match, "url_name", None) or self.active_tab
            record_client_view(self.request, self.client, page=page)
        return super().get_context_data(**kwargs)
