from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Groups and centers")

    def ready(self):
        from clients import extensions
        from clients.filters import add_filter
        from clients.signals import client_left, client_transferred
        from mifos import tabs

        from .filters import MembersOfGroupFilter
        from .receivers import (
            current_group_names,
            end_memberships_on_leaving,
            end_memberships_on_transfer,
            groups_waiting,
        )
        from .services import membership_bounds

        add_filter("group", MembersOfGroupFilter(), after="officer")
        extensions.add_related_names("groups", current_group_names)
        extensions.add_waiting_work(groups_waiting)
        extensions.add_leaving_bounds(membership_bounds)  # a client leaves no earlier than its groups

        client_transferred.connect(
            end_memberships_on_transfer, dispatch_uid="groups.end_memberships_on_transfer"
        )
        client_left.connect(end_memberships_on_leaving, dispatch_uid="groups.end_memberships_on_leaving")
        tabs.register(
            "clients.client",
            tabs.Tab("groups", _("Groups"), "groups:client_groups", "groups.view_group", order=50),
        )
