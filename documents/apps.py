from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from mifos import tabs

        tabs.register(
            "clients.client",
            tabs.Tab(
                "documents", _("Documents"), "documents:client_documents", "documents.view_document", order=60
            ),
        )
