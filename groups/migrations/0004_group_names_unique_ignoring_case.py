"""Group names are unique in their office and kind whatever their case and surrounding spaces.

Existing names are stripped first; where two groups of one office and kind then share a name in
another case ("Umoja" and "umoja "), the oldest keeps it and each later one is renamed "Umoja (2)",
"Umoja (3)"..., with a history row by the system, so that the new constraint can be created and a
person sees why the name changed.
"""

from django.db import migrations, models
from django.db.models.functions import Lower
from django.utils import timezone

REASON = "Name made unique in its office"


def _remember(Group, HistoricalGroup, group, using):
    values = {field.attname: getattr(group, field.attname) for field in Group._meta.concrete_fields}
    HistoricalGroup.objects.using(using).create(
        **values, history_date=timezone.now(), history_type="~", history_change_reason=REASON
    )


def _free_name(groups, group, base):
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = f"{base[: 100 - len(suffix)].rstrip()}{suffix}"
        taken = (
            groups.filter(office_id=group.office_id, kind=group.kind)
            .annotate(lowered=Lower("name"))
            .filter(lowered=Lower(models.Value(candidate)))
        )
        if not taken.exists():
            return candidate
        number += 1


def make_names_unique(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("groups", "Group")
    HistoricalGroup = apps.get_model("groups", "HistoricalGroup")
    groups = Group.objects.using(using)
    for group in groups.filter(name__regex=r"^\s|\s$"):
        group.name = group.name.strip()
        group.save(update_fields=["name"])
        _remember(Group, HistoricalGroup, group, using)
    # Compared by the database's own lower(), as the constraint compares them.
    lowered = groups.annotate(lowered=Lower("name"))
    clashes = (
        lowered.values("office_id", "kind", "lowered")
        .annotate(count=models.Count("id"))
        .filter(count__gt=1)
        .order_by()
    )
    for clash in list(clashes):
        same = lowered.filter(office_id=clash["office_id"], kind=clash["kind"], lowered=clash["lowered"])
        for group in list(same.order_by("id"))[1:]:
            group.name = _free_name(groups, group, group.name)
            group.save(update_fields=["name"])
            _remember(Group, HistoricalGroup, group, using)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0003_group_events"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="group",
            name="groups_group_unique_name_in_office",
        ),
        migrations.RunPython(make_names_unique, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="group",
            constraint=models.UniqueConstraint(
                models.F("office"),
                models.F("kind"),
                Lower("name"),
                name="groups_group_unique_name_in_office",
                violation_error_message="This office already has a group or center of this kind with this name.",
            ),
        ),
    ]
