"""Receivers that turn what other apps do into events, without those apps knowing about audit.

Connected in ``AuditConfig.ready()``: sign-in and sign-out (Django's auth signals), password changes
(the user model's save), lifecycle actions (the timeline's rows), every history row that
simple-history writes for clients, groups and their parts (pages, admin, imports and commands
alike), and Django admin's own log.
"""

from django.contrib.auth import get_user_model

from .recording import current_request, office_id_of, record

# simple-history writes a history row for these apps' models; each becomes an event, unless the code
# that made the change records its own (``audit.without_history_event``).
HISTORY_APPS = {"clients", "groups", "documents"}
HISTORY_VERBS = {"+": "created", "~": "changed", "-": "deleted"}
RECORDED_BY_CALLER = "_audit_recorded_by_caller"


def _actor(user=None):
    """The request when its user is the one acting (it gives the address), else the user."""
    request = current_request()
    if request is not None and getattr(request, "user", None) is not None:
        if user is None or request.user.pk == getattr(user, "pk", None):
            return request
    return user


def signed_in(sender, request, user, **kwargs):
    record(request if request is not None else user, "auth.user.signed_in", obj=user, office=user.office_id)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in ``credentials``; only the user name is kept.
    username = str(credentials.get("username") or "")[:150]
    tried = get_user_model().objects.filter(username=username).only("pk", "office_id", "username").first()
    record(
        request,
        "auth.user.sign_in_failed",
        obj=tried,
        office=tried.office_id if tried else None,
        username=username,
    )


def signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    request_user = getattr(request, "user", None)
    # At sign-out the request may already be anonymous; the user is named explicitly.
    event_actor = request if request_user is not None and request_user.pk == user.pk else user
    record(event_actor, "auth.user.signed_out", obj=user, office=user.office_id)


def password_saved(sender, instance, created, **kwargs):
    # set_password() keeps the raw password on the instance until save() has run: its presence
    # after the row is written means the password was changed. The password itself is never read.
    if created or getattr(instance, "_password", None) is None:
        return
    record(_actor(), "auth.user.password_changed", obj=instance, office=instance.office_id)


def timeline_event(sender, instance, created, **kwargs):
    """Mirror a row of a client's (or group's) timeline as "<app>.<model>.<action>"."""
    if not created:
        return
    subject = getattr(instance, "client", None) or getattr(instance, "group", None)
    details = {"effective_date": getattr(instance, "effective_date", None)}
    for name in ("from_status", "to_status", "note"):
        if getattr(instance, name, ""):
            details[name] = getattr(instance, name)
    for name in ("to_office", "staff", "reason"):
        # As names, as a group's timeline keeps them: the log reads them without a lookup, and they
        # still say who and where after the records change.
        if getattr(instance, f"{name}_id", None) is not None:
            details[name] = str(getattr(instance, name))
    if isinstance(getattr(instance, "details", None), dict):
        details.update(instance.details)
    # Groups name their actions in full already ("groups.group.activated"); clients by the verb alone.
    name = instance.action if "." in instance.action else f"{subject._meta.label_lower}.{instance.action}"
    record(
        _actor(getattr(instance, "created_by", None)),
        name,
        obj=subject,
        office=getattr(instance, "office_id", None) or subject.office_id,
        # A transfer concerns the receiving office too: it sees the proposal and the decision.
        other_office=getattr(instance, "to_office_id", None),
        **details,
    )


def history_row(sender, instance, history_instance, history_user=None, **kwargs):
    """Every change of a client, a group or one of their parts, however it was made."""
    opts = instance._meta
    if opts.app_label not in HISTORY_APPS or instance.__dict__.pop(RECORDED_BY_CALLER, False):
        return
    verb = HISTORY_VERBS.get(history_instance.history_type, "changed")
    details = {"history_id": history_instance.pk}
    if getattr(instance, "client_id", None) is not None:
        details["client"] = instance.client_id  # the activity log links a part to its client
    record(_actor(history_user), f"{opts.label_lower}.{verb}", obj=instance, **details)


def admin_log(sender, instance, created, **kwargs):
    """Django admin's own log of a change: who, what, and admin's description of the change."""
    if not created:
        return
    verb = {1: "added", 2: "changed", 3: "deleted"}.get(instance.action_flag, "changed")
    target = None
    if instance.action_flag != 3 and instance.content_type_id:
        target = instance.content_type.model_class()._default_manager.filter(pk=instance.object_id).first()
    record(
        _actor(instance.user),
        f"admin.object.{verb}",
        obj=target,
        office=office_id_of(target) if target is not None else None,
        model=str(instance.content_type.name) if instance.content_type_id else "",
        object=instance.object_repr,
        change=instance.get_change_message(),
    )
