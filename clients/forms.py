"""Forms of the client registry. They validate (through the model layer and the registration
checks) and never save: the views hand the result to ``clients.registration``."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mifos.forms import AmountField, DateInput
from mifos.versioning import VersionedFormMixin
from offices.forms import OfficeChoiceField, OfficerChoiceField
from offices.models import Office, Staff
from offices.scoping import user_office

from . import registration
from .choices import LegalForm
from .models import Client, FamilyMember, Identification, IdentificationType, Note


def limit_to_active(field, current_id):
    """Offer the active entries of a lookup list, and the one already chosen even if retired since."""
    field.queryset = field.queryset.filter(Q(is_active=True) | Q(pk=current_id))


INDIVIDUAL_FIELDS = [
    "first_name",
    "middle_name",
    "last_name",
    "gender",
    "date_of_birth",
    "marital_status",
    "dependents",
    "occupation",
    "education_level",
    "monthly_income",
]
CORPORATE_FIELDS = [
    "business_name",
    "registration_number",
    "incorporation_date",
    "legal_structure",
    "business_line",
    "contact_person",
]
CONTACT_FIELDS = ["mobile_phone", "email", "external_id"]
ADDRESS_FIELDS = ["address_line", "locality", "city", "region", "postal_code", "country"]
REGISTRATION_FIELDS = ["office", "staff", "submitted_on"]
LOOKUP_FIELDS = ["occupation", "education_level", "legal_structure", "business_line"]


class RegistrationNumberFormMixin:
    """A client form that shows registration's refusal of a business's registration number (held by
    another business) on the form, before the service refuses it on saving. Set ``user``."""

    user = None

    def _post_clean(self):
        super()._post_clean()
        if "registration_number" in self.fields and "registration_number" not in self.errors:
            try:
                registration.check_registration_number(self.instance, by=self.user)
            except ValidationError as error:
                self.add_error(None, error)


class ClientForm(RegistrationNumberFormMixin, VersionedFormMixin, forms.ModelForm):
    """A client's own fields, grouped in sections. Office and officer change through the lifecycle."""

    legal_form = None
    sections = []
    identifications = ()  # the unsaved identifications a registration form collects

    confirm_duplicates = forms.BooleanField(
        label=_("I checked: this is a different client. Save anyway."), required=False
    )

    class Meta:
        model = Client
        fields = []
        widgets = {"date_of_birth": DateInput, "incorporation_date": DateInput, "submitted_on": DateInput}
        field_classes = {
            "office": OfficeChoiceField,
            "staff": OfficerChoiceField,
            "monthly_income": AmountField,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance.legal_form = self.legal_form
        self.duplicates = []
        # What the saved client shares with others was checked when it was saved: an edit asks again
        # only when it gives the client a name, a birth date or a phone it did not have.
        self.saved_duplicate_keys = (
            set(registration.duplicate_keys(self.instance)) if self.instance.pk else set()
        )
        for name in LOOKUP_FIELDS:
            if name in self.fields:
                limit_to_active(self.fields[name], getattr(self.instance, f"{name}_id"))
        for name in Client.REQUIRED_FIELDS[self.legal_form]:
            self.fields[name].required = True

    def fieldsets(self):
        """(legend, bound fields) for each section, in order."""
        return [
            (legend, [self[name] for name in names if name in self.fields]) for legend, names in self.sections
        ]

    def _post_clean(self):
        super()._post_clean()
        if self.errors or set(registration.duplicate_keys(self.instance)) <= self.saved_duplicate_keys:
            return
        self.duplicates = registration.possible_duplicates(self.instance, by=self.user)
        if self.duplicates and not self.cleaned_data.get("confirm_duplicates"):
            self.add_error(
                None,
                _("This may be a client who is already registered. Check the clients listed, then confirm."),
            )


class IndividualClientForm(ClientForm):
    legal_form = LegalForm.INDIVIDUAL
    sections = [
        (_("Person"), INDIVIDUAL_FIELDS),
        (_("Contact"), CONTACT_FIELDS),
        (_("Address"), ADDRESS_FIELDS),
    ]

    class Meta(ClientForm.Meta):
        fields = [*INDIVIDUAL_FIELDS, *CONTACT_FIELDS, *ADDRESS_FIELDS]


class CorporateClientForm(ClientForm):
    legal_form = LegalForm.CORPORATE
    sections = [
        (_("Business"), CORPORATE_FIELDS),
        (_("Contact"), CONTACT_FIELDS),
        (_("Address"), ADDRESS_FIELDS),
    ]

    class Meta(ClientForm.Meta):
        fields = [*CORPORATE_FIELDS, *CONTACT_FIELDS, *ADDRESS_FIELDS]


class NewClientFormMixin:
    """Registration also asks where the client belongs, who looks after them and since when."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.visible_to(self.user)
        self.fields["staff"].queryset = Staff.objects.available_to(self.user)
        self.fields["staff"].help_text = _(
            "An active credit officer of the client's office or of an office above it."
        )
        self.fields["submitted_on"].help_text = _("The day the client applied; not in the future.")
        self.initial.setdefault("submitted_on", timezone.localdate())
        office = user_office(self.user)
        if office is not None:
            self.initial.setdefault("office", office.pk)
        officer = Staff.objects.credit_officers().filter(user=self.user).first() if self.user.pk else None
        if officer is not None:
            self.initial.setdefault("staff", officer.pk)


class NewIndividualClientForm(NewClientFormMixin, IndividualClientForm):
    """Registering a person, with a number for each identification type the institution requires."""

    class Meta(IndividualClientForm.Meta):
        fields = [*REGISTRATION_FIELDS, *IndividualClientForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.required_types = list(IdentificationType.objects.active().filter(is_required=True))
        for kind in self.required_types:
            self.fields[self.identification_field(kind)] = forms.CharField(
                label=kind.name, max_length=100, help_text=kind.format_example
            )
        self.identifications = []
        self.sections = [
            (_("Registration"), REGISTRATION_FIELDS),
            *self.sections[:1],
            (_("Identifications"), [self.identification_field(kind) for kind in self.required_types]),
            *self.sections[1:],
        ]

    @staticmethod
    def identification_field(kind):
        return f"identification_{kind.pk}"

    def _post_clean(self):
        self.identifications = [self._identification(kind) for kind in self.required_types]
        super()._post_clean()

    def _identification(self, kind):
        """A validated, unsaved identification; its errors go next to its field."""
        name = self.identification_field(kind)
        identification = Identification(document_type=kind, number=self.cleaned_data.get(name, ""))
        if name in self.cleaned_data:
            try:
                identification.full_clean(exclude=["client"])
                registration.check_identification_unique(identification, by=self.user)
            except ValidationError as error:
                for message in error.message_dict.values():
                    self.add_error(name, message)
        return identification


class NewCorporateClientForm(NewClientFormMixin, CorporateClientForm):
    class Meta(CorporateClientForm.Meta):
        fields = [*REGISTRATION_FIELDS, *CorporateClientForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = [(_("Registration"), REGISTRATION_FIELDS), *self.sections]


def client_form_class(legal_form, *, new):
    forms_by_legal_form = {
        LegalForm.INDIVIDUAL: (IndividualClientForm, NewIndividualClientForm),
        LegalForm.CORPORATE: (CorporateClientForm, NewCorporateClientForm),
    }
    return forms_by_legal_form[legal_form][new]


class ClientPartForm(VersionedFormMixin, forms.ModelForm):
    """A record that belongs to one client; the client and the user come from the page."""

    def __init__(self, *args, client, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.client = client
        self.user = user


class UncheckedModelForm(forms.ModelForm):
    """A model form that changes none of its record's fields, so runs none of the record's checks."""

    def _post_clean(self):
        pass


class ClientPartDeleteForm(VersionedFormMixin, UncheckedModelForm):
    """The confirmation of a removal: it carries the version of the record the user was shown, so
    that a record someone changed meanwhile is not removed unseen. The record is not validated: one
    that a rule tightened since no longer fits (an identification number of an old format) is removed,
    not refused (with an error on a field the page does not show, a server error)."""


def client_part_delete_form(model):
    return forms.modelform_factory(model, form=ClientPartDeleteForm, fields=[])


class IdentificationForm(ClientPartForm):
    class Meta:
        model = Identification
        fields = [
            "document_type",
            "number",
            "issued_by",
            "issue_date",
            "expiry_date",
            "is_active",
            "description",
        ]
        widgets = {"issue_date": DateInput, "expiry_date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_active(self.fields["document_type"], self.instance.document_type_id)

    def _post_clean(self):
        super()._post_clean()
        if "number" in self.errors or "document_type" in self.errors:
            return
        try:
            registration.check_identification_unique(self.instance, by=self.user)
        except ValidationError as error:
            self.add_error(None, error)


class FamilyMemberForm(ClientPartForm):
    class Meta:
        model = FamilyMember
        fields = [
            "first_name",
            "last_name",
            "relationship",
            "gender",
            "date_of_birth",
            "is_dependent",
            "occupation",
            "phone",
        ]
        widgets = {"date_of_birth": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_active(self.fields["relationship"], self.instance.relationship_id)
        limit_to_active(self.fields["occupation"], self.instance.occupation_id)


class NoteForm(ClientPartForm):
    """A note's text. Versioned like the other records of a client (VersionedFormMixin's defaults): its
    author and a manager may both change it, and the second save from an older page is refused rather
    than putting back the text the first one replaced."""

    class Meta:
        model = Note
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"text": {"required": _("Write the note.")}}  # as the model says it


class NoteFilterForm(forms.Form):
    """The notes tab's filters: a date range and an author among those who wrote on this client."""

    written_from = forms.DateField(label=_("Written from"), required=False, widget=DateInput)
    written_until = forms.DateField(label=_("Until"), required=False, widget=DateInput)
    author = forms.ModelChoiceField(label=_("Author"), queryset=None, required=False, empty_label=_("Anyone"))

    def __init__(self, *args, authors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = authors

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("written_from"), cleaned.get("written_until")
        if start and end and end < start:
            self.add_error("written_until", _("The end of the range cannot be before its start."))
        return cleaned
