"""A client who is closed, or whose application is rejected or withdrawn, leaves their groups and centers.

The new causes of a membership's end name why. Clients already in such a status who are still current
members leave now as they would have then: on the day their status changed (or the day they joined,
if later), with the client's reason as the note, an entry in the group's history and a history row
by the system, so that a person sees why they left.
"""

from django.db import migrations, models
from django.utils import timezone

CAUSES = {
    # client status: (membership end cause, its label as the group's history writes it)
    "closed": ("client_closed", "Client closed"),
    "rejected": ("client_rejected", "Client rejected"),
    "withdrawn": ("client_withdrawn", "Client withdrew"),
}
MEMBER_LEFT = "groups.group.member_left"
HISTORY_REASON = "Client left the institution"


def _reason(ClientEvent, client, using):
    """The name of the reason of the client's last change to its status, or ""."""
    event = (
        ClientEvent.objects.using(using)
        .filter(client_id=client.pk, action=client.status, reason__isnull=False)
        .select_related("reason")
        .order_by("-effective_date", "-id")
        .first()
    )
    return event.reason.name if event else ""


def end_memberships_of_clients_who_left(apps, schema_editor):
    using = schema_editor.connection.alias
    Membership = apps.get_model("groups", "Membership")
    HistoricalMembership = apps.get_model("groups", "HistoricalMembership")
    GroupEvent = apps.get_model("groups", "GroupEvent")
    ClientEvent = apps.get_model("clients", "ClientEvent")
    memberships = (
        Membership.objects.using(using)
        .filter(left_on__isnull=True, client__status__in=CAUSES)
        .select_related("client", "group")
        .order_by("id")
    )
    now = timezone.now()
    for membership in list(memberships):  # all read before the first is changed
        client = membership.client
        cause, label = CAUSES[client.status]
        reason = _reason(ClientEvent, client, using)
        membership.left_on = max(client.status_changed_on or now.date(), membership.joined_on)
        membership.end_cause = cause
        membership.end_note = reason
        membership.save(update_fields=["left_on", "end_cause", "end_note"])
        values = {
            field.attname: getattr(membership, field.attname) for field in Membership._meta.concrete_fields
        }
        HistoricalMembership.objects.using(using).create(
            **values, history_date=now, history_type="~", history_change_reason=HISTORY_REASON
        )
        GroupEvent.objects.using(using).create(
            group_id=membership.group_id,
            action=MEMBER_LEFT,
            effective_date=membership.left_on,
            office_id=membership.group.office_id,
            note=reason,
            details={"client": f"{client.display_name} ({client.account_no})", "reason": label},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0015_quality_counts"),
        ("groups", "0004_group_names_unique_ignoring_case"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalmembership",
            name="end_cause",
            field=models.CharField(
                blank=True,
                choices=[
                    ("removed", "Removed from the group"),
                    ("moved", "Moved to another group"),
                    ("transferred", "Client transferred to another office"),
                    ("group_closed", "Group closed"),
                    ("client_closed", "Client closed"),
                    ("client_rejected", "Client rejected"),
                    ("client_withdrawn", "Client withdrew"),
                ],
                max_length=20,
                verbose_name="how it ended",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="end_cause",
            field=models.CharField(
                blank=True,
                choices=[
                    ("removed", "Removed from the group"),
                    ("moved", "Moved to another group"),
                    ("transferred", "Client transferred to another office"),
                    ("group_closed", "Group closed"),
                    ("client_closed", "Client closed"),
                    ("client_rejected", "Client rejected"),
                    ("client_withdrawn", "Client withdrew"),
                ],
                max_length=20,
                verbose_name="how it ended",
            ),
        ),
        migrations.RunPython(end_memberships_of_clients_who_left, migrations.RunPython.noop),
    ]
