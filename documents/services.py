"""Uploading and deleting a client's documents and photo: the one place these rules live.

Views, the admin and the demo call these functions; each checks what it is given (a refused file
raises ValidationError on ``file`` and stores nothing), works in a transaction, and records the event:
one per action, with the file's name, size and checksum (its history row adds none of its own).

Only the client's own office changes its documents and photo (``clients.registration.check_may_change``,
as for its identifications and notes): a client on its way in from another office is the sending
office's until the transfer is accepted, and the receiving office reads it but changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import record, without_history_event
from clients.registration import check_may_change

from . import storage, validation
from .choices import IMAGE_TYPES
from .models import ClientPhoto, Document, DocumentRules
from .names import clean_name

NOT_THIS_CATEGORY = gettext_lazy("This file is a %(type)s, which this category does not take. ")


def _check_may_change(client, by):
    """Refuse (PermissionDenied) a change by a user outside the client's office; ``by=None`` is the
    system itself (the demo, a command), which acts for every office."""
    if by is not None:
        check_may_change(client, by)


def _uploader(by):
    if by is None:
        return {"uploaded_by": None, "uploaded_by_name": ""}
    return {"uploaded_by": by, "uploaded_by_name": (by.get_full_name() or by.get_username())[:150]}


def _check(file, *, allowed_types, max_size, **wording):
    if not file:
        raise ValidationError({"file": _("Choose a file to upload.")})
    rules = DocumentRules.load()
    return validation.check(
        file,
        allowed_types=allowed_types,
        max_size=min(max_size or rules.max_size, rules.max_size),
        strip_metadata=rules.strip_image_metadata,
        **wording,
    )


def _stored_fields(checked, file, names, by):
    return {
        "stored_name": names[0],
        "thumbnail_name": names[1],
        "original_name": clean_name(getattr(file, "name", "")),
        "content_type": checked.file_type.value,
        "size": checked.size,
        "sha256": checked.sha256,
        **_uploader(by),
    }


def upload(client, file, *, category, title="", identification=None, by):
    """Check ``file`` by its content and keep it as a document of ``client``; return the Document."""
    _check_may_change(client, by)
    if category is None or not category.is_active:
        raise ValidationError({"category": _("Choose a category from the list.")})
    if identification is not None and identification.client_id != client.pk:
        raise ValidationError({"identification": _("Choose one of this client's identifications.")})
    max_size = category.max_size_mb * 1024 * 1024 if category.max_size_mb else None
    checked = _check(
        file, allowed_types=category.allowed_types, max_size=max_size, type_refused=NOT_THIS_CATEGORY
    )
    names = storage.store(checked)
    try:
        with transaction.atomic():
            document = Document(
                client=client,
                identification=identification,
                category=category,
                title=title.strip(),
                **_stored_fields(checked, file, names, by),
            )
            document._history_user = by
            without_history_event(document).save()
            record(
                by,
                "documents.document.uploaded",
                obj=document,
                office=client.office,
                name=document.original_name,
                size=document.size,
                sha256=document.sha256,
            )
    except BaseException:
        storage.delete_now(*names)  # no row, no file
        raise
    return document


def delete(document, *, by):
    """Delete ``document``: its row now (the history keeps who, when, name, size and checksum), its
    file once the transaction commits, so a rolled-back delete loses nothing."""
    _check_may_change(document.client, by)
    with transaction.atomic():
        record(
            by,
            "documents.document.deleted",
            obj=document,
            office=document.client.office,
            name=document.original_name,
            size=document.size,
            sha256=document.sha256,
        )
        document._history_user = by
        without_history_event(document).delete()
        storage.delete_after_commit(document.stored_name, document.thumbnail_name)


def set_photo(client, file, *, by):
    """Give ``client`` a photo (an image checked like any document), replacing the one before."""
    _check_may_change(client, by)
    checked = _check(file, allowed_types=sorted(IMAGE_TYPES), max_size=None)
    names = storage.store(checked)
    try:
        with transaction.atomic():
            photo = ClientPhoto.objects.select_for_update().filter(client=client).first()
            if photo is None:
                photo = ClientPhoto(client=client)
            else:
                storage.delete_after_commit(photo.stored_name, photo.thumbnail_name)
            for field, value in _stored_fields(checked, file, names, by).items():
                setattr(photo, field, value)
            photo.uploaded_at = timezone.now()
            photo._history_user = by
            without_history_event(photo).save()
            record(
                by,
                "documents.clientphoto.set",
                obj=client,
                office=client.office,
                name=photo.original_name,
                size=photo.size,
                sha256=photo.sha256,
            )
    except BaseException:
        storage.delete_now(*names)
        raise
    return photo


def remove_photo(client, *, by):
    """Remove the client's photo, if there is one; return whether there was."""
    _check_may_change(client, by)
    with transaction.atomic():
        photo = ClientPhoto.objects.select_for_update().filter(client=client).first()
        if photo is None:
            return False
        photo._history_user = by
        without_history_event(photo).delete()
        storage.delete_after_commit(photo.stored_name, photo.thumbnail_name)
        record(by, "documents.clientphoto.removed", obj=client, office=client.office)
    return True
