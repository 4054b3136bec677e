"""Form fields and widgets rendered with Jinja2, and the admin's and django-filter's widgets as before.

Every page renders its forms field by field, each through three or four small templates (the
field with its label and errors, the input, its attributes). In the Django template language that
cost 50 to 300 µs a widget and 250 µs a field: more than the rest of a sign-in page, and 3 ms of
the client list's filter form. Django ships its widget templates for Jinja2 too, with the same
HTML, which renders them about three times faster; our one field template (``mifos/field.html``,
used by ``{{ field.as_field_group }}``) is Jinja2 as well. The admin's and django-filter's widget
templates exist only for the Django template language and are rendered by it.
"""

from django.forms import BoundField
from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FocusingBoundField(BoundField):
    """Django's bound field; when a form comes back with errors, its first field in error takes the
    focus (the ``autofocus`` attribute, no script) and no other field does. On a long form the
    error may sit below the fold: the cursor, and a screen reader with the error it describes,
    land on it rather than at the top of the page."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.form.is_bound and not (widget or self.field.widget).is_hidden:
            first = first_field_in_error(self.form)
            if first is not None:
                attrs["autofocus"] = self.name == first
        return attrs


def first_field_in_error(form):
    """The name of the form's first field (in the form's order) with an error, or None."""
    return next((name for name in form.fields if name in form.errors), None)


class FormRenderer(BaseRenderer):
    field_template_name = "mifos/field.html"
    bound_field_class = FocusingBoundField

    def __init__(self):
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()
        # Names Jinja2 has no template for (the admin's widgets): looked for once per process, since
        # a miss searches every app's folder. The engines keep (and in DEBUG reload) the templates.
        self.django_only = set()

    def get_template(self, template_name):
        if template_name not in self.django_only:
            try:
                return self.jinja2.get_template(template_name)
            except TemplateDoesNotExist:
                self.django_only.add(template_name)
        return self.django.get_template(template_name)
