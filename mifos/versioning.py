"""No lost update: an edit is saved only over the version of the record its form was opened on.

Two clerks open the same client; the first saves a new city, the second a new locality. Without a
check the second save writes back the old city. Here a form of a history-keeping record carries
the record's version (the id of its latest history row) in a hidden field; the service, holding
the row lock, refuses a save whose version is not the latest, naming each field that changed
meanwhile with its value then and now. The refused form comes back with the clerk's input and the
new version, so saving it again (after reading what changed) is their deliberate choice.

Forms add ``VersionedFormMixin``; services call ``check_version(instance)`` under their lock.
Writes that come without a form (the importer, commands) carry no version and are not checked.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

SEEN = "_seen_version"


def history_manager(model):
    name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, name) if name else None


def current_version(instance):
    """The id of ``instance``'s latest history row, or None (not saved, or no history kept)."""
    history = history_manager(type(instance))
    if instance.pk is None or history is None:
        return None
    pk_name = type(instance)._meta.pk.attname
    latest = history.filter(**{pk_name: instance.pk}).order_by("-history_id")
    return latest.values_list("history_id", flat=True).first()


class VersionConflict(ValidationError):
    """The record changed after the form was opened; ``changes`` lists (field label, then, now)."""

    def __init__(self, message, *, changes, version):
        super().__init__(message, code="version_conflict")
        self.changes, self.version = changes, version


def _shown(value):
    return "—" if value in (None, "") else str(value)


def changes_between(instance, seen, latest):
    """(label, value then, value now) for each field that differs between two history rows."""
    history = history_manager(type(instance))
    rows = {row.history_id: row for row in history.filter(history_id__in=[seen, latest])}
    if seen not in rows or latest not in rows:
        return []
    then, now = rows[seen], rows[latest]
    changes = []
    for change in now.diff_against(then).changes:
        field = type(instance)._meta.get_field(change.field)
        if field.is_relation:
            before, after = getattr(then.instance, field.name, None), getattr(now.instance, field.name, None)
        else:
            before, after = change.old, change.new
        changes.append((str(field.verbose_name), _shown(before), _shown(after)))
    return changes


def check_version(instance):
    """Refuse the save of ``instance`` if it was edited from an older version than the latest.

    Call it in the service's transaction, after locking the row (``select_for_update``), so that
    two saves at the same moment are served one after the other and the second is refused.
    """
    seen = getattr(instance, SEEN, None)
    if seen is None:
        return
    type(instance)._base_manager.select_for_update().filter(pk=instance.pk).values_list("pk").first()
    error = conflict(instance, seen)
    if error is not None:
        raise error


def conflict(instance, seen):
    """The VersionConflict of saving ``instance`` edited from version ``seen``, or None."""
    latest = current_version(instance)
    if seen is None or latest is None or latest == seen:
        return None
    changes = changes_between(instance, seen, latest)
    described = "; ".join(
        _("%(field)s: %(then)s → %(now)s") % {"field": label, "then": then, "now": now}
        for label, then, now in changes
    )
    message = _("Someone else saved this record while you were editing it")
    message += f" ({described}). " if described else ". "
    message += _("Your changes are below, not saved: check them against theirs and save again.")
    return VersionConflict(message, changes=changes, version=latest)


def version_field():
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionedFormMixin:
    """A model form of a history-keeping record that carries the version it was opened on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self, "instance", None) is not None and self.instance.pk is not None:
            field = self.fields.get("version") or version_field()
            field.initial = current_version(self.instance)
            self.fields["version"] = field

    def clean(self):
        # Told at once, before the service; the service checks again under the row lock.
        cleaned = super().clean()
        if "version" in self.fields:
            error = conflict(self.instance, cleaned.get("version"))
            if error is not None:
                self.add_error(None, error)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if "version" in self.fields:
            setattr(self.instance, SEEN, self.cleaned_data.get("version"))

    def add_error(self, field, error):
        if isinstance(error, VersionConflict):
            # The clerk has now seen the other change: their next save goes over it.
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = str(error.version)
        super().add_error(field, error)


class VersionedAdminMixin:
    """Django admin's change form of a history-keeping model, with the same version check."""

    def versioned(self, obj):
        return obj is not None and history_manager(self.model) is not None

    def get_form(self, request, obj=None, **kwargs):
        if self.versioned(obj) and not issubclass(self.form, VersionedFormMixin):
            # Declared, so that the admin's field list may name it.
            bases = (VersionedFormMixin, self.form)
            kwargs["form"] = type(self.form.__name__, bases, {"version": version_field()})
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.versioned(obj) and "version" not in flatten_fieldsets(fieldsets):
            return [*fieldsets, (None, {"fields": ["version"]})]
        return fieldsets

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except VersionConflict as error:
            # Saved by someone else between the form's check and the service's: nothing was written.
            self.message_user(request, error.messages[0], messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
