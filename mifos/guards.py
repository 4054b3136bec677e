"""Checks that every app's services share.

A form hides the fields an edit may not change; a service must refuse them as well, because the
admin's history revert, the importer and commands reach the service without that form.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def refuse_changes(instance, reasons):
    """Raise ValidationError, keyed by field, for each field of ``reasons`` that ``instance`` changes.

    ``reasons`` maps a field name to the message saying how that field does change (a readable
    sentence, such as "The office changes only through a transfer."). The saved row is read under a
    row lock, so an action running at the same moment is not silently undone by a stale edit.
    """
    model = type(instance)
    fields = [model._meta.get_field(name) for name in reasons]
    rows = model._base_manager.select_for_update().filter(pk=instance.pk)
    saved = rows.values(*(field.attname for field in fields)).first()
    if saved is None:
        raise ValidationError(
            _("This %(model)s no longer exists.") % {"model": model._meta.verbose_name}, code="missing"
        )
    errors = {
        field.name: ValidationError(reasons[field.name], code="not_by_editing")
        for field in fields
        if field.to_python(getattr(instance, field.attname)) != saved[field.attname]
    }
    if errors:
        raise ValidationError(errors)
