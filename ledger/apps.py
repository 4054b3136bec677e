from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("Accounts")

    def ready(self):
        from mifos import tabs

        tabs.register(
            "clients.client",
            tabs.Tab("accounts", _("Accounts"), "ledger:client_accounts", "ledger.view_account", order=70),
        )
        tabs.register(
            "clients.client",
            tabs.Tab(
                "transactions",
                _("Transactions"),
                "ledger:client_transactions",
                "ledger.view_transaction",
                order=75,
            ),
        )
