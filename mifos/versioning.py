"""No lost update: an edit is saved only over the version of the record its form was opened on.

Two clerks open the same client; the first saves a new city, the second a new locality. Without a
check the second save writes back the old city. Here a form of a history-keeping record carries
the record's version (the id of its latest history row) in a hidden field; the service, holding
the row lock, refuses a save whose version is not the latest, naming each field that changed
meanwhile with its value then and now. The refused form comes back with the clerk's input and the
new version, so saving it again (after reading what changed) is their deliberate choice.

Forms add ``VersionedFormMixin``; services call ``check_version(instance)`` under their lock.
Writes that come without a form (the importer, commands) carry no version and are not checked. A
form refuses a post of an existing record that carries no version (a page that lost its hidden field
would otherwise save unchecked), and so does the service for the record that form validated: every
page of ours renders the form's hidden fields. In Django admin, ``VersionedAdminMixin`` versions the
change form and each inline row of a history-keeping record (``VersionedInlineMixin``): a refused row
stops the whole save; admin keeps its own rules there (see ``ADMIN_FLAGS``).
"""

import functools

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.forms.models import model_to_dict
from django.http import HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _

SEEN = "_seen_version"
REQUIRED = "_version_required"  # set by a form with version_required: the service refuses no version
LOADED = "_loaded_version"  # the version read with the row itself (with_versions)


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


def with_versions(queryset):
    """``queryset`` with each record's current version read in the same query: a page of rows
    costs one query, not one more per row."""
    history = history_manager(queryset.model)
    pk_name = queryset.model._meta.pk.attname
    latest = history.filter(**{pk_name: OuterRef("pk")}).order_by("-history_id").values("history_id")[:1]
    return queryset.annotate(**{LOADED: Subquery(latest)})


def loaded_version(instance):
    """The version read with ``instance`` (``with_versions``), else read now."""
    if LOADED in instance.__dict__:
        return instance.__dict__[LOADED]
    return current_version(instance)


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
    seen, required = getattr(instance, SEEN, None), getattr(instance, REQUIRED, False)
    if seen is None and not required:
        return
    type(instance)._base_manager.select_for_update().filter(pk=instance.pk).values_list("pk").first()
    error = conflict(instance, seen, required=required)
    if error is not None:
        raise error


def conflict(instance, seen, latest=None, *, required=False):
    """The VersionConflict of saving ``instance`` edited from version ``seen``, or None.

    ``latest`` is the current version when the caller has just read it. With ``required``, a save
    that names no version (``seen`` None) of a record that has one is refused too.
    """
    latest = current_version(instance) if latest is None else latest
    if latest is None or latest == seen:
        return None
    if seen is None:
        if not required:
            return None
        message = _(
            "This page did not say which version of the record it was opened on, so saving it could "
            "undo someone else's changes. Your changes are below, not saved: check them and save again."
        )
        return VersionConflict(message, changes=[], version=latest)
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
    """A model form of a history-keeping record that carries the version it was opened on.

    ``version_required``: the form's pages always send the version, so a post without it is refused
    rather than saved unchecked (and the service, told so, refuses it too).
    ``keep_their_changes``: a refused form shows the latest values in the fields the clerk left
    alone, so that saving it again writes the clerk's changes and nothing else of their old page.
    Both are on unless a form says otherwise: a form opted out must say why.
    """

    version_required = True
    keep_their_changes = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self, "instance", None) is not None and self.instance.pk is not None:
            field = self.fields.get("version") or version_field()
            field.initial = loaded_version(self.instance)
            self.fields["version"] = field

    def clean(self):
        # Told at once, before the service; the service checks again under the row lock.
        cleaned = super().clean()
        if "version" in self.fields:
            error = self.version_conflict(cleaned.get("version"))
            if error is not None:
                self.add_error(None, error)
        return cleaned

    def version_conflict(self, seen):
        return conflict(self.instance, seen, required=self.version_required)

    def _post_clean(self):
        super()._post_clean()
        if "version" in self.fields:
            setattr(self.instance, SEEN, self.cleaned_data.get("version"))
            if self.version_required:
                setattr(self.instance, REQUIRED, True)

    def add_error(self, field, error):
        if isinstance(error, VersionConflict):
            # The clerk has now seen the other change: their next save goes over it.
            self.data = self.data.copy()
            if self.keep_their_changes and hasattr(self, "cleaned_data"):
                self._take_theirs(self.cleaned_data.get("version"))
            self.data[self.add_prefix("version")] = str(error.version)
            self.version_refusal = error
        super().add_error(field, error)

    def _take_theirs(self, seen):
        """The fields the clerk left as they were at version ``seen`` show the latest values instead:
        saving the refused form again writes what the clerk changed, not the rest of their old page
        over the other person's change (a city the clerk never touched went back to the old one)."""
        model = type(self.instance)
        history = history_manager(model)
        if seen is None or history is None or self.instance.pk is None:
            return
        then = history.filter(**{model._meta.pk.attname: self.instance.pk}, history_id=seen).first()
        now = model._base_manager.filter(pk=self.instance.pk).first()
        if then is None or now is None:
            return
        names = [name for name in self.fields if name != "version" and not self.fields[name].disabled]
        values_then = model_to_dict(then.instance, fields=names)
        values_now = model_to_dict(now, fields=names)
        for name in values_now.keys() & values_then.keys():
            field, key = self.fields[name], self.add_prefix(name)
            if field.has_changed(values_then[name], self[name].data):
                continue  # the clerk's own change stays for them to save
            if not field.has_changed(values_then[name], _posted(field, values_now[name])):
                continue  # nobody changed it
            self.data.pop(key, None)
            posted = _posted(field, values_now[name])
            if isinstance(posted, list) and hasattr(self.data, "setlist"):
                self.data.setlist(key, posted)
            elif posted is not None:
                self.data[key] = posted


def _posted(field, value):
    """``value`` (as ``model_to_dict`` gives it) as a browser would post it in ``field``, or None
    for nothing posted (an unticked box)."""
    if isinstance(field.widget, forms.CheckboxInput):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(getattr(item, "pk", item)) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(getattr(value, "pk", value))


# (version_required, keep_their_changes) of Django admin's forms: off, as before the flags existed. A
# refused admin page keeps every value the admin posted, inline rows included, and the admin sends
# them back deliberately after reading what changed (tests/test_admin_inline_versions.py); taking the
# other person's values into the fields they left alone would change what that second save writes.
ADMIN_FLAGS = (False, False)


class VersionedInlineFormMixin(VersionedFormMixin):
    """An inline row of an admin change page, versioned like the change form, with one difference.

    Django admin saves only the rows it finds changed; it compares the posted row with today's
    record, so a row the admin left alone on a stale page looked changed and was saved back with
    the values they saw, over someone else's newer ones. Here a row is compared with the version
    the admin saw: a row left alone is neither saved nor refused (the other change stays); a row
    the admin changed or marked for deletion is refused if its record changed meanwhile, and the
    refusal names the row.
    """

    version_required, keep_their_changes = ADMIN_FLAGS

    @cached_property
    def changed_data(self):
        seen = self._seen_values()
        changed = []
        for name, bound in self._bound_items():
            if name == "version":
                continue  # a version that moved is not an edit of the admin's
            if seen is not None and name in seen:
                differs = not bound.field.disabled and bound.field.has_changed(seen[name], bound.data)
            else:
                differs = bound._has_changed()
            if differs:
                changed.append(name)
        return changed

    def _seen_values(self):
        """The row's field values at the version the admin saw, when that is not the current one."""
        if "version" not in self.fields or self.instance.pk is None:
            return None
        try:
            seen = self.fields["version"].clean(self["version"].data)
        except ValidationError:
            return None
        if seen is None or seen == loaded_version(self.instance):
            return None
        model = type(self.instance)
        rows = history_manager(model).filter(**{model._meta.pk.attname: self.instance.pk})
        row = rows.filter(history_id=seen).first()
        if row is None:
            return None
        return model_to_dict(row.instance, fields=[name for name in self.fields if name != "version"])

    def version_conflict(self, seen):
        if not self.has_changed():
            return None
        error = conflict(self.instance, seen, latest=loaded_version(self.instance))
        if error is None:
            return None
        # In clean(), before the posted values reach the instance: the row is named as it is saved.
        message = _("%(kind)s “%(row)s”: %(reason)s") % {
            "kind": capfirst(self.instance._meta.verbose_name),
            "row": self.instance,
            "reason": error.messages[0],
        }
        return VersionConflict(message, changes=error.changes, version=error.version)


class VersionedFormSetMixin:
    """Inline rows of a history-keeping record. A row marked for deletion is refused like a changed
    one; Django sets aside the errors of a deleted row, so its refusal is also the formset's, and
    nothing of the page is saved."""

    def clean(self):
        super().clean()
        refused = [
            form.version_refusal
            for form in self.forms
            if self.can_delete and self._should_delete_form(form) and getattr(form, "version_refusal", None)
        ]
        if refused:
            raise ValidationError([error.messages[0] for error in refused], code="version_conflict")


class VersionedInlineMixin:
    """An admin inline whose rows carry their version: each row is checked as the change form is.

    ``VersionedAdminMixin`` puts it on every inline of a history-keeping model.
    """

    def get_queryset(self, request):
        return with_versions(super().get_queryset(request))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if "version" in flatten_fieldsets(fieldsets):
            return fieldsets
        return [*fieldsets, (None, {"fields": ["version"]})]

    def get_formset(self, request, obj=None, **kwargs):
        form, formset = kwargs.get("form", self.form), kwargs.get("formset", self.formset)
        if not issubclass(form, VersionedInlineFormMixin):
            # Declared, so that the inline's field list may name it.
            versioned_form = (VersionedInlineFormMixin, form)
            kwargs["form"] = type(form.__name__, versioned_form, {"version": version_field()})
        if not issubclass(formset, VersionedFormSetMixin):
            kwargs["formset"] = type(formset.__name__, (VersionedFormSetMixin, formset), {})
        return super().get_formset(request, obj, **kwargs)


@functools.cache
def versioned_inline(inline_class):
    """``inline_class`` with its rows versioned, when its model keeps history."""
    if history_manager(inline_class.model) is None or issubclass(inline_class, VersionedInlineMixin):
        return inline_class
    return type(inline_class.__name__, (VersionedInlineMixin, inline_class), {})


class VersionedAdminMixin:
    """Django admin's change form of a history-keeping model, with the same version check."""

    def versioned(self, obj):
        return obj is not None and history_manager(self.model) is not None

    def get_form(self, request, obj=None, **kwargs):
        if self.versioned(obj) and not issubclass(self.form, VersionedFormMixin):
            # Declared, so that the admin's field list may name it.
            bases = (VersionedFormMixin, self.form)
            flags = dict(zip(("version_required", "keep_their_changes"), ADMIN_FLAGS, strict=True))
            kwargs["form"] = type(self.form.__name__, bases, {"version": version_field(), **flags})
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.versioned(obj) and "version" not in flatten_fieldsets(fieldsets):
            return [*fieldsets, (None, {"fields": ["version"]})]
        return fieldsets

    def get_inlines(self, request, obj):
        # Every inline, so that no admin's rows are left unversioned by forgetting a mixin.
        inlines = super().get_inlines(request, obj)
        return [versioned_inline(inline) for inline in inlines] if self.versioned(obj) else inlines

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except VersionConflict as error:
            # Saved by someone else between the form's check and the service's: nothing was written.
            self.message_user(request, error.messages[0], messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
