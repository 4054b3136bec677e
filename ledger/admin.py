"""Admin: head office keeps products and the account number format; accounts and transactions are
read-only here, since they change only through ``ledger.services`` (the account pages)."""

from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from audit.reads import record_client_view
from mifos.admin import InstitutionWideAdminMixin
from mifos.forms import AmountField
from mifos.pagination import EstimatedCountPaginator
from offices.admin import ScopedAdminMixin

from .models import FIXED_UNDER_ACCOUNTS, Account, LedgerRules, Product, Transaction


@admin.register(Product)
class ProductAdmin(InstitutionWideAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "offered_to", "short_code", "currency", "max_amount", "is_active"]
    list_filter = ["kind", "offered_to", "is_active"]
    search_fields = ["name", "short_code"]
    # The largest amount is typed as on the branch pages, in any language: "50 000,00" too.
    formfield_overrides = {models.DecimalField: {"form_class": AmountField}}

    def get_readonly_fields(self, request, obj=None):
        # The model keeps both once accounts exist (Product.changes_under_accounts); shown read-only then.
        if obj is None or not obj.accounts.exists():
            return []
        return list(FIXED_UNDER_ACCOUNTS)

    def has_delete_permission(self, request, obj=None):
        return False  # a product is retired (not active), never deleted, so its accounts keep it


@admin.register(LedgerRules)
class LedgerRulesAdmin(InstitutionWideAdminMixin, admin.ModelAdmin):
    """The institution's single row of account rules: the list goes straight to it; head office changes it."""

    def changelist_view(self, request, extra_context=None):
        return redirect("admin:ledger_ledgerrules_change", LedgerRules.load().pk)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Seen, never changed: no add, change or delete, whatever the user's permissions."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A client's account or transaction shown here is a view of the client's data like its pages
        (recorded if head office asks, as clients' admin does); a list of them is not."""
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            shown = response.context_data["original"]
            if shown.client_id:
                record_client_view(request, shown.client, page=f"admin_{self.opts.model_name}_change")
        return response

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "product",
        "client",
        "group",
        "status",
        "balance",
        "opened_on",
        "last_transaction_on",
    ]
    list_filter = ["kind", "status", "product"]
    search_fields = ["=number"]
    list_select_related = ["product", "client", "group"]
    ordering = ["-id"]


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ["date", "account", "kind", "amount", "running_balance", "receipt", "created_by_name"]
    list_filter = ["kind"]
    search_fields = ["=account__number", "=receipt"]
    search_help_text = _("An account number or a receipt reference.")
    list_select_related = ["account__product"]
    raw_id_fields = ["account", "reverses"]
    ordering = ["-id"]

    def get_search_results(self, request, queryset, search_term):
        """The account number, then the receipt, each through its index and in any case: Django's
        search of the two, one across a join, read all twenty million transactions (ten seconds)."""
        term = search_term.strip()
        if not term:
            return queryset, False
        accounts = list(Account.objects.filter(number__iexact=term).values_list("pk", flat=True))
        receipt = Q(receipt__iexact=term) & ~Q(receipt="")  # the receipt index holds no empty ones
        return queryset.filter(Q(account__in=accounts) | receipt), False
