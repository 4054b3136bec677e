from django.db import migrations, models


def drop_repeated_numbers(apps, schema_editor):
    """Before the constraint, a client could hold one number of one type twice: keep its first record."""
    Identification = apps.get_model("clients", "Identification")
    key = ("client", "document_type", "number_normalized")
    repeated = (
        Identification.objects.values(*key)
        .annotate(count=models.Count("id"), first=models.Min("id"))
        .filter(count__gt=1)
    )
    for row in repeated:
        same = Identification.objects.filter(**{name: row[name] for name in key})
        same.exclude(pk=row["first"]).delete()


class Migration(migrations.Migration):
    dependencies = [("clients", "0011_import_run")]

    operations = [
        migrations.RunPython(drop_repeated_numbers, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="identification",
            constraint=models.UniqueConstraint(
                fields=("client", "document_type", "number_normalized"),
                name="clients_identification_once_per_client",
                violation_error_message="This client already holds this number of this type.",
            ),
        ),
    ]
