from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalForm(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    CORPORATE = "corporate", _("Corporate")


class ClientStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")
    TRANSFER_IN_PROGRESS = "transfer_in_progress", _("Transfer in progress")
    TRANSFER_ON_HOLD = "transfer_on_hold", _("Transfer on hold")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")
    SEPARATED = "separated", _("Separated")
    COHABITING = "cohabiting", _("Living together")


class YesNo(models.TextChoices):
    """A yes-or-no cell of the client file."""

    YES = "yes", _("Yes")
    NO = "no", _("No")


class ClientAction(models.TextChoices):
    """Every event of a client's timeline; the lifecycle module writes them."""

    SUBMITTED = "submitted", _("Submitted")
    ACTIVATED = "activated", _("Activated")
    REJECTED = "rejected", _("Rejected")
    REJECTION_UNDONE = "rejection_undone", _("Rejection undone")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    WITHDRAWAL_UNDONE = "withdrawal_undone", _("Withdrawal undone")
    CLOSED = "closed", _("Closed")
    REACTIVATED = "reactivated", _("Reactivated")
    TRANSFER_PROPOSED = "transfer_proposed", _("Transfer proposed")
    TRANSFER_WITHDRAWN = "transfer_withdrawn", _("Transfer withdrawn")
    TRANSFER_REJECTED = "transfer_rejected", _("Transfer rejected")
    TRANSFERRED = "transferred", _("Transferred")
    OFFICER_ASSIGNED = "officer_assigned", _("Credit officer assigned")
    OFFICER_UNASSIGNED = "officer_unassigned", _("Credit officer unassigned")


class ReasonKind(models.TextChoices):
    """The actions that ask for a reason from an admin-edited list."""

    REJECTION = "rejection", _("Rejection")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    CLOSURE = "closure", _("Closure")


class DateFormat(models.TextChoices):
    """How the institution writes dates in files it imports (ISO 2024-01-31 is always read too)."""

    DAY_MONTH_YEAR = "%d/%m/%Y", _("31/01/2024 (day, month, year)")
    MONTH_DAY_YEAR = "%m/%d/%Y", _("01/31/2024 (month, day, year)")
    YEAR_MONTH_DAY = "%Y/%m/%d", _("2024/01/31 (year, month, day)")


class ImportStatus(models.TextChoices):
    """Where a client import stands: checked first (nothing written), then imported on confirmation."""

    CHECKING = "checking", _("Checking the file")
    CHECKED = "checked", _("Checked, waiting for confirmation")
    REFUSED = "refused", _("Refused: errors in the file")
    QUEUED = "queued", _("Waiting to import")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
