from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    name = "offices"
    verbose_name = _("Offices and staff")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import delete_expired_sessions

        user_logged_in.connect(delete_expired_sessions, dispatch_uid="offices.delete_expired_sessions")
