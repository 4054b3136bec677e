"""An event's details as a person reads them: "Effective date: 4 December 2026", "New status: Active".

The details are stored as the code wrote them (keys, ISO dates, status codes), so that the hash chain
covers exactly what happened; this module only words them, in the active language, for the activity
log and the admin. A key without a label here is shown as it is.
"""

import datetime
import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LABELS = {
    "effective_date": _("Effective date"),
    "from_status": _("Previous status"),
    "to_status": _("New status"),
    "note": _("Note"),
    "to_office": _("To office"),
    "staff": _("Credit officer"),
    "previous_staff": _("Previous credit officer"),
    "reason": _("Reason"),
    "cause": _("How it ended"),
    "client": _("Client"),
    "role": _("Role"),
    "to_group": _("To group"),
    "username": _("User name"),
    "address": _("Address"),
    "model": _("Kind of object"),
    "object": _("Object"),
    "change": _("Change"),
    "rows": _("Rows"),
    "filter": pgettext_lazy("the filters of an export", "Filters"),
    "format": _("Format"),
    "command": _("From the command line"),
    "file": _("File"),
    "run": _("Import number"),
    "files": _("Files"),
    "page": _("Page"),
    "name": _("File name"),
    "size": _("Size"),
    "sha256": _("SHA-256"),
    "inline": _("Opened in the browser"),
    "product": _("Product"),
    "opened_on": _("Opened on"),
    "on": _("Date"),
    "date": _("Date"),
    "date_from": _("From"),
    "date_until": _("Until"),
    "kind": _("Kind"),
    "amount": _("Amount"),
    "account": _("Account"),
    "reverses": _("Reverses transaction"),
    "sessions": _("Sessions ended"),
    # A group's edit: each field changed, with its value before (groups.services.update).
    "group_name": _("Name"),
    "previous_group_name": _("Previous name"),
    "center": _("Center"),
    "previous_center": _("Previous center"),
    "external_id": _("External id"),
    "previous_external_id": _("Previous external id"),
    "submitted_on": _("Submitted on"),
    "previous_submitted_on": _("Previous submission date"),
    "meeting_day": _("Meeting day"),
    "previous_meeting_day": _("Previous meeting day"),
    "meeting_time": _("Meeting time"),
    "previous_meeting_time": _("Previous meeting time"),
    "meeting_frequency": _("Meeting frequency"),
    "previous_meeting_frequency": _("Previous meeting frequency"),
    # Keys of a filter, in the record of an export.
    "event": _("Kind of event"),
    "actor": _("User"),
    "office": _("Office"),
    "status": _("Status"),
    "created_at": _("Between"),
    "q": _("Search"),
    "submitted": _("Submitted between"),
    "activated": _("Activated between"),
    "check": _("Needs attention"),
    "transfer": _("Transfer"),
    "sort": _("Sort by"),
    "officer": _("Credit officer"),
    "legal_form": _("Legal form"),
    "gender": _("Gender"),
    "group": _("Group or center"),
}

# The pages of a client whose views are recorded ("page" of clients.client.viewed: the URL's name, or
# admin's), by the names a person knows them by; a page not named here shows its code.
PAGES = {
    "client_detail": _("Overview"),
    "client_edit": _("Edit client"),
    "client_identifications": _("Identifications"),
    "identification_add": _("Add an identification"),
    "identification_edit": _("Change an identification"),
    "identification_delete": _("Remove an identification"),
    "client_family": _("Family"),
    "family_member_add": _("Add a family member"),
    "family_member_edit": _("Change a family member"),
    "family_member_delete": _("Remove a family member"),
    "client_notes": _("Notes"),
    "note_add": _("Write a note"),
    "note_edit": _("Change a note"),
    "note_delete": _("Delete a note"),
    "client_timeline": _("Timeline"),
    "client_activate": _("Activate"),
    "client_reject": _("Reject"),
    "client_withdraw": _("Withdraw"),
    "client_undo_rejection": _("Undo rejection"),
    "client_undo_withdrawal": _("Undo withdrawal"),
    "client_close": _("Close"),
    "client_reactivate": _("Reactivate"),
    "client_propose_transfer": _("Propose transfer"),
    "client_transfer": _("Transfer"),
    "client_withdraw_transfer": _("Withdraw transfer"),
    "client_accept_transfer": _("Accept transfer"),
    "client_reject_transfer": _("Reject transfer"),
    "client_assign_officer": _("Assign credit officer"),
    "client_unassign_officer": _("Unassign credit officer"),
    "client_groups": _("Groups"),
    "client_history": _("History"),
    "client_documents": _("Documents"),
    "document_add": _("Upload a document"),
    "document_delete": _("Delete a document"),
    "document_thumbnail": _("Preview of a document"),
    "clientphoto_edit": _("Photo"),
    "client_accounts": _("Accounts"),
    "account_open": _("Open an account"),
    "account_detail": _("Account"),
    "client_transactions": _("Transactions"),
    "account_close": _("Close the account"),
    "account_repaid": _("Mark repaid"),
    "account_write_off": _("Write off the loan"),
    "transaction_reverse": _("Reverse a transaction"),
    "admin_change": _("Client in admin"),
    "admin_history": _("Client's history in admin"),
    "admin_history_version": _("Earlier version of the client in admin"),
    "admin_account_change": _("Account in admin"),
    "admin_transaction_change": _("Transaction in admin"),
    "admin_document_change": _("Document in admin"),
}

# Keys that only serve links and lookups (the history row, the client of a part, by id).
HIDDEN = {"history_id"}

# Coded values with their labels, by the app whose event holds them: ("clients", "to_status") reads
# a client's status. Looked up by name, so the audit app needs none of these apps to be installed;
# each names a TextChoices or a list of (code, label).
CHOICES = {
    ("clients", "from_status"): "clients.choices.ClientStatus",
    ("clients", "to_status"): "clients.choices.ClientStatus",
    ("clients", "status"): "clients.filters.STATUS_CHOICES",  # the statuses, and the list's "transferred"
    # An export's filters (clients.exports.filter_description).
    ("clients", "check"): "clients.quality.CHECK_CHOICES",
    ("clients", "transfer"): "clients.quality.TRANSFER_CHOICES",
    ("clients", "sort"): "clients.filters.SORT_CHOICES",
    ("clients", "legal_form"): "clients.choices.LegalForm",
    ("clients", "gender"): "clients.choices.Gender",
    ("groups", "from_status"): "groups.choices.GroupStatus",
    ("groups", "to_status"): "groups.choices.GroupStatus",
    ("groups", "cause"): "groups.choices.MembershipEnd",
    ("groups", "meeting_day"): "groups.choices.MeetingDay",
    ("groups", "previous_meeting_day"): "groups.choices.MeetingDay",
    ("groups", "meeting_frequency"): "groups.choices.MeetingFrequency",
    ("groups", "previous_meeting_frequency"): "groups.choices.MeetingFrequency",
    ("ledger", "kind"): "ledger.choices.TransactionKind",
}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def readable(event):
    """``[(label, text)]`` of ``event``'s details, in the order they were recorded."""
    details = event.details if isinstance(event.details, dict) else {}
    app = event.event.split(".", 1)[0]
    shown = []
    for key, value in details.items():
        if key in HIDDEN or (key == "client" and isinstance(value, int)):
            continue
        shown.append((LABELS.get(key, key), _value(app, key, value)))
    return shown


def as_text(event):
    """The details as one line of text: "Label: value; Label: value"."""
    return "; ".join(f"{label}: {value}" for label, value in readable(event))


def as_json(details):
    """The details as stored, as JSON text (for a file a program reads back)."""
    return json.dumps(details or {}, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)


def _value(app, key, value):
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if value is None or value == "":
        return "—"
    if key == "size" and isinstance(value, int):
        return filesizeformat(value)
    if key == "page" and isinstance(value, str):
        return str(PAGES.get(value, value))
    if isinstance(value, dict):
        return ", ".join(
            f"{LABELS.get(name, name)}: {_value(app, name, item)}" for name, item in value.items()
        )
    if isinstance(value, list):
        return ", ".join(_value(app, key, item) for item in value)
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            try:
                return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
            except ValueError:
                return value
        choices = _choices(app, key)
        if choices is not None and value in choices:
            return str(choices[value])
    return str(value)


def _choices(app, key):
    path = CHOICES.get((app, key))
    if path is None:
        return None
    try:
        found = import_string(path)
    except ImportError:
        return None
    return dict(getattr(found, "choices", found))
