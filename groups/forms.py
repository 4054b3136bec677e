"""Forms of the group pages. They validate input; ``groups.services`` acts on it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.filters import SearchField
from clients.models import Client
from mifos.forms import DateInput, effective_date_field
from mifos.versioning import VersionedFormMixin
from offices.forms import OfficeChoiceField, OfficerChoiceField
from offices.models import Office, Staff

from .choices import GroupKind
from .models import Group, GroupClosureReason, GroupRole, Membership, MembershipEndReason


class GroupForm(VersionedFormMixin, forms.ModelForm):
    """Details of a group or a center. Its office and credit officer are chosen once, at creation."""

    class Meta:
        model = Group
        fields = [
            "kind",
            "name",
            "office",
            "parent",
            "staff",
            "external_id",
            "submitted_on",
            "meeting_day",
            "meeting_time",
            "meeting_frequency",
        ]
        widgets = {
            "kind": forms.HiddenInput,
            "submitted_on": DateInput,
            "meeting_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        field_classes = {"office": OfficeChoiceField, "staff": OfficerChoiceField}

    def __init__(self, *args, user, kind=GroupKind.GROUP, **kwargs):
        super().__init__(*args, **kwargs)
        creating = self.instance.pk is None
        if creating:
            self.instance.kind = kind
            self.fields["office"].queryset = Office.objects.visible_to(user)
            self.fields["office"].initial = getattr(user, "office", None)
            self.fields["staff"].queryset = Staff.objects.available_to(user)
        else:
            # Moving a group to another office is a transfer, and its officer has its own action.
            # Shown, not chosen: its own office alone, not every office of the institution.
            self.fields["office"].disabled = True
            self.fields["office"].queryset = Office.objects.filter(pk=self.instance.office_id)
            del self.fields["staff"]
        # Kind takes part in the unique name check, so it stays a (fixed) field of the form.
        self.fields["kind"].disabled = True
        self.fields["kind"].initial = self.instance.kind
        if self.instance.kind == GroupKind.CENTER:
            del self.fields["parent"]
        else:
            centers = Group.objects.visible_to(user).centers_for(self.instance)
            self.fields["parent"].queryset = centers.select_related("office")
            self.fields["parent"].label_from_instance = lambda center: f"{center} ({center.office})"


class ActivateForm(forms.Form):
    on = effective_date_field(_("Activation date"))


class CloseForm(forms.Form):
    on = effective_date_field(_("Closure date"))
    reason = forms.ModelChoiceField(label=_("Reason"), queryset=GroupClosureReason.objects.active())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class OfficerForm(forms.Form):
    staff = OfficerChoiceField(label=_("Credit officer"), queryset=Staff.objects.none())
    on = effective_date_field(_("Members' new officer from"))
    move_members = forms.BooleanField(
        label=_("Also make this officer the credit officer of every current member"), required=False
    )

    def __init__(self, *args, group, may_move_members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.serving(group.office)
        self.fields["staff"].initial = group.staff_id
        if not may_move_members:
            del self.fields["move_members"]


class AddMemberForm(forms.Form):
    """Clients ticked among the search results, and the date they join."""

    clients = forms.ModelMultipleChoiceField(
        label=_("Clients"),
        queryset=Client.objects.none(),
        error_messages={"required": _("Tick at least one client.")},
    )
    on = effective_date_field(_("Joining date"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Any client the user may see; services.add_member decides who may join.
        self.fields["clients"].queryset = Client.objects.visible_to(user)


class RemoveMemberForm(forms.Form):
    on = effective_date_field(_("Leaving date"))
    reason = forms.ModelChoiceField(label=_("Reason"), queryset=MembershipEndReason.objects.active())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MoveMemberForm(forms.Form):
    to_group = forms.ModelChoiceField(label=_("Move to group"), queryset=Group.objects.none())
    on = effective_date_field(_("Date of the move"))

    def __init__(self, *args, group, client, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Not the groups the client is in already (this one among them): a move there is refused.
        self.fields["to_group"].queryset = (
            Group.objects.visible_to(user)
            .groups()
            .open()
            .filter(office=group.office)
            .exclude(pk=group.pk)
            .exclude(pk__in=Membership.objects.current().filter(client=client).values("group"))
        )


class RoleForm(forms.Form):
    client = forms.ModelChoiceField(label=_("Member"), queryset=Client.objects.none())
    role = forms.ModelChoiceField(
        label=_("Role"), queryset=GroupRole.objects.active(), required=False, empty_label=_("No role")
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(
            group_memberships__group=group, group_memberships__left_on__isnull=True
        )


class MembershipDateForm(forms.Form):
    """``?on=`` of a group page: show the members on that date instead of today."""

    on = forms.DateField(label=_("Members on"), required=False, widget=DateInput())


class GroupSearchForm(forms.Form):
    """``?q=`` of the add-member page."""

    # The client list's search box: a term too short to search for is an error next to it.
    q = SearchField(label=_("Name or client number"), required=False)
