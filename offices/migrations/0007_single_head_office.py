"""There is one head office, and the database now holds to it.

The unique index on ``parent`` limited to offices without a parent never refused a second one: NULLs
are distinct in a unique index. The new one indexes a value every such office shares, on PostgreSQL
and SQLite alike. A database that already has two offices without a parent stops here, naming them:
which one is the head office, and where the others belong, is for head office to decide, since every
user of such an office sees every office.
"""

import django.db.models.functions.comparison
from django.db import migrations, models


def refuse_several_head_offices(apps, schema_editor):
    offices = apps.get_model("offices", "Office").objects.using(schema_editor.connection.alias)
    roots = list(offices.filter(parent=None).order_by("pk").values_list("pk", "code", "name"))
    if len(roots) > 1:
        named = ", ".join(f"{name} (id {pk}, code {code})" for pk, code, name in roots)
        raise RuntimeError(
            f"Several offices have no parent office: {named}. Only the head office may have none: give "
            "the others a parent office (in admin, or with the shell), then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0006_roles_by_their_name"),
    ]

    operations = [
        migrations.RunPython(refuse_several_head_offices, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="office",
            name="offices_office_single_head_office",
        ),
        migrations.AddConstraint(
            model_name="office",
            constraint=models.UniqueConstraint(
                django.db.models.functions.comparison.Coalesce("parent", models.Value(0)),
                condition=models.Q(("parent__isnull", True)),
                name="offices_office_single_head_office",
                violation_error_message="There is already a head office; choose a parent office.",
            ),
        ),
    ]
