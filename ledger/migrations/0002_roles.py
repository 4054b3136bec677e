from django.db import migrations

from offices.roles import grant_role_permissions


def grant(apps, schema_editor):
    grant_role_permissions(apps, {"ledger"})


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0001_initial"),
        ("offices", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
