"""Registering clients and keeping their records: the one path every page, the admin and commands take.

Each function validates with the model layer, refuses a unique identification or a business's
registration number that another client already holds, saves inside one transaction (nothing
half-written) and records the acting user in the history (``_history_user``), so commands are
named in it as well as people. ``same_client`` says when a new record is a client already
registered, for the importer, which skips such a row and refuses one with another's number.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mifos.guards import refuse_changes
from mifos.today import today
from mifos.versioning import check_version

from . import lifecycle
from .choices import ClientStatus, LegalForm
from .models import Client, Identification, IdentificationType
from .normalize import normalize_id_number
from .numbering import next_client_number
from .search import Bytewise

# Fields a registration sets itself; a form or an importer never supplies them.
_SET_BY_REGISTRATION = ["account_no", "status", "display_name"]
# A warning lists a few clients; more than that means a shared phone, not a duplicate person.
_MAX_DUPLICATES = 10


@dataclass(frozen=True)
class PossibleDuplicate:
    """Another client who may be the same person: shown to the user, who confirms before saving."""

    client: Client | None  # None when the user may not see that client
    kind: str  # what the two share: SAME_PERSON, SAME_BUSINESS or SAME_PHONE

    @property
    def message(self):
        return duplicate_message(self.kind, client=self.client)


def _as_history_user(instance, by):
    instance._history_user = by
    return instance


def check_may_change(client, by):
    """Refuse a change by someone outside the client's office (see ``Client.may_be_changed_by``)."""
    if not client.may_be_changed_by(by):
        raise PermissionDenied(
            _("Only the client's own office may change %(client)s; a transfer must be accepted first.")
            % {"client": client}
        )


def check_may_register(client, by):
    """Refuse to register a client in an office outside ``by``'s (the form offers only theirs)."""
    if client.office_id is not None and not client.may_be_changed_by(by):
        raise ValidationError(
            {
                "office": _("%(office)s is outside the offices you work for; choose one of yours.")
                % {"office": client.office}
            }
        )


def _touch(client, by):
    client.updated_by = by
    _as_history_user(client, by)


def _named(client, by):
    """``client`` as a message names it: by name and number if ``by`` may see it, else not at all."""
    if Client.objects.visible_to(by).filter(pk=client.pk).exists():
        return str(client)
    return None


# --- Duplicates -------------------------------------------------------------------------------------


def identification_holder(identification):
    """The identification of another client that already holds this unique type and number, or None."""
    document_type = identification.document_type if identification.document_type_id else None
    number = normalize_id_number(identification.number)
    if document_type is None or not document_type.is_unique or not number:
        return None
    others = identification.__class__.objects.filter(document_type=document_type, number_normalized=number)
    if identification.client_id:
        others = others.exclude(client_id=identification.client_id)
    return others.select_related("client").first()


def check_held_once(identification, *, listed=()):
    """Refuse a number of a type the client holds already, or that ``listed`` (the same form) holds.

    The database refuses it too (``clients_identification_once_per_client``); this says it next to
    the number, and before the save.
    """
    number = normalize_id_number(identification.number)
    if not identification.document_type_id or not number:
        return
    held = any(
        other.document_type_id == identification.document_type_id
        and normalize_id_number(other.number) == number
        for other in listed
    )
    if not held and identification.client_id:
        same = Identification.objects.filter(
            client_id=identification.client_id,
            document_type_id=identification.document_type_id,
            number_normalized=number,
        )
        held = same.exclude(pk=identification.pk).exists()
    if held:
        message = _("This client already holds this %(type)s number.") % {
            "type": identification.document_type
        }
        raise ValidationError({"number": ValidationError(message, code="held_twice")})


def check_one_active_per_type(identification, *, listed=(), replaced=()):
    """Refuse a second active identification of a type the client holds an active one of already, or
    that ``listed`` (the same form, in the state it saves them) holds. ``replaced``: ids of the saved
    identifications the same form deletes or changes, whose saved state does not count.

    The database refuses it too (``clients_identification_one_active_per_type``); this says it next
    to the box to untick, naming the document held.
    """
    if not identification.is_active or not identification.document_type_id:
        return
    held = next(
        (
            other
            for other in listed
            if other.is_active and other.document_type_id == identification.document_type_id
        ),
        None,
    )
    if held is None and identification.client_id:
        others = Identification.objects.filter(
            client_id=identification.client_id,
            document_type_id=identification.document_type_id,
            is_active=True,
        )
        # The rows of the same form are judged as the form leaves them, not as they are saved now.
        leaving = [other.pk for other in (identification, *listed) if other.pk]
        others = others.exclude(pk__in=[*leaving, *replaced])
        held = others.first()
    if held is not None:
        message = _(
            "This client already holds an active %(type)s (%(number)s). Mark that one inactive first, "
            "or record this one as inactive."
        ) % {"type": identification.document_type, "number": held.number}
        raise ValidationError({"is_active": ValidationError(message, code="active_twice")})


# A client in these states is still the institution's: it keeps the identifications registration asked.
_SERVED = (
    ClientStatus.PENDING,
    ClientStatus.ACTIVE,
    ClientStatus.TRANSFER_IN_PROGRESS,
    ClientStatus.TRANSFER_ON_HOLD,
)


def check_required_kept(client, *, removed=(), kept=()):
    """Refuse to leave a client still served without an identification of a type registration
    requires, when it holds one now: the last one is not removed, nor changed to another type.

    ``removed``: identifications deleted or changed (as saved now); ``kept``: the same client's
    identifications as they will be saved (changed or new). An inactive one still counts: a lost
    card is marked inactive, and the client stays identified on record until the new one is added.
    """
    if client.legal_form != LegalForm.INDIVIDUAL or client.status not in _SERVED or not removed:
        return
    required = {kind.pk: kind for kind in IdentificationType.objects.active().filter(is_required=True)}
    if not required:
        return
    leaving = {part.pk for part in (*removed, *kept) if part.pk}
    held = Identification.objects.filter(client=client, document_type__in=list(required))
    held = list(held.values_list("pk", "document_type_id"))
    before = {kind for _pk, kind in held}
    after = {kind for pk, kind in held if pk not in leaving} | {part.document_type_id for part in kept}
    lost = [str(required[pk]) for pk in sorted(before - after, key=lambda pk: required[pk].position)]
    if lost:
        raise ValidationError(
            _(
                "This is the client's last %(types)s, which every client must hold: add the new one "
                "first, then remove or change this one."
            )
            % {"types": ", ".join(lost)},
            code="required_identification",
        )


def check_identification_unique(identification, *, by, listed=(), replaced=()):
    """Refuse a number the client holds already, a second active document of a type, or a unique number
    another client holds (naming that client only if ``by`` may see it; asked of a new number only, see
    ``Identification.number_changed``). ``listed``: the identifications before this one in the same form;
    ``replaced``: see ``check_one_active_per_type``."""
    check_held_once(identification, listed=listed)
    check_one_active_per_type(identification, listed=listed, replaced=replaced)
    if not identification.number_changed():
        return  # a type made unique after two clients took the number leaves both editable
    holder = identification_holder(identification)
    if holder is None:
        return
    message = identification_taken(identification.document_type, _named(holder.client, by))
    raise ValidationError({"number": ValidationError(message, code="duplicate")})


def identification_taken(document_type, named):
    """What a person is told of a unique number another client holds, ``named`` (None: not named)."""
    if named:
        return _("This %(type)s number already belongs to %(client)s.") % {
            "type": document_type,
            "client": named,
        }
    return _("This %(type)s number already belongs to another client.") % {"type": document_type}


def registration_number_taken(named):
    """What a person is told of a registration number another business holds (see above)."""
    if named:
        return _("This registration number already belongs to %(client)s.") % {"client": named}
    return _("This registration number already belongs to another client.")


def _lock_unique_types(identifications):
    """Take the row locks of the unique identification types among ``identifications``.

    Two registrations at the same moment could each find a number free and both save it. Holding
    the type's row until commit makes the second wait, then find the first one's number.
    """
    type_ids = {identification.document_type_id for identification in identifications}
    locked = IdentificationType.objects.select_for_update().filter(pk__in=type_ids - {None}, is_unique=True)
    list(locked.order_by("pk").values_list("pk", flat=True))  # in one order, so that none deadlock


def check_required_identifications(client, identifications, *, required_types=None):
    """An individual registers with one active identification of every required type, valid on the day
    it is submitted (``lifecycle.identification_gaps``: an expired one is kept on record, not held).

    ``required_types``: the active required types, when the caller has read them (a bulk load)."""
    if client.legal_form != LegalForm.INDIVIDUAL:
        return
    if required_types is None:
        required_types = IdentificationType.objects.active().filter(is_required=True)
    held = [identification for identification in identifications if identification.is_active]
    on = client.submitted_on or today()
    missing, expired = lifecycle.identification_gaps(required_types, held, on=on)
    reasons = []
    if missing:
        reasons.append(
            _("An identification of these types is required to register: %(types)s.")
            % {"types": ", ".join(str(kind) for kind in missing)}
        )
    if expired:
        when = _("the submission date")
        reasons.append(lifecycle.expired_identifications_message(expired, on=on, when=when))
    if reasons:
        raise ValidationError(" ".join(reasons), code="missing_identification")


def registration_number_holder(client):
    """Another business registered with ``client``'s registration number (as normalised), or None."""
    number = client.compose_registration_number()
    if not number:
        return None
    others = Client.objects.filter(registration_number_normalized=number)
    if client.pk:
        others = others.exclude(pk=client.pk)
    return others.order_by("pk").first()


def check_registration_number_unique(client, *, by):
    """Refuse a business's registration number that another business holds, however it is written
    ("coop 2019 0042" is "COOP-2019-0042"), naming that business only if ``by`` may see it.

    Refused, as a unique identification number of a person is, rather than warned: a registry
    gives one number to one business, so a second holder is the same business or a typing error.
    """
    holder = registration_number_holder(client)
    if holder is None:
        return
    message = registration_number_taken(_named(holder, by))
    raise ValidationError({"registration_number": ValidationError(message, code="duplicate")})


def check_registration_number(client, *, by):
    """``check_registration_number_unique`` for a new business, or a registration number changed."""
    if registration_number_changed(client):
        check_registration_number_unique(client, by=by)


def registration_number_changed(client):
    """Whether ``client`` is new or its registration number (as compared) is not the saved one. Only
    then is the number checked: two businesses that shared one before the check existed stay
    editable until someone corrects it."""
    number = client.compose_registration_number()
    if client.pk is None or not number:
        return bool(number)
    saved = Client.objects.filter(pk=client.pk).values_list("registration_number_normalized", flat=True)
    return number != saved.first()


_REGISTRATION_LOCKS = 7301  # the advisory locks' first key: "a business's registration number"


def _lock_registration_number(client):
    """Make a second registration of the same number at the same moment wait for the first, then find
    it (a transaction-scoped advisory lock on PostgreSQL; SQLite writes one transaction at a time)."""
    number = client.compose_registration_number()
    if number and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_REGISTRATION_LOCKS, number])


def same_client(new, registered):
    """Whether ``new``, a client not saved, describes ``registered``, one already registered that holds
    one of its unique keys (an identification or registration number): no differing external id, the
    same legal form and name, and for a person the same date of birth. The importer skips such a row
    (a file may be uploaded again) and refuses any other: the number is someone else's."""
    if new.external_id and registered.external_id and new.external_id != registered.external_id:
        return False
    if new.legal_form != registered.legal_form or new.compose_search_name() != registered.search_name:
        return False
    return new.legal_form != LegalForm.INDIVIDUAL or new.date_of_birth == registered.date_of_birth


# What another client shares with a possible duplicate. Each is said in whole sentences, so that a
# translation agrees in gender and number: "la misma razón social", "les mêmes nom et date de naissance".
SAME_PERSON, SAME_BUSINESS, SAME_PHONE = "person", "business", "phone"
_SAME = {
    SAME_PERSON: (
        gettext_lazy("%(client)s has the same name and date of birth."),
        gettext_lazy("A client in another office has the same name and date of birth."),
        gettext_lazy("The client on line %(line)d has the same name and date of birth."),
    ),
    SAME_BUSINESS: (
        gettext_lazy("%(client)s has the same business name."),
        gettext_lazy("A client in another office has the same business name."),
        gettext_lazy("The client on line %(line)d has the same business name."),
    ),
    SAME_PHONE: (
        gettext_lazy("%(client)s has the same phone number."),
        gettext_lazy("A client in another office has the same phone number."),
        gettext_lazy("The client on line %(line)d has the same phone number."),
    ),
}


def duplicate_message(kind, *, client=None, line=None):
    """What a person is told of a possible duplicate sharing ``kind``: ``client``, the file's ``line``
    (an import), or neither (a client the person may not see)."""
    named, unseen, on_line = _SAME[kind]
    if line is not None:
        return on_line % {"line": line}
    if client is None:
        return str(unseen)
    return named % {"client": client}


def duplicate_keys(client):
    """(kind, value) of each thing another client must share with ``client`` to be a possible duplicate:
    a person's folded name with their date of birth, a business's folded name, a phone. The form
    (``possible_duplicates``) and the importer (a batch at a time) compare these."""
    name = client.compose_search_name()
    keys = []
    if client.legal_form == LegalForm.INDIVIDUAL and client.date_of_birth and name:
        keys.append((SAME_PERSON, (client.date_of_birth, name)))
    if client.legal_form == LegalForm.CORPORATE and name:
        keys.append((SAME_BUSINESS, name))
    if client.mobile_phone:
        keys.append((SAME_PHONE, client.mobile_phone))
    return keys


def _sharing(clients, kind, value):
    """Those of ``clients`` that share ``value`` of ``kind`` (see ``duplicate_keys``)."""
    if kind == SAME_PERSON:
        born, name = value
        return clients.filter(date_of_birth=born, search_name=name)
    if kind == SAME_BUSINESS:
        # Compared as the list's sort index orders names (clients.search.Bytewise), so it reads that index.
        named = clients.annotate(_name=Bytewise("search_name"))
        return named.filter(_name=value, legal_form=LegalForm.CORPORATE)
    return clients.filter(mobile_phone=value)


def possible_duplicates(client, *, by):
    """Other clients with the same folded name and date of birth (a person) or the same folded name (a
    business), or the same phone."""
    others = Client.objects.exclude(pk=client.pk) if client.pk else Client.objects.all()
    found = {}
    for kind, value in duplicate_keys(client):
        for pk in _sharing(others, kind, value).values_list("pk", flat=True)[:_MAX_DUPLICATES]:
            found.setdefault(pk, kind)
    if not found:
        return []
    visible = Client.objects.visible_to(by).in_bulk(list(found))
    return [PossibleDuplicate(client=visible.get(pk), kind=kind) for pk, kind in found.items()]


# --- Clients ----------------------------------------------------------------------------------------


@transaction.atomic
def register_client(client, *, by, identifications=(), family_members=()):
    """Register a new client: validate, number it, save it as Pending with its documents and family.

    Raises ValidationError (keyed by field where there is one) and writes nothing when anything is wrong.
    Possible duplicates are not refused here: the form asks the user to confirm them first.
    """
    client.full_clean(exclude=_SET_BY_REGISTRATION)
    check_may_register(client, by)
    _lock_registration_number(client)
    check_registration_number(client, by=by)
    _lock_unique_types(identifications)
    identifications = list(identifications)
    for index, identification in enumerate(identifications):
        identification.full_clean(exclude=["client"])
        check_identification_unique(identification, by=by, listed=identifications[:index])
    check_required_identifications(client, identifications)
    for member in family_members:
        member.full_clean(exclude=["client"])

    client.account_no = next_client_number(client.office)
    client.created_by = by
    _touch(client, by)
    client.save()
    try:
        lifecycle.submit(client, on=client.submitted_on, by=by)
    except lifecycle.TransitionError as error:
        raise ValidationError({"submitted_on": error.message}) from None
    for part in (*identifications, *family_members):
        part.client = client
        _as_history_user(part, by).save()
    return client


# What an edit may not change, with the way it does change. The forms and the admin hide these fields;
# the service refuses them too, since the importer and the admin's history revert bypass the forms.
_NOT_BY_EDITING = {
    "account_no": gettext_lazy("The client number is given at registration and never changes."),
    "legal_form": gettext_lazy("The legal form is chosen at registration; register the other form anew."),
    "status": gettext_lazy("The status changes only through the client's actions (activate, close...)."),
    "office": gettext_lazy("The office changes only through a transfer."),
    "transfer_to_office": gettext_lazy("A transfer is proposed, withdrawn or decided through its actions."),
    "staff": gettext_lazy("The credit officer changes only through the action Change credit officer."),
    "submitted_on": gettext_lazy("The submission date is set at registration."),
    "activated_on": gettext_lazy("The activation date is set by the action Activate."),
    "closed_on": gettext_lazy("The closure date is set by the action Close."),
    "status_changed_on": gettext_lazy("This date is set by the client's actions."),
    "created_by": gettext_lazy("The user who registered the client does not change."),
}


@transaction.atomic
def update_client(client, *, by):
    """Save changes to a client's own fields; status, office, officer and dates change through the lifecycle.

    Raises ValidationError, keyed by field, for a change only the lifecycle or registration may make.
    """
    refuse_changes(client, _NOT_BY_EDITING)  # first: the office checked next must be the saved one
    check_may_change(client, by)
    check_version(client)
    client.full_clean(exclude=_SET_BY_REGISTRATION)
    _lock_registration_number(client)
    check_registration_number(client, by=by)
    _touch(client, by)
    client.save()
    return client


# --- Identifications, family members, notes ---------------------------------------------------------


@transaction.atomic
def save_identification(identification, *, by):
    """Add or change one identification of a client."""
    return _save_identification(identification, by=by, check_kept=identification.pk is not None)


@transaction.atomic
def save_identifications(client, *, saved=(), deleted=(), by):
    """Change several identifications of one client in one go (the admin's lines), checked as the set
    they leave: a document is replaced in one save, the old one removed or made inactive and the new
    one added, though one at a time the client would be left without one, or hold two active."""
    check_may_change(client, by)
    check_required_kept(client, removed=[*deleted, *(part for part in saved if part.pk)], kept=saved)
    for identification in deleted:
        _delete_part(identification, by=by, check_kept=False)
    # Those made inactive first: the type's active place is then free for their replacement.
    for identification in sorted(saved, key=lambda part: part.is_active):
        _save_identification(identification, by=by, check_kept=False)


def _save_identification(identification, *, by, check_kept):
    check_may_change(identification.client, by)
    check_version(identification)
    # Before full_clean, whose constraint checks say it less precisely.
    check_held_once(identification)
    check_one_active_per_type(identification)
    if check_kept:
        check_required_kept(identification.client, removed=[identification], kept=[identification])
    identification.full_clean()
    _lock_unique_types([identification])
    check_identification_unique(identification, by=by)
    _as_history_user(identification, by).save()
    return identification


@transaction.atomic
def save_family_member(member, *, by):
    """Add or change one member of a client's family."""
    check_may_change(member.client, by)
    check_version(member)
    member.full_clean()
    _as_history_user(member, by).save()
    return member


@transaction.atomic
def delete_part(part, *, by):
    """Remove an identification or a family member; the history keeps who removed it."""
    _delete_part(part, by=by, check_kept=isinstance(part, Identification))


def _delete_part(part, *, by, check_kept):
    check_may_change(part.client, by)
    check_version(part)
    if check_kept:
        check_required_kept(part.client, removed=[part])
    if isinstance(part, Identification):
        _detach_documents(part, by=by)
    _as_history_user(part, by).delete()


def _detach_documents(identification, *, by):
    """The documents supporting a removed identification stay the client's; each is saved unattached
    first, so that its history (and the client's History tab) says who detached it and when, where
    the database's SET NULL would have changed it unseen."""
    for document in identification.documents.all():
        document.identification = None
        _as_history_user(document, by).save(update_fields=["identification"])


@transaction.atomic
def save_note(note, *, by):
    """Write a new note, or change one (the history keeps the earlier text)."""
    check_may_change(note.client, by)
    check_version(note)
    if note.pk is None:
        note.created_by = by
    elif not note.may_be_changed_by(by):
        raise PermissionDenied(_("Only the author or a manager may change this note."))
    else:
        note.updated_by = by
    note.full_clean()
    _as_history_user(note, by).save()
    return note


@transaction.atomic
def delete_note(note, *, by):
    check_may_change(note.client, by)
    if not note.may_be_changed_by(by):
        raise PermissionDenied(_("Only the author or a manager may delete this note."))
    check_version(note)  # a note changed since the page showed it is not removed unseen
    _as_history_user(note, by).delete()
