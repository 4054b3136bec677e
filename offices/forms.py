"""Forms of offices and users: the choice fields for offices and credit officers, used by every
form and filter that picks one, and a user's own profile.

An institution has hundreds of offices and officers. Django's select renders each option through
a template and builds a model instance per option; these read plain values and write the select
in Python (``mifos.widgets``), so a head office's form costs milliseconds, not hundreds of them.
"""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.forms.models import ModelChoiceIterator

from mifos.widgets import PlainSelect, ValuesChoiceIterator

from .models import PATH_SEPARATOR, User

INDENT = "\u00a0\u00a0"


def tree_order(rows):
    """Offices as ``(pk, name, path)`` rows, in the order a tree is read: each office after its
    parent, sister offices by name.

    Ordering by ``path`` keeps children after their parent, but it compares ids as text: the
    office with id 10 comes before the one with id 2, so sisters stand in no order a person sees.
    """
    names = {pk: name.casefold() for pk, name, _path in rows}

    def names_from_the_root(row):
        _pk, _name, path = row
        return [names.get(int(part), "") for part in path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)]

    return sorted(rows, key=names_from_the_root)


class OfficeTreeIterator(ModelChoiceIterator):
    """The offices of a field's queryset as (pk, label): the tree in reading order, each name indented
    by its depth below the highest office listed, so that the tree reads in a plain <select>."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = tree_order(list(self.queryset.values_list("pk", "name", "path")))
        top = min((path.count(PATH_SEPARATOR) for _pk, _name, path in rows), default=0)
        for pk, name, path in rows:
            yield (pk, INDENT * (path.count(PATH_SEPARATOR) - top) + name)


class OfficeChoices:
    """For a ModelChoiceField of offices: the tree, written plainly."""

    iterator = OfficeTreeIterator
    widget = PlainSelect


class OfficerChoices:
    """For a ModelChoiceField of staff: each officer with their office."""

    iterator = ValuesChoiceIterator
    widget = PlainSelect
    label_fields = ("first_name", "last_name", "office__name")

    @staticmethod
    def label_from_values(first_name, last_name, office):
        return f"{first_name} {last_name} ({office})".strip()


class OfficeChoiceField(OfficeChoices, forms.ModelChoiceField):
    pass


class OfficerChoiceField(OfficerChoices, forms.ModelChoiceField):
    pass


class ProfileForm(forms.ModelForm):
    """What a user may change about themselves: nothing that touches their office or rights."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "language"]


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's, with the password rules under the new password worked out once per page.

    Django gives them as a lazy text, which each of its four uses on the page (whether there is
    help, the help itself, the field's aria-describedby) works out again, validator by validator:
    7 % of the page. Worked out here, in the request's language, they are the same text.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["new_password1"]
        field.help_text = str(field.help_text)
