"""Forms of the ledger's pages. They read what a service needs and never act: the views hand
``cleaned_data`` to the service of the same keyword arguments (``amount``, ``on``, ``receipt``, ...)."""

import re
import secrets
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mifos.forms import AmountField, DateInput

from .choices import POSTINGS
from .models import MONEY, Account, Product

TOKEN_BYTES = 16
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,40}")


def date_field(label=None):
    return forms.DateField(
        label=label or _("Date"),
        initial=timezone.localdate,
        widget=DateInput,
        help_text=_("Today or earlier."),
    )


def reason_field():
    return forms.CharField(label=_("Reason"), max_length=200)


class OpenAccountForm(forms.Form):
    """The product and opening date of a new account of ``holder`` (a client or a group)."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    on = date_field(_("Opening date"))

    def __init__(self, *args, holder, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.offered_to(holder)


class PostingForm(forms.Form):
    """A deposit or withdrawal on savings, a disbursement or repayment on a loan."""

    kind = forms.ChoiceField(label=_("Transaction"))
    amount = AmountField(label=_("Amount"), min_value=Decimal("0.01"), **MONEY)
    on = date_field()
    receipt = forms.CharField(label=_("Receipt reference"), max_length=50, required=False)
    # One-time: the same form sent twice posts once (services.post). Drawn anew for each blank form;
    # a form shown again with its errors keeps its own, since nothing was posted with it.
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in POSTINGS[account.kind]]
        self.fields["amount"].help_text = account.product.currency
        if not self.is_bound:
            self.fields["token"].initial = secrets.token_urlsafe(TOKEN_BYTES)

    def clean_token(self):
        """A token the form did not draw (edited, from a script) is no token: it only loses its own
        protection, and no one could read an error on a hidden field."""
        token = self.cleaned_data["token"]
        return token if TOKEN.fullmatch(token) else ""


class ReverseForm(forms.Form):
    reason = reason_field()
    on = date_field()


class EndAccountForm(forms.Form):
    """The date of closing a savings account or marking a loan repaid, on the action's own page."""

    on = date_field()


class ActivateAccountForm(forms.Form):
    """The date a pending account is approved, on the account page."""

    on = date_field(_("Activation date"))

    def __init__(self, *args, **kwargs):
        # Ids of their own: the account page may show this form beside the statement's dates.
        kwargs.setdefault("auto_id", "activate_%s")
        super().__init__(*args, **kwargs)


class WriteOffForm(forms.Form):
    reason = reason_field()
    on = date_field()


class DateRangeForm(forms.Form):
    """From and Until, either left open; the end may not come before the start. The one rule of a
    range of dates, for the Transactions tab and the statement alike."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_until = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_until") and data["date_from"] > data["date_until"]:
            self.add_error("date_until", _("The end of the range cannot be before its start."))
        return data


class TransactionFilterForm(DateRangeForm):
    """The client's Transactions tab: one account, a date range."""

    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none(), required=False)
    field_order = ["account", "date_from", "date_until"]

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts


class StatementForm(DateRangeForm):
    """An account's statement, all of it or between two dates."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "statement_%s")
        super().__init__(*args, **kwargs)
