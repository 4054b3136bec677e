"""Roles are Django groups; this table says which permissions each role holds.

Each app's data migration applies the rows of its own app label with
``grant_role_permissions`` so that roles grow with the apps that need them.
"""

from django.contrib.auth.management import create_permissions
from django.utils.translation import gettext_lazy as _

BRANCH_STAFF = "Branch staff"
BRANCH_MANAGER = "Branch manager"
HEAD_OFFICE_ADMIN = "Head-office admin"

ROLE_LABELS = {
    BRANCH_STAFF: _("Branch staff"),
    BRANCH_MANAGER: _("Branch manager"),
    HEAD_OFFICE_ADMIN: _("Head-office admin"),
}

_VIEW_OFFICES = ["offices.view_office", "offices.view_staff"]

ROLE_PERMISSIONS = {
    BRANCH_STAFF: [*_VIEW_OFFICES],
    BRANCH_MANAGER: [*_VIEW_OFFICES],
    HEAD_OFFICE_ADMIN: [
        *_VIEW_OFFICES,
        "offices.add_office",
        "offices.change_office",
        "offices.add_staff",
        "offices.change_staff",
        "offices.delete_staff",
        "offices.view_user",
        "offices.add_user",
        "offices.change_user",
        "auth.view_group",
    ],
}


def grant_role_permissions(apps, app_labels):
    """Create the roles if needed and grant them their permissions of ``app_labels``.

    Called from data migrations, where permissions of a fresh database do not exist yet
    (Django creates them after the last migration), so they are created here first.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_config in apps.get_app_configs():
        if app_config.label in app_labels:
            # A migration's app configs look model-less to create_permissions; say otherwise.
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None
    for role, permissions in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        for dotted in permissions:
            app_label, codename = dotted.split(".")
            if app_label in app_labels:
                group.permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
