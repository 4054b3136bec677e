"""Pages of the ledger: the client's Accounts and Transactions tabs, the account page and its actions.

Views stay thin: the forms read, ``ledger.services`` acts, and its TransitionError goes back to the
form. An account or transaction comes only from ``visible_to(user)``: another office's answers 404.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from audit import record
from audit.reads import record_client_view
from clients.choices import ClientStatus
from clients.views.registry import ClientTabMixin
from groups.choices import GroupStatus
from groups.models import Group
from mifos.pagination import InvalidCursor, paginate
from mifos.views import show_refusal

from . import services
from .choices import AccountStatus, ProductKind, TransactionKind
from .forms import (
    ActivateAccountForm,
    EndAccountForm,
    OpenAccountForm,
    PostingForm,
    ReverseForm,
    StatementForm,
    TransactionFilterForm,
    WriteOffForm,
)
from .models import Account, Transaction
from .statements import Statement, as_csv, as_pdf

HISTORY_PAGE = 25


def keyset_page(request, rows, per_page=HISTORY_PAGE):
    """The page of ``rows`` the request's cursor asks for, and an error if the cursor was stale."""
    try:
        return paginate(
            rows, after=request.GET.get("after"), before=request.GET.get("before"), per_page=per_page
        ), None
    except InvalidCursor:
        return paginate(rows, per_page=per_page), _("That page link is out of date; here is the first page.")


class OpenAccountMixin:
    """POST of an accounts page's form: a manager opens a savings account or a loan for
    ``account_holder()`` (a client or a group); the service refuses what the page does not offer."""

    def account_holder(self):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        if not self.may_open():
            raise PermissionDenied
        form = OpenAccountForm(request.POST, holder=self.account_holder())
        if form.is_valid():
            try:
                account = services.open_account(self.account_holder(), by=request.user, **form.cleaned_data)
            except services.TransitionError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Account %(account)s is open.") % {"account": account})
                return redirect(account)
        return self.render_to_response(self.get_context_data(open_form=form))


# --- The client's tabs ------------------------------------------------------------------------------------


class ClientAccountsView(ClientTabMixin, TemplateView):
    """Each of the client's accounts with its product, number, status, balance and last transaction."""

    permission_required = ("clients.view_client", "ledger.view_account")
    template_name = "ledger/client_accounts.html"
    active_tab = "accounts"

    def may_open(self):
        user = self.request.user
        return user.has_perm("ledger.add_account") and self.client.may_be_changed_by(user)

    def get_context_data(self, open_form=None, **kwargs):
        accounts = self.client.accounts.select_related("product").order_by("kind", "opened_on", "pk")
        # Offered to active clients only; the service refuses the others whatever is posted.
        if open_form is None and self.may_open() and self.client.status == ClientStatus.ACTIVE:
            open_form = OpenAccountForm(holder=self.client)
        return super().get_context_data(accounts=accounts, open_form=open_form, **kwargs)


class AccountOpenView(OpenAccountMixin, ClientAccountsView):
    """POST of the Accounts tab's form: a manager opens a savings account or a loan."""

    http_method_names = ["post"]

    def has_permission(self):
        return super().has_permission() and self.may_open()

    def account_holder(self):
        return self.client


class GroupAccountsView(OpenAccountMixin, PermissionRequiredMixin, TemplateView):
    """A group's or center's own accounts (joint-liability loans, group savings); a manager opens one here."""

    permission_required = ("groups.view_group", "ledger.view_account")
    template_name = "ledger/group_accounts.html"

    @cached_property
    def group(self):
        groups = Group.objects.visible_to(self.request.user).select_related("office", "parent")
        return get_object_or_404(groups, pk=self.kwargs["group_pk"])

    def may_open(self):
        return self.request.user.has_perm("ledger.add_account")

    def get_context_data(self, open_form=None, **kwargs):
        accounts = self.group.accounts.select_related("product").order_by("kind", "opened_on", "pk")
        # Offered to active groups only; the service refuses the others whatever is posted.
        if open_form is None and self.may_open() and self.group.status == GroupStatus.ACTIVE:
            open_form = OpenAccountForm(holder=self.group)
        return super().get_context_data(group=self.group, accounts=accounts, open_form=open_form, **kwargs)

    def account_holder(self):
        return self.group


class ClientTransactionsView(ClientTabMixin, TemplateView):
    """All the client's transactions across accounts, newest first, by account and date range."""

    permission_required = ("clients.view_client", "ledger.view_transaction")
    template_name = "ledger/client_transactions.html"
    active_tab = "transactions"

    @cached_property
    def filter_form(self):
        accounts = self.client.accounts.select_related("product").order_by("kind", "opened_on", "pk")
        return TransactionFilterForm(self.request.GET or None, accounts=accounts)

    def get_context_data(self, **kwargs):
        # The client's own column, so the page is one range of the (client, date, id) index.
        rows = Transaction.objects.filter(client=self.client).select_related(
            "account__product", "reverses", "reversed_by"
        )
        if self.filter_form.is_valid():
            filters = self.filter_form.cleaned_data
            if filters["account"]:
                rows = rows.filter(account=filters["account"])
            if filters["date_from"]:
                rows = rows.filter(date__gte=filters["date_from"])
            if filters["date_until"]:
                rows = rows.filter(date__lte=filters["date_until"])
        page, page_error = keyset_page(self.request, rows.order_by("-date", "-id"))
        return super().get_context_data(
            filter_form=self.filter_form, page=page, page_error=page_error, **kwargs
        )


# --- The account page --------------------------------------------------------------------------------


class AccountMixin(PermissionRequiredMixin):
    """A page about one account, found only in the user's scope (else 404). ``changes`` marks a page
    that acts on the account: only the office holding its client or group may open it (else 403);
    the receiving office of a client on its way in reads the account, as it reads the client."""

    permission_required = "ledger.view_account"
    changes = False

    def has_permission(self):
        return super().has_permission() and (
            not self.changes or self.account.may_be_changed_by(self.request.user)
        )

    @cached_property
    def account(self):
        accounts = Account.objects.visible_to(self.request.user).select_related(
            "product", "client__office", "group__office"
        )
        return get_object_or_404(accounts, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.account, **kwargs)


class AccountDetailView(AccountMixin, TemplateView):
    """The account with its history (newest first, with the balance after each), and its actions."""

    template_name = "ledger/account_detail.html"

    def get_context_data(self, posting_form=None, activate_form=None, statement_form=None, **kwargs):
        account, user = self.account, self.request.user
        if self.request.method == "GET" and account.client_id:  # a client's money, as their tabs show it
            record_client_view(self.request, account.client, page="account_detail")
        rows = account.transactions.select_related("reverses", "reversed_by").order_by("-date", "-id")
        page, page_error = keyset_page(self.request, rows)
        changeable = account.may_be_changed_by(user)
        active = changeable and account.status == AccountStatus.ACTIVE
        if posting_form is None and active and user.has_perm("ledger.add_transaction"):
            posting_form = PostingForm(account=account)
        if (
            activate_form is None
            and changeable
            and account.status == AccountStatus.PENDING
            and user.has_perm("ledger.add_account")
        ):
            activate_form = ActivateAccountForm()
        may_end = active and user.has_perm("ledger.close_account")
        return super().get_context_data(
            page=page,
            page_error=page_error,
            posting_form=posting_form,
            may_close=may_end and account.kind == ProductKind.SAVINGS,
            may_mark_repaid=may_end and account.kind == ProductKind.LOAN,
            may_write_off=active
            and account.kind == ProductKind.LOAN
            and user.has_perm("ledger.write_off_account"),
            activate_form=activate_form,
            may_reverse=active and user.has_perm("ledger.reverse_transaction"),
            reversal=TransactionKind.REVERSAL,
            statement_form=statement_form
            or (StatementForm() if user.has_perm("ledger.view_transaction") else None),
            **kwargs,
        )


class AccountPostView(AccountDetailView):
    """POST of the account page's form: a teller posts a transaction."""

    permission_required = ("ledger.view_account", "ledger.add_transaction")
    http_method_names = ["post"]
    changes = True

    def post(self, request, *args, **kwargs):
        form = PostingForm(request.POST, account=self.account)
        if form.is_valid():
            data = form.cleaned_data
            try:
                posted = services.post(
                    self.account,
                    data["kind"],
                    amount=data["amount"],
                    on=data["on"],
                    by=request.user,
                    receipt=data["receipt"],
                    token=data["token"],
                )
            except services.AlreadyPosted as repeat:
                messages.warning(request, repeat.message)
                return redirect(self.account)
            except services.TransitionError as error:
                show_refusal(form, error)
            else:
                messages.success(
                    request,
                    _("%(kind)s of %(amount)s posted; the balance is %(balance)s.")
                    % {
                        "kind": posted.get_kind_display(),
                        "amount": services.money(posted.amount, self.account),
                        "balance": services.money(posted.running_balance, self.account),
                    },
                )
                return redirect(self.account)
        return self.render_to_response(self.get_context_data(posting_form=form))


class AccountActivateView(AccountDetailView):
    """POST of the account page's Activate box: a manager approves a pending account."""

    permission_required = ("ledger.view_account", "ledger.add_account")
    http_method_names = ["post"]
    changes = True

    def post(self, request, *args, **kwargs):
        form = ActivateAccountForm(request.POST)
        if form.is_valid():
            try:
                services.activate_account(self.account, on=form.cleaned_data["on"], by=request.user)
            except services.TransitionError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("The account is active."))
                return redirect(self.account)
        return self.render_to_response(self.get_context_data(activate_form=form))


class AccountActionFormView(AccountMixin, FormView):
    """An account action with a page of its own (a reason to give): GET shows it, POST takes it.
    An account that cannot take the action now sends the user back with the reason before the form."""

    template_name = "ledger/account_action.html"
    http_method_names = ["get", "post"]
    changes = True
    title = None
    lead = ""  # what the action does to the account, above its form
    danger = True  # the button is drawn as a warning
    success_message = None

    def get(self, request, *args, **kwargs):
        refusal = self.refusal()
        if refusal:
            messages.error(request, refusal)
            return redirect(self.account)
        if self.account.client_id:  # the page shows the client's name and balance, as the account page
            record_client_view(request, self.account.client, page=request.resolver_match.url_name)
        return super().get(request, *args, **kwargs)

    def refusal(self):
        """Why the account cannot take the action now, or None: said before the form is filled."""
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, lead=self.lead, danger=self.danger, **kwargs)

    def act(self, **data):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.act(**form.cleaned_data)
        except services.TransitionError as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.account)


class AccountEndView(AccountActionFormView):
    """Close a savings account or mark a loan repaid. Both are final: a page of their own says so and
    asks the date before the button, as the client's closing does."""

    permission_required = ("ledger.view_account", "ledger.close_account")
    form_class = EndAccountForm


class AccountCloseView(AccountEndView):
    title = _("Close the account")
    lead = _("Closing is final: the account will take no more transactions and cannot be opened again.")
    success_message = _("The account is closed.")

    def refusal(self):
        return services.closing_refusal(self.account)

    def act(self, *, on):
        services.close_savings(self.account, on=on, by=self.request.user)


class AccountRepaidView(AccountEndView):
    title = _("Mark repaid")
    lead = _("Marking the loan repaid is final: it will take no more disbursements or repayments.")
    danger = False
    success_message = _("The loan is marked repaid.")

    def refusal(self):
        return services.repaid_refusal(self.account)

    def act(self, *, on):
        services.mark_repaid(self.account, on=on, by=self.request.user)


class AccountWriteOffView(AccountActionFormView):
    permission_required = ("ledger.view_account", "ledger.write_off_account")
    form_class = WriteOffForm
    title = _("Write off the loan")
    success_message = _("The loan is written off.")

    def refusal(self):
        return services.write_off_refusal(self.account)

    def act(self, *, on, reason):
        services.write_off(self.account, on=on, by=self.request.user, reason=reason)


class TransactionReverseView(AccountActionFormView):
    """A manager cancels a transaction with a reversal, giving the reason."""

    permission_required = ("ledger.view_account", "ledger.reverse_transaction")
    form_class = ReverseForm
    title = _("Reverse a transaction")
    success_message = _("The transaction is reversed.")

    @cached_property
    def original(self):
        rows = Transaction.objects.visible_to(self.request.user).select_related("account__product")
        return get_object_or_404(rows, pk=self.kwargs["pk"])

    @cached_property
    def account(self):
        return get_object_or_404(
            Account.objects.select_related("product", "client__office", "group__office"),
            pk=self.original.account_id,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(original=self.original, **kwargs)

    def act(self, *, on, reason):
        services.reverse(self.original, on=on, by=self.request.user, reason=reason)


# --- Statements -------------------------------------------------------------------------------------------


class AccountStatementView(AccountDetailView):
    """The account's statement as CSV or PDF, optionally between two dates (``date_from``, ``date_until``).

    Dates it cannot take (not dates, or the end before the start) bring the account page back with
    the reason next to the field, rather than a statement of something else than was asked.
    """

    permission_required = ("ledger.view_account", "ledger.view_transaction")
    http_method_names = ["get"]

    def get(self, request, *args, format, **kwargs):
        form = StatementForm(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(statement_form=form))
        dates = form.cleaned_data
        statement = Statement(self.account, dates.get("date_from"), dates.get("date_until"))
        record(
            request,
            "ledger.statement.exported",
            obj=self.account,
            office=self.account.owner.office_id,
            format=format,
            date_from=str(dates.get("date_from") or ""),
            date_until=str(dates.get("date_until") or ""),
        )
        if format == "csv":
            response = HttpResponse(as_csv(statement), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(as_pdf(statement), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{statement.filename(format)}"'
        return response
