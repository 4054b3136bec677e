"""Office names and codes are unique whatever their case and surrounding spaces.

"BR01" and "br01", or "Riverside Branch" and "riverside branch ", were two offices: two entries in
every office choice that a person could not tell apart, and one code for two client-number series.
Existing names and codes are stripped first; where two offices then share one in another case, the
oldest office keeps it and each later one gets a number: "riverside branch (2)", code "br01-2" (its
existing client numbers keep the code they were given). Offices keep no history: the renamed ones
are for head office to check and rename as they see fit.
"""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models.functions import Lower

# field -> (its length, how a number is added)
FIELDS = {"name": (100, " ({number})"), "code": (10, "-{number}")}


def _free(offices, field, value, limit, pattern):
    """``value`` with the first number no office has, in any case."""
    number = 2
    while True:
        suffix = pattern.format(number=number)
        candidate = f"{value[: limit - len(suffix)].rstrip()}{suffix}"
        if not offices.annotate(lowered=Lower(field)).filter(lowered=Lower(models.Value(candidate))).exists():
            return candidate
        number += 1


def make_names_and_codes_unique(apps, schema_editor):
    offices = apps.get_model("offices", "Office").objects.using(schema_editor.connection.alias)
    for field, (limit, pattern) in FIELDS.items():
        for office in offices.filter(**{f"{field}__regex": r"^\s|\s$"}):
            offices.filter(pk=office.pk).update(**{field: getattr(office, field).strip()})
        # Compared by the database's own lower(), as the constraint compares them.
        lowered = offices.annotate(lowered=Lower(field))
        clashes = lowered.values("lowered").annotate(count=models.Count("id")).filter(count__gt=1).order_by()
        for clash in list(clashes):
            for office in list(lowered.filter(lowered=clash["lowered"]).order_by("id"))[1:]:
                value = _free(offices, field, getattr(office, field), limit, pattern)
                offices.filter(pk=office.pk).update(**{field: value})
    if schema_editor.connection.vendor == "postgresql":
        # The updates left deferred foreign-key checks waiting, and PostgreSQL creates no index on a
        # table with checks waiting in the same transaction: run them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0004_session"),
    ]

    operations = [
        # The unique indexes that compared case and spaces go first, so that stripping may make two
        # values equal until the later one gets its number.
        migrations.AlterField(
            model_name="office",
            name="code",
            field=models.CharField(
                help_text="Short code used in client numbers, for example BR01.",
                max_length=10,
                verbose_name="code",
            ),
        ),
        migrations.AlterField(
            model_name="office",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.RunPython(make_names_and_codes_unique, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="office",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                name="offices_office_unique_name",
                violation_error_message="Another office already has this name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="office",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("code"),
                name="offices_office_unique_code",
                violation_error_message="Another office already has this code.",
            ),
        ),
    ]
