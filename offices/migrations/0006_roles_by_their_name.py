"""Roles under their own name (offices.Role, a proxy of Django's groups), so that admin no longer
shows "Groups" beside the clients' groups. Whoever could view, add, change or delete groups now
may do the same with roles: the proxy has permissions of its own."""

import django.contrib.auth.models
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

ACTIONS = ("view", "add", "change", "delete")


def move_to_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_config = apps.get_app_config("offices")
    # A migration's app configs look model-less to create_permissions; say otherwise.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    for action in ACTIONS:
        old = Permission.objects.filter(content_type__app_label="auth", codename=f"{action}_group").first()
        new = Permission.objects.get(content_type__app_label="offices", codename=f"{action}_role")
        if old is None:
            continue
        for group in Group.objects.filter(permissions=old):
            group.permissions.add(new)
            group.permissions.remove(old)


def back_to_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for action in ACTIONS:
        old = Permission.objects.filter(content_type__app_label="auth", codename=f"{action}_group").first()
        new = Permission.objects.filter(content_type__app_label="offices", codename=f"{action}_role").first()
        if old is None or new is None:
            continue
        for group in Group.objects.filter(permissions=new):
            group.permissions.add(old)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("offices", "0005_office_name_and_code_unique_ignoring_case"),
    ]

    operations = [
        migrations.CreateModel(
            name="Role",
            fields=[],
            options={
                "verbose_name": "role",
                "verbose_name_plural": "roles",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("auth.group",),
            managers=[
                ("objects", django.contrib.auth.models.GroupManager()),
            ],
        ),
        migrations.AlterField(
            model_name="user",
            name="groups",
            field=models.ManyToManyField(
                blank=True,
                help_text="The user holds every permission of each of their roles, in the offices they see.",
                related_name="user_set",
                related_query_name="user",
                to="auth.group",
                verbose_name="roles",
            ),
        ),
        migrations.RunPython(move_to_roles, back_to_groups),
    ]
