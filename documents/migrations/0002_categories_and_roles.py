from django.contrib.auth.management import create_permissions
from django.db import migrations

ALL_TYPES = ["application/pdf", "image/jpeg", "image/png", "image/webp"]
IMAGES = ["image/jpeg", "image/png", "image/webp"]
# (name, position, allowed types): head office edits them in admin afterwards.
CATEGORIES = [
    ("Identification", 10, ALL_TYPES),
    ("Proof of address", 20, ALL_TYPES),
    ("Contract", 30, ALL_TYPES),
    ("Photo", 40, IMAGES),
    ("Other", 90, ALL_TYPES),
]

# The roles' document permissions as they were when this migration was written (offices/roles.py
# holds today's table): a frozen copy, so that later changes there cannot break a fresh database.
_WORK = [
    "view_document",
    "add_document",
    "download_document",
    "view_clientphoto",
    "add_clientphoto",
    "change_clientphoto",
    "delete_clientphoto",
]
_DECISIONS = ["delete_document"]
_LOOKUPS = [
    f"{action}_{model}"
    for model in ("documentcategory", "documentrules")
    for action in ("view", "add", "change")
]
ROLES = {
    "Branch staff": _WORK,
    "Branch manager": [*_WORK, *_DECISIONS],
    "Head-office admin": [*_WORK, *_DECISIONS, *_LOOKUPS],
}


def seed(apps, schema_editor):
    DocumentCategory = apps.get_model("documents", "DocumentCategory")
    for name, position, types in CATEGORIES:
        DocumentCategory.objects.get_or_create(
            name=name, defaults={"position": position, "allowed_types": types}
        )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_config = apps.get_app_config("documents")
    # A migration's app configs look model-less to create_permissions; say otherwise.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    for role, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="documents", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("offices", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
