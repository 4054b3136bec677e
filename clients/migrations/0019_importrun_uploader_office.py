"""Runs keep the office their uploader worked in when the file came in (it was read through the
user, and so followed them to another branch). Earlier runs take their uploader's office of today,
or their default office when nobody's is known."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    ImportRun = apps.get_model("clients", "ImportRun")
    User = apps.get_model("offices", "User")
    offices = dict(User.objects.filter(office__isnull=False).values_list("pk", "office_id"))
    for run in ImportRun.objects.filter(uploader_office__isnull=True).only("pk", "user_id", "office_id"):
        ImportRun.objects.filter(pk=run.pk).update(uploader_office_id=offices.get(run.user_id, run.office_id))


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0018_person_duplicates_index"),
        ("offices", "0007_single_head_office"),
    ]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="uploader_office",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="offices.office",
                verbose_name="uploader's office",
                help_text="Where the uploader worked when the file came in: that office and those above it see the run.",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="importrun",
            name="uploader_office",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="offices.office",
                verbose_name="uploader's office",
                help_text="Where the uploader worked when the file came in: that office and those above it see the run.",
            ),
        ),
    ]
