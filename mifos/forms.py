"""Form pieces every app's forms share: the browser's date picker, an action's effective date, and
amounts as people type them."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .money import parse_amount


class DateInput(forms.DateInput):
    """The browser's date picker; the ISO format is what it reads and sends, whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


EFFECTIVE_DATE = _("Effective date")


def effective_date_field(label=EFFECTIVE_DATE, *, help_text=""):
    """The day an action takes effect, today by default (services refuse a date in the future)."""
    return forms.DateField(label=label, initial=timezone.localdate, widget=DateInput, help_text=help_text)


def note_field():
    """The free-text note an action may carry into its record."""
    return forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AmountField(forms.DecimalField):
    """An amount in a text box, read as a person writes it (``mifos.money.parse_amount``), with the
    phone's decimal keypad. Not the browser's number box, which sent 375 for "3,75": a deposit a
    hundred times larger than the one counted."""

    widget = forms.TextInput

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_amount(str(value))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None
