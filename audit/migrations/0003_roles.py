from django.db import migrations

from offices.roles import grant_role_permissions


def grant(apps, schema_editor):
    grant_role_permissions(apps, {"audit"})


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        ("offices", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
