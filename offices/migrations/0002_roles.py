from django.db import migrations

from offices.roles import grant_role_permissions


def grant(apps, schema_editor):
    grant_role_permissions(apps, {"offices", "auth"})


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
