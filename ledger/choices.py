from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductKind(models.TextChoices):
    SAVINGS = "savings", _("Savings")
    LOAN = "loan", _("Loan")


class ProductHolders(models.TextChoices):
    """Who may hold a product's accounts: clients (individuals and corporates), groups (and centers),
    or both, as Mifos X offers a product "for individuals" or "for groups"."""

    CLIENTS = "clients", _("Clients")
    GROUPS = "groups", _("Groups")
    BOTH = "both", _("Clients and groups")


# The products each kind of holder may open, by who they are offered to: one table for the service's
# check and the form's choices.
HOLDERS_OF = {
    "client": (ProductHolders.CLIENTS, ProductHolders.BOTH),
    "group": (ProductHolders.GROUPS, ProductHolders.BOTH),
}


class AccountStatus(models.TextChoices):
    """Pending: applied for, not yet usable. Active: open for postings. The rest are final."""

    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    REPAID = "repaid", _("Repaid")
    WRITTEN_OFF = "written_off", _("Written off")


class TransactionKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    DISBURSEMENT = "disbursement", _("Disbursement")
    REPAYMENT = "repayment", _("Repayment")
    REVERSAL = "reversal", _("Reversal")


# The kinds a teller posts on each kind of account, and which way each moves the balance (a savings
# balance, or what a loan still owes). A reversal moves it back by the amount of what it cancels.
POSTINGS = {
    ProductKind.SAVINGS: (TransactionKind.DEPOSIT, TransactionKind.WITHDRAWAL),
    ProductKind.LOAN: (TransactionKind.DISBURSEMENT, TransactionKind.REPAYMENT),
}
INCREASING = frozenset({TransactionKind.DEPOSIT, TransactionKind.DISBURSEMENT})
DECREASING = frozenset({TransactionKind.WITHDRAWAL, TransactionKind.REPAYMENT})
