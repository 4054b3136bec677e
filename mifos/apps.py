from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MifosConfig(AppConfig):
    """The project package as an app: the receivers shared by every app, and the admin's safety net."""

    name = "mifos"
    verbose_name = _("Back-office")

    def ready(self):
        from django.contrib import admin

        from . import receivers  # noqa: F401
        from .admin import make_every_admin_safe

        # Every app's admin module is imported by now (the admin app comes first and autodiscovers).
        make_every_admin_safe(admin.site)
