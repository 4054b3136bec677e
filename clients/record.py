"""A client's own record: everything the institution holds about one client, as one ZIP file.

For a client who asks to see their data. The ZIP holds ``record.json`` (the data), ``summary.html``
(the same, readable in any browser, no script), and under ``documents/``
(and ``photo/``) the files themselves, named as a download names them. History reads as the History
tab words it. It is built in a temporary file (documents may be large) and the export is recorded in the
activity log. Other apps' parts (documents, groups, accounts) are read when those apps are
installed, through the app registry: clients does not import them.
"""

import datetime
import decimal
import json
import tempfile
import zipfile

from django.apps import apps
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import storages
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from audit import history as audit_history
from audit import record as record_event

EVENT = "clients.client.record_exported"
# Kept by the models for their own work; nothing about the client.
SKIPPED_FIELDS = {
    "search_name",
    "number_normalized",
    "registration_number_normalized",
    "stored_name",
    "thumbnail_name",
}


def _plain(value):
    """``value`` as JSON holds it: a time in the institution's zone, to the second."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def fields_of(obj):
    """[{field, label, value}] of every field of ``obj``: choices and related objects as people read them."""
    result = []
    for model_field in obj._meta.concrete_fields:
        if model_field.name in SKIPPED_FIELDS or model_field.name.startswith("_"):
            continue
        if model_field.is_relation:
            related_id = getattr(obj, model_field.attname)
            value = str(getattr(obj, model_field.name)) if related_id is not None else None
        elif model_field.choices:
            raw = getattr(obj, model_field.attname)
            value = str(dict(model_field.flatchoices).get(raw, raw)) if raw not in (None, "") else raw
        else:
            value = _plain(getattr(obj, model_field.attname))
        result.append({"field": model_field.name, "label": str(model_field.verbose_name), "value": value})
    return result


def _section(title, objects):
    return {"title": title, "items": [{"name": str(obj), "fields": fields_of(obj)} for obj in objects]}


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:  # that app is not installed here
        return None


def _documents(client):
    Document = _model("documents.Document")
    if Document is None:
        return []
    return list(Document.objects.filter(client=client).select_related("category", "identification"))


def sections(client):
    """The record's parts, in the order the summary shows them."""
    parts = [
        _section(_("Identifications"), client.identifications.select_related("document_type")),
        _section(_("Family"), client.family_members.select_related("relationship", "occupation")),
        _section(_("Notes"), client.notes.all()),
        _section(_("Timeline"), client.events.select_related("office", "to_office", "staff", "reason")),
        _section(_("Credit officers"), client.officer_assignments.select_related("staff")),
    ]
    Membership = _model("groups.Membership")
    if Membership is not None:
        memberships = Membership.objects.filter(client=client).select_related("group", "role", "end_reason")
        parts.append(_section(_("Groups"), memberships))
    Account = _model("ledger.Account")
    if Account is not None:
        accounts = Account.objects.filter(client=client).select_related("product")
        parts.append(_section(_("Accounts"), accounts))
        Transaction = _model("ledger.Transaction")
        parts.append(
            _section(_("Transactions"), Transaction.objects.filter(client=client).select_related("account"))
        )
    parts.append(_section(_("Documents"), _documents(client)))
    Photo = _model("documents.ClientPhoto")
    if Photo is not None:
        parts.append(_section(_("Photo"), Photo.objects.filter(client=client)))
    return parts


def history(client):
    """Every change the history keeps of the client and of its parts (simple-history), oldest first,
    each worded as the History tab words it: names rather than ids, labels rather than codes."""
    return [
        {
            "when": timezone.localtime(entry.when),
            "what": entry.title,
            "object": entry.what,
            "by": entry.who,
            "changes": [
                {"field": change.label, "before": change.old, "after": change.new}
                if entry.action == "~"
                else {"field": change.label, "value": change.new}
                for change in entry.changes
            ],
        }
        for entry in audit_history.every_entry(client)
    ]


def _files(client):
    """[(path in the ZIP, stored name, what record.json says of it)] of the client's documents and photo,
    each named as its download is (``documents.names``): "lease.pdf", a PNG sent as "scan.jpg" as
    "scan.jpg.png"."""
    Photo = _model("documents.ClientPhoto")
    if Photo is None:
        return []
    from documents.names import clean_name, download_name  # the documents app is installed

    def path(prefix, stored):
        try:
            name = get_valid_filename(clean_name(stored.original_name))
        except SuspiciousFileOperation:  # nothing of the name is left
            name = "file"
        return prefix + download_name(name, stored.content_type)

    found = [
        (path(f"documents/{each.pk}-", each), each, {"document": each.pk}) for each in _documents(client)
    ]
    found += [(path("photo/", each), each, {"photo": True}) for each in Photo.objects.filter(client=client)]
    return [
        (name, stored.stored_name, {**about, "path": name, "sha256": stored.sha256})
        for name, stored, about in found
    ]


def build(client, *, by):
    """The record of ``client`` as a ZIP in a temporary file (at its start), recorded as exported by
    ``by`` (a request or a user). The caller closes the file."""
    with transaction.atomic():
        data = {
            "client": {"name": str(client), "fields": fields_of(client)},
            "sections": sections(client),
            "history": history(client),
            "produced_at": timezone.localtime(),
        }
        files = _files(client)
        data["files"] = [about for _path, _stored, about in files]
        summary = render_to_string("clients/client_record.html", {"client": client, "data": data})
        output = tempfile.TemporaryFile()
        with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("record.json", json.dumps(data, ensure_ascii=False, indent=2, default=_plain))
            archive.writestr("summary.html", summary)
            for path, stored_name, _about in files:
                with (
                    storages["documents"].open(stored_name, "rb") as stored,
                    archive.open(path, "w", force_zip64=True) as target,
                ):
                    for chunk in iter(lambda stored=stored: stored.read(1 << 16), b""):
                        target.write(chunk)
        record_event(by, EVENT, obj=client, files=len(files))
    output.seek(0)
    return output


def file_name(client):
    return get_valid_filename(f"client-{client.account_no or client.pk}-record.zip")
