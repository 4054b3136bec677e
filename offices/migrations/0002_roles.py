from django.db import migrations

from mifos.migration_ops import grant_permissions

# The roles' office and user permissions as they were when this migration was written;
# offices/roles.py holds today's table, and later migrations grant what was added since.
_VIEW_OFFICES = ["offices.view_office", "offices.view_staff"]
ROLES = {
    "Branch staff": _VIEW_OFFICES,
    "Branch manager": _VIEW_OFFICES,
    "Head-office admin": [
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


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [grant_permissions({"offices", "auth"}, ROLES)]
