"""The activity log: one append-only table of events, each chained to the one before by a hash."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from mifos.singleton import SingletonModel
from offices.models import Office
from offices.scoping import OfficeScopedQuerySet, visible_office_ids


class EventQuerySet(OfficeScopedQuerySet):
    """Events are scoped by the offices they concern: their office and, for an event that concerns a
    second one (a transfer's receiving office, or the office of a user who read a client of another),
    that one too. Events about no office are head office's."""

    @staticmethod
    def visible_parts(user):
        """What ``user`` may see as disjoint filters, or None for everything: the events of their
        offices, and those of other offices that concern theirs as well. Apart, each walks its own
        index in the log's order (``mifos.pagination.paginate``)."""
        office_ids = visible_office_ids(user)
        if office_ids is None:
            return None
        own = models.Q(office__in=office_ids)
        return [own, models.Q(other_office__in=office_ids) & ~own]

    def visible_to(self, user):
        parts = self.visible_parts(user)
        if parts is None:
            return self.all()
        own, concerning = parts
        return self.filter(own | concerning)


def _kept(model, verbose_name):
    # The event outlives what it names: no cascade, no SET NULL (the table refuses UPDATE),
    # no database constraint; the plain-text columns beside keep the names.
    return models.ForeignKey(
        model,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )


class Event(models.Model):
    """One thing a person (or the system) did: append-only, never changed, never deleted.

    ``sequence`` numbers the chain without gaps and ``hash`` covers the event's content and the
    previous event's hash, so ``manage.py verify_audit`` finds an altered or a missing event. Both
    are set once, when the event is sealed just after its transaction commits (audit.recording.seal).
    """

    # Both empty until the event is sealed into the chain, just after its transaction commits.
    sequence = models.BigIntegerField(_("sequence number"), unique=True, null=True, editable=False)
    created_at = models.DateTimeField(_("when"), editable=False)
    actor = _kept(settings.AUTH_USER_MODEL, _("user"))
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    event = models.CharField(_("event"), max_length=100)
    content_type = _kept(ContentType, _("kind of object"))
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    office = _kept(Office, _("office"))
    # A second office the event concerns, which sees it too: the receiving office of a transfer, or
    # the office of a user who read or decided about a client of another office (one on its way in).
    other_office = _kept(Office, _("other office"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    remote_addr = models.GenericIPAddressField(_("address"), null=True, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("activity log")
        ordering = ["-created_at", "-id"]
        # Each filter of the activity log walks its own index in the list's order.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="audit_event_recent"),
            models.Index(fields=["office", "-created_at", "-id"], name="audit_event_office"),
            # The few events that concern a second office, walked as the first.
            models.Index(
                fields=["other_office", "-created_at", "-id"],
                condition=models.Q(other_office__isnull=False),
                name="audit_event_other_office",
            ),
            models.Index(fields=["actor", "-created_at", "-id"], name="audit_event_actor"),
            models.Index(fields=["event", "-created_at", "-id"], name="audit_event_kind"),
            models.Index(fields=["content_type", "object_id", "-created_at"], name="audit_event_object"),
            # The few events waiting to be sealed, in order: the sealer reads them without a scan.
            models.Index(
                fields=["id"], condition=models.Q(sequence__isnull=True), name="audit_event_waiting"
            ),
        ]

    def __str__(self):
        return f"{self.event} {self.object_repr}".strip()


class ChainHead(models.Model):
    """The last event of the chain, in one row: writers lock it, so events chain one after another."""

    sequence = models.BigIntegerField(_("sequence number"), default=0)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("chain head")
        verbose_name_plural = _("chain head")

    def __str__(self):
        return f"{self.sequence} {self.hash}"


class AuditRules(SingletonModel):
    """What head office chooses to record beyond what is always recorded."""

    record_client_views = models.BooleanField(
        _("record views of client pages"),
        default=False,
        help_text=_("Some regulators require a record of who opened each client's page."),
    )

    class Meta:
        verbose_name = _("audit rules")
        verbose_name_plural = _("audit rules")

    def __str__(self):
        return str(_("Audit rules"))
