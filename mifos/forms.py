"""Form pieces every app's forms share: the browser's date picker and an action's effective date."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
