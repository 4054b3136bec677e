"""Savings and loan accounts and their transactions.

Balances are derived from transactions: ``Account.balance`` and ``Transaction.running_balance``
are kept for speed by ``ledger.services``, the only writer, and ``manage.py check_balances``
recomputes them. Nothing here is edited or deleted: a mistake is cancelled by a reversal, a new
transaction. An account's office is its client's (or group's), so a transferred client's accounts
follow it without a write.
"""

import string
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, Count, F, Q, Sum, When
from django.db.models.functions import Coalesce, Upper
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from mifos.singleton import SingletonModel
from offices.models import Office
from offices.scoping import visible_office_ids

from .choices import (
    DECREASING,
    HOLDERS_OF,
    INCREASING,
    AccountStatus,
    ProductHolders,
    ProductKind,
    TransactionKind,
)

MONEY = {"max_digits": 18, "decimal_places": 2}
# The largest amount or balance the ledger keeps. SQLite stores decimals as binary floating point,
# exact to 15 significant digits (13 before the point): past that it rounds cents away silently, and
# past the column's 18 digits PostgreSQL fails with an error. One limit for both, so a move between
# them changes nothing; a microfinance institution's amounts stay far below it in any currency.
LARGEST_MONEY = Decimal("9999999999999.99")


class ProductQuerySet(models.QuerySet):
    def offered_to(self, holder):
        """The active products that ``holder`` (a client or a group) may open an account of."""
        return self.filter(is_active=True, offered_to__in=HOLDERS_OF[holder._meta.model_name])


# Set when a product's first account opens, then kept: see Product.changes_under_accounts.
FIXED_UNDER_ACCOUNTS = ("kind", "currency")


class Product(models.Model):
    """A savings or loan product that head office offers, in one currency."""

    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=ProductKind.choices,
        help_text=_("It cannot change once the product has accounts."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_code = models.CharField(
        _("short code"),
        max_length=10,
        unique=True,
        help_text=_("A few letters that may appear in account numbers, for example SAV."),
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default=settings.CURRENCY,
        validators=[
            RegexValidator(
                r"\A[A-Z]{3}\Z",
                _("A currency is written as its ISO 4217 code: three capital letters, like USD."),
            )
        ],
        help_text=_("ISO 4217 code, for example USD. It cannot change once the product has accounts."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active products can be chosen for new accounts.")
    )
    offered_to = models.CharField(
        _("offered to"),
        max_length=10,
        choices=ProductHolders.choices,
        default=ProductHolders.BOTH,
        help_text=_("Who may open an account of this product; centers count as groups."),
    )
    max_amount = models.DecimalField(
        _("largest deposit or disbursement"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(LARGEST_MONEY)],
        help_text=_(
            "A larger deposit or disbursement is refused, to catch a mistyped figure. "
            "Empty: no limit but the system's."
        ),
    )

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_amount__isnull=True) | Q(max_amount__gt=0, max_amount__lte=LARGEST_MONEY),
                name="ledger_product_max_amount_in_range",
                violation_error_message=_("The largest amount must be more than zero and fit an account."),
            ),
            models.CheckConstraint(
                condition=Q(offered_to__in=ProductHolders.values),
                name="ledger_product_offered_to_known",
                violation_error_message=_("A product is offered to clients, to groups, or to both."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if changed := self.changes_under_accounts():
            raise ValidationError(self.fixed_messages(changed))

    def save(self, *args, **kwargs):
        """A change of kind or currency under existing accounts is refused here too, whatever path
        saves (admin shows both read-only then; ``clean`` puts the message next to the field)."""
        update_fields = kwargs.get("update_fields")
        changed = self.changes_under_accounts()
        if update_fields is not None:
            changed = [name for name in changed if name in update_fields]
        if changed:
            raise ValidationError(self.fixed_messages(changed))
        super().save(*args, **kwargs)

    def changes_under_accounts(self):
        """The fields fixed once the product has accounts that saving would change: an account takes
        its kind from the product when opened, and its balance is in the product's currency, so a
        change would relabel them, not convert them."""
        if self.pk is None:
            return []
        saved = Product.objects.filter(pk=self.pk, accounts__isnull=False).values(*FIXED_UNDER_ACCOUNTS)[:1]
        saved = saved[0] if saved else {}
        return [name for name in saved if saved[name] != getattr(self, name)]

    def fixed_messages(self, changed):
        saved = Product.objects.get(pk=self.pk)
        messages = {
            "kind": gettext(
                "This product has accounts, so its kind (%(kind)s) cannot change. "
                "Offer a new product of the other kind instead."
            )
            % {"kind": saved.get_kind_display()},
            "currency": gettext(
                "This product has accounts whose balances are in %(currency)s, so its currency cannot "
                "change. Offer a new product in the other currency instead."
            )
            % {"currency": saved.currency},
        }
        return {name: messages[name] for name in changed}

    def may_be_held_by(self, holder):
        """Whether ``holder`` (a client or a group) may open an account of this product."""
        return self.offered_to in HOLDERS_OF[holder._meta.model_name]


# What an account number format may name in braces.
NUMBER_FIELDS = ("office", "product", "seq")


class LedgerRules(SingletonModel):
    """The institution's rules for accounts, edited by head office in admin. There is one row."""

    account_number_format = models.CharField(
        _("account number format"),
        max_length=50,
        default="{office}-{product}-{seq}",
        help_text=_(
            "{office} is the office code, {product} the product's short code, "
            "{seq} the office's next account number, padded with zeros."
        ),
    )
    account_number_digits = models.PositiveSmallIntegerField(_("digits of the sequence"), default=7)

    class Meta:
        verbose_name = _("account rules")
        verbose_name_plural = _("account rules")

    def __str__(self):
        return str(_("Account rules"))

    def clean(self):
        super().clean()
        fields = self.number_fields()
        if fields is None:
            raise ValidationError(
                {"account_number_format": _("Only {office}, {product} and {seq} may appear in braces.")}
            )
        if "seq" not in fields:
            raise ValidationError({"account_number_format": _("The format must contain {seq}.")})
        if "office" not in fields:
            # Each office counts its own accounts from 1: without the office code two offices would
            # hand out the same number.
            raise ValidationError(
                {
                    "account_number_format": _(
                        "The format must contain {office}: each office numbers its own accounts, "
                        "so without the office code two offices would give out the same number."
                    )
                }
            )
        self.check_longest_number()

    def number_fields(self):
        """The names in braces of the format, read as ``str.format`` reads them, or None if one is not
        a plain {office}, {product} or {seq}: "{{office}}" is the text "{office}", not the code, and
        "{office:.0}" or "{office.lower}" would not write the code either."""
        try:
            parts = list(string.Formatter().parse(self.account_number_format))
        except ValueError:  # an unmatched brace
            return None
        fields = [(name, spec, conversion) for _text, name, spec, conversion in parts if name is not None]
        if any(name not in NUMBER_FIELDS or spec or conversion for name, spec, conversion in fields):
            return None
        return {name for name, _spec, _conversion in fields}

    def check_longest_number(self):
        """Refuse digits and a format whose numbers, with the longest office and product codes allowed,
        would not fit the account number's column: PostgreSQL would refuse every opening there."""
        if self.account_number_digits is None:
            return  # already refused next to the field
        code_length = Office._meta.get_field("code").max_length
        product_length = Product._meta.get_field("short_code").max_length
        limit = Account._meta.get_field("number").max_length
        longest = len(
            self.account_number_format.format(
                office="X" * code_length, product="P" * product_length, seq="9" * self.account_number_digits
            )
        )
        if longest > limit:
            raise ValidationError(
                {
                    "account_number_digits": gettext(
                        "With an office code of %(code)d characters and a product code of %(product)d, the "
                        "longest allowed, this format and %(digits)d digits make account numbers of "
                        "%(length)d characters, and an account number holds at most %(limit)d: use fewer "
                        "digits or a shorter format."
                    )
                    % {
                        "code": code_length,
                        "product": product_length,
                        "digits": self.account_number_digits,
                        "length": longest,
                        "limit": limit,
                    }
                }
            )


class OfficeAccountSequence(models.Model):
    """The last account number handed out in an office; a row lock makes numbers unique."""

    office = models.OneToOneField(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_value = models.PositiveBigIntegerField(_("last number handed out"), default=0)

    class Meta:
        verbose_name = _("account number sequence")
        verbose_name_plural = _("account number sequences")

    def __str__(self):
        return f"{self.office_id}: {self.last_value}"


def visible_holders(user, office_ids, path=""):
    """Where the user may read a client's or group's money (``path`` leads to the account): the
    accounts of a client they see (``Client.objects.visible_to``: those of their offices, and those
    on their way in, which the receiving office reads before accepting) or of a group of their offices.
    The office is never stored."""
    return Q(**{f"{path}client__in": Client.objects.visible_to(user)}) | Q(
        **{f"{path}group__office__in": office_ids}
    )


class AccountQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Accounts the user may read; only the office that holds the client or group changes them
        (``Account.may_be_changed_by``)."""
        office_ids = visible_office_ids(user)
        if office_ids is None:
            return self.all()
        return self.filter(visible_holders(user, office_ids))

    def open(self):
        return self.filter(status__in=[AccountStatus.PENDING, AccountStatus.ACTIVE])

    def savings(self):
        return self.filter(kind=ProductKind.SAVINGS)

    def loans(self):
        return self.filter(kind=ProductKind.LOAN)

    def latest_record(self):
        """(date, what happened then) of the latest opening, transaction or closure of these accounts:
        a client or a group does not leave before its accounts' own records (``check_dates``).
        (None, "") when there is no account. On one day, the later record is named: a closure
        follows the last transaction."""
        latest = None
        for account in self.select_related("product"):
            for rank, day in enumerate((account.opened_on, account.last_transaction_on, account.closed_on)):
                if day is not None and (latest is None or (day, rank) > latest[:2]):
                    latest = (day, rank, account)
        if latest is None:
            return (None, "")
        day, rank, account = latest
        labels = (
            gettext("the opening of account %(account)s"),
            gettext("the last transaction of account %(account)s"),
            gettext("the closure of account %(account)s"),
        )
        return (day, labels[rank] % {"account": account})

    def totals_by_client(self):
        """(client id, savings balance, loans' outstanding, open accounts) of each client, by one
        GROUP BY: the client overview's figures (ledger/templating.py)."""
        active = Q(status=AccountStatus.ACTIVE)
        return (
            self.order_by()
            .values("client")
            .annotate(
                savings=Coalesce(Sum("balance", filter=active & Q(kind=ProductKind.SAVINGS)), Decimal(0)),
                outstanding=Coalesce(Sum("balance", filter=active & Q(kind=ProductKind.LOAN)), Decimal(0)),
                open=Count("pk", filter=Q(status__in=[AccountStatus.PENDING, AccountStatus.ACTIVE])),
            )
            .values_list("client", "savings", "outstanding", "open")
        )


class Account(models.Model):
    """A savings account or a loan of one client or one group."""

    number = models.CharField(_("account number"), max_length=40, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=ProductKind.choices, editable=False)
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="accounts"
    )
    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    group = models.ForeignKey(
        "groups.Group",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AccountStatus.choices,
        default=AccountStatus.ACTIVE,
        editable=False,
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    close_reason = models.CharField(_("reason"), max_length=200, blank=True, editable=False)
    # A savings balance, or what a loan still owes; kept by the services, checked by check_balances.
    balance = models.DecimalField(_("balance"), **MONEY, default=0, editable=False)
    last_transaction_on = models.DateField(_("last transaction"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_name = models.CharField(_("created by (name)"), max_length=300, blank=True, editable=False)

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["opened_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(client__isnull=False, group__isnull=True)
                | Q(client__isnull=True, group__isnull=False),
                name="ledger_account_one_owner",
                violation_error_message=_("An account belongs to a client or to a group, not both."),
            ),
            models.CheckConstraint(
                condition=Q(balance__gte=0),
                name="ledger_account_balance_not_negative",
                violation_error_message=_("A balance cannot be negative."),
            ),
        ]
        # Admin finds an account by its number typed in any case (Django's "=" search: UPPER = UPPER).
        indexes = [models.Index(Upper("number"), name="ledger_account_number_ci")]
        permissions = [
            ("close_account", _("Can close a savings account or mark a loan repaid")),
            ("write_off_account", _("Can write off a loan")),
        ]

    def __str__(self):
        return f"{self.product} {self.number}"

    def get_absolute_url(self):
        return reverse("ledger:account_detail", args=[self.pk])

    @property
    def owner(self):
        return self.client if self.client_id else self.group

    @property
    def office(self):
        return self.owner.office

    def may_be_changed_by(self, user):
        """Whether ``user`` may act on the account: the office of its client or group. A client on its way
        in is read by the receiving office, but its accounts stay the sending office's until accepted,
        as the client does (``Client.may_be_changed_by``)."""
        office_ids = visible_office_ids(user)
        return office_ids is None or self.owner.office_id in office_ids

    @property
    def is_savings(self):
        return self.kind == ProductKind.SAVINGS

    @property
    def is_open(self):
        return self.status in (AccountStatus.PENDING, AccountStatus.ACTIVE)


def balance_change():
    """The signed change a transaction makes to its account's balance, as an SQL expression."""
    return Case(
        When(kind__in=INCREASING, then=F("amount")),
        When(kind__in=DECREASING, then=-F("amount")),
        When(reverses__kind__in=INCREASING, then=-F("amount")),
        default=F("amount"),
    )


class TransactionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Transactions of the accounts the user may read (``Account.objects.visible_to``)."""
        office_ids = visible_office_ids(user)
        if office_ids is None:
            return self.all()
        return self.filter(visible_holders(user, office_ids, path="account__"))

    def total_change(self):
        return self.aggregate(total=Sum(balance_change()))["total"] or 0


class Transaction(models.Model):
    """One posting on an account; never edited, cancelled only by a reversal that points to it."""

    # Both foreign keys are served by the indexes in Meta, which start with them: an index of its
    # own each would only slow postings and bulk loads down.
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="transactions",
        db_index=False,
    )
    # The account's client, copied so a client's history across accounts is one index range.
    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TransactionKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    date = models.DateField(_("date"))
    receipt = models.CharField(_("receipt reference"), max_length=50, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    running_balance = models.DecimalField(_("balance after"), **MONEY)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_name = models.CharField(_("created by (name)"), max_length=300, blank=True, editable=False)
    # The one-time token of the form that posted it: the same form sent again (a double click, a
    # re-send on a slow line) finds it and posts nothing (``services.post``).
    token = models.CharField(_("form token"), max_length=40, blank=True, editable=False)

    objects = TransactionQuerySet.as_manager()

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="ledger_transaction_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(kind=TransactionKind.REVERSAL, reverses__isnull=False)
                | (~Q(kind=TransactionKind.REVERSAL) & Q(reverses__isnull=True)),
                name="ledger_transaction_reversal_names_its_original",
                violation_error_message=_("A reversal, and only a reversal, cancels another transaction."),
            ),
            models.UniqueConstraint(
                fields=["account", "token"],
                condition=~Q(token=""),
                name="ledger_transaction_token_once",
                violation_error_message=_("This form was already posted on the account."),
            ),
        ]
        indexes = [
            models.Index(fields=["account", "date", "id"], name="ledger_tx_account_date"),
            models.Index(fields=["client", "-date", "-id"], name="ledger_tx_client_newest"),
            # Admin finds a transaction by its receipt reference, in any case; most have none.
            models.Index(Upper("receipt"), condition=~Q(receipt=""), name="ledger_tx_receipt_ci"),
        ]
        permissions = [("reverse_transaction", _("Can reverse a transaction"))]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} ({self.date})"

    @property
    def change(self):
        """The signed change this transaction made to the balance."""
        if self.kind in INCREASING:
            return self.amount
        if self.kind in DECREASING:
            return -self.amount
        return -self.reverses.change

    @property
    def is_reversed(self):
        return hasattr(self, "reversed_by")
