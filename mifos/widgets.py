"""Form widgets and choice lists of our own, for selects with hundreds of options."""

from html import escape

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """A <select> written out in Python rather than with one template per option.

    Same HTML as Django's Select, but Django renders each option through a template, which costs
    about a millisecond per ten options: tens of milliseconds for a head office choosing among
    hundreds of offices and officers on every list page.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                group = "".join(self._option(value, text, selected) for value, text in label)
                options.append(f'<optgroup label="{escape(str(option_value))}">{group}</optgroup>')
            else:
                options.append(self._option(option_value, label, selected))
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),
        )

    @staticmethod
    def _option(value, label, selected):
        value = "" if value is None else str(value)
        chosen = " selected" if value in selected else ""
        return f'<option value="{escape(value)}"{chosen}>{escape(str(label))}</option>'


class ValuesChoiceIterator(ModelChoiceIterator):
    """Choices read as plain values: no model instance per option, no server-side cursor.

    A head office picks among hundreds of offices and officers on every list page.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, *values in self.queryset.values_list("pk", *self.field.label_fields):
            yield (pk, self.field.label_from_values(*values))


MAX_LISTED_CHOICES = 100


def list_choices(field, *, selected=None, limit=MAX_LISTED_CHOICES):
    """List the choices of ``field``'s select now, in one query: at most ``limit``, ``selected`` first.

    A select of every officer or group of a large institution would outweigh the page it is on
    and grow with the data. ``field`` is a ModelChoiceField with ``label_fields`` and
    ``label_from_values`` (see ValuesChoiceIterator); it still accepts its whole queryset.
    Returns True when some choices were left out, so that the page can say how to narrow the list.
    """
    queryset = field.queryset
    if selected is not None:
        first = Case(When(pk=selected.pk, then=Value(0)), default=Value(1), output_field=IntegerField())
        queryset = queryset.order_by(first, *(queryset.query.order_by or queryset.model._meta.ordering))
    rows = list(queryset.values_list("pk", *field.label_fields)[: limit + 1])
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.widget.choices = empty + [(pk, field.label_from_values(*values)) for pk, *values in rows[:limit]]
    return len(rows) > limit


class DateRangeWidget(django_filters.widgets.DateRangeWidget):
    """The two date pickers of a "between" filter, each with a name a screen reader says.

    The filter's <label> names the first input ("Submitted between"); ``until_label`` ("Submitted
    until") names the second, which would otherwise be read as an unlabelled date box.
    """

    def __init__(self, *, until_label, attrs=None):
        super().__init__(attrs={"type": "date", **(attrs or {})})
        self.until_label = until_label

    def id_for_label(self, id_):
        # Django's MultiWidget ties its label to none of its inputs; ours names the first.
        return f"{id_}_0" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["subwidgets"][-1]["attrs"]["aria-label"] = str(self.until_label)
        return context
