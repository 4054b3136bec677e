from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Clients")

    def ready(self):
        from mifos import tabs

        for tab in (
            tabs.Tab("overview", _("Overview"), "clients:client_detail", order=0),
            tabs.Tab(
                "identifications",
                _("Identifications"),
                "clients:client_identifications",
                "clients.view_identification",
                order=10,
            ),
            tabs.Tab("family", _("Family"), "clients:client_family", "clients.view_familymember", order=20),
            tabs.Tab("notes", _("Notes"), "clients:client_notes", "clients.view_note", order=30),
            tabs.Tab("timeline", _("Timeline"), "clients:client_timeline", order=40),
        ):
            tabs.register("clients.client", tab)
