"""A client holds one active identification of a type at a time.

Before the constraint, a client could hold two active documents of one type (an old passport and
its renewal, both ticked Active). Of those, the one recorded last stays active and the others are
marked inactive: nothing is deleted, and each change has a history row that says why.
"""

from django.db import migrations, models
from django.utils import timezone

REASON = "migration: one active identification of a type per client"


def deactivate_all_but_the_latest(apps, schema_editor):
    Identification = apps.get_model("clients", "Identification")
    HistoricalIdentification = apps.get_model("clients", "HistoricalIdentification")
    repeated = (
        Identification.objects.filter(is_active=True)
        .values("client", "document_type")
        .annotate(count=models.Count("id"), latest=models.Max("id"))
        .filter(count__gt=1)
        .order_by()
    )
    now = timezone.now()
    for row in repeated.iterator():
        older = Identification.objects.filter(
            client=row["client"], document_type=row["document_type"], is_active=True
        ).exclude(pk=row["latest"])
        history = []
        for identification in older:
            identification.is_active = False
            values = {
                field.attname: getattr(identification, field.attname)
                for field in Identification._meta.concrete_fields
            }
            history.append(
                HistoricalIdentification(
                    **values,
                    history_date=now,
                    history_type="~",
                    history_change_reason=REASON,
                    history_user=None,
                )
            )
        older.update(is_active=False)
        HistoricalIdentification.objects.bulk_create(history)


class Migration(migrations.Migration):
    dependencies = [("clients", "0015_quality_counts")]

    operations = [
        migrations.RunPython(deactivate_all_but_the_latest, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="identification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_active", True)),
                fields=("client", "document_type"),
                name="clients_identification_one_active_per_type",
                violation_error_message=(
                    "This client already holds an active identification of this type: mark that one "
                    "inactive first, or record this one as inactive."
                ),
            ),
        ),
    ]
