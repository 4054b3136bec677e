from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MifosConfig(AppConfig):
    """The project package as an app, only to connect the receivers shared by every app."""

    name = "mifos"
    verbose_name = _("Back-office")

    def ready(self):
        from . import receivers  # noqa: F401
