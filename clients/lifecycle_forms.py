"""One small form per lifecycle action. They read what the action needs and never act:
the views hand ``cleaned_data`` to the function of the same name in ``clients.lifecycle``,
whose keyword arguments are the forms' field names (``on``, ``reason``, ``note``, ...)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mifos.forms import effective_date_field, note_field
from offices.forms import OfficeChoiceField, OfficerChoiceField
from offices.models import Office, Staff

from .choices import ReasonKind
from .models import ClientActionReason

EFFECTIVE_DATE_HELP = _("The day it takes effect: today or earlier.")


class ClientActionForm(forms.Form):
    """The effective date of an action on ``client``; each action's form adds what it asks for."""

    on = effective_date_field(help_text=EFFECTIVE_DATE_HELP)

    def __init__(self, *args, client, user, **kwargs):
        self.client = client
        self.user = user
        super().__init__(*args, **kwargs)


class NoteActionForm(ClientActionForm):
    note = note_field()


class ReasonActionForm(NoteActionForm):
    """An action that asks a reason from the list head office keeps in admin."""

    kind = None
    field_order = ["reason", "on", "note"]

    reason = forms.ModelChoiceField(label=_("Reason"), queryset=ClientActionReason.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = ClientActionReason.objects.active().filter(kind=self.kind)


class RejectForm(ReasonActionForm):
    kind = ReasonKind.REJECTION


class WithdrawForm(ReasonActionForm):
    kind = ReasonKind.WITHDRAWAL


class CloseForm(ReasonActionForm):
    kind = ReasonKind.CLOSURE


class ProposeTransferForm(NoteActionForm):
    """The sending office proposes; it may name any other office, even one it does not see."""

    field_order = ["to_office", "on", "note"]

    to_office = OfficeChoiceField(label=_("Transfer to"), queryset=Office.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_office"].queryset = Office.objects.exclude(pk=self.client.office_id)


class TransferForm(NoteActionForm):
    """A transfer in one step, between offices the user sees, optionally with a new credit officer."""

    field_order = ["to_office", "staff", "on", "note"]

    to_office = OfficeChoiceField(label=_("Transfer to"), queryset=Office.objects.none())
    staff = OfficerChoiceField(
        label=_("New credit officer"),
        queryset=Staff.objects.none(),
        required=False,
        help_text=_("Leave empty to keep the current officer if they serve the new office."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offices = Office.objects.visible_to(self.user)
        self.fields["to_office"].queryset = offices.exclude(pk=self.client.office_id)
        self.fields["staff"].queryset = Staff.objects.available_to(self.user)


class AcceptTransferForm(NoteActionForm):
    field_order = ["staff", "on", "note"]

    staff = OfficerChoiceField(
        label=_("New credit officer"),
        queryset=Staff.objects.none(),
        required=False,
        help_text=_("Optional: a credit officer of the receiving office or an office above it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.serving(self.client.transfer_to_office)


class AssignOfficerForm(ClientActionForm):
    field_order = ["staff", "on"]

    staff = OfficerChoiceField(label=_("Credit officer"), queryset=Staff.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.serving(self.client.office).exclude(
            pk=self.client.staff_id
        )


FORMS = {
    "activate": ClientActionForm,
    "reject": RejectForm,
    "withdraw": WithdrawForm,
    "undo_rejection": NoteActionForm,
    "undo_withdrawal": NoteActionForm,
    "close": CloseForm,
    "reactivate": NoteActionForm,
    "propose_transfer": ProposeTransferForm,
    "transfer": TransferForm,
    "withdraw_transfer": NoteActionForm,
    "accept_transfer": AcceptTransferForm,
    "reject_transfer": NoteActionForm,
    "assign_officer": AssignOfficerForm,
    "unassign_officer": ClientActionForm,
}


class OfficerReassignForm(forms.Form):
    """Hand every client of one credit officer to another (for example when an officer leaves)."""

    from_staff = OfficerChoiceField(
        label=_("Clients of"),
        queryset=Staff.objects.none(),
        help_text=_("Officers who left are listed too."),
    )
    to_staff = OfficerChoiceField(label=_("Hand them to"), queryset=Staff.objects.none())
    on = effective_date_field(help_text=EFFECTIVE_DATE_HELP)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["from_staff"].queryset = Staff.objects.visible_to(user).filter(is_credit_officer=True)
        self.fields["to_staff"].queryset = Staff.objects.available_to(user)
