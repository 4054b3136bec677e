from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from django.apps import apps
        from django.contrib.admin.models import LogEntry
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import post_save
        from simple_history.signals import post_create_historical_record

        from mifos import tabs

        from . import receivers

        user_logged_in.connect(receivers.signed_in, dispatch_uid="audit.signed_in")
        user_login_failed.connect(receivers.sign_in_failed, dispatch_uid="audit.sign_in_failed")
        user_logged_out.connect(receivers.signed_out, dispatch_uid="audit.signed_out")
        post_save.connect(
            receivers.password_saved, sender=get_user_model(), dispatch_uid="audit.password_saved"
        )
        post_create_historical_record.connect(receivers.history_row, dispatch_uid="audit.history_row")
        post_save.connect(receivers.admin_log, sender=LogEntry, dispatch_uid="audit.admin_log")
        # Timelines of clients and (once it exists) of groups: each row is a lifecycle action.
        for label in ("clients.ClientEvent", "groups.GroupEvent"):
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            post_save.connect(receivers.timeline_event, sender=model, dispatch_uid=f"audit.timeline.{label}")

        tabs.register(
            "clients.client",
            tabs.Tab("history", _("History"), "audit:client_history", "clients.view_client", order=90),
        )
