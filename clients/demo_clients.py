"""Bulk demo clients for ``seed_demo --clients N``: realistic, many, and fast.

Each client has a number from its office's sequence, a credit officer, a phone, a timeline that
matches its status (submitted, then activated, closed, rejected or withdrawn) with its officer
assignment; individuals also have a national identification (some a passport too) and a
household. Names are English, Spanish and French (see demo_names.py). Clients are spread over
up to 200 branches (about 5,000 per branch), which are created under the regions when missing.

It tops up: the generated clients carry external ids ``GEN-00000001``..., so running it again
with the same N adds nothing. Rows go in through mifos.bulk (COPY on PostgreSQL) and skip
``save()`` and history on purpose (a million history rows would double the load); what ``save()``
would compute is computed here the same way (search names with the model's own function).
"""

import datetime
import functools
import itertools
import math
import random
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from mifos.bulk import BulkWriter, Table
from offices.models import Office, Staff, get_system_user

from .choices import ClientAction, ClientStatus, Gender, LegalForm, MaritalStatus
from .demo import seed_lookups
from .demo_names import BUSINESS_FORMS, COUNTRIES, LANGUAGES, NAMES, PHONE_PREFIXES, TOWNS
from .lifecycle import user_name
from .models import (
    BusinessLine,
    Client,
    ClientEvent,
    ClientRules,
    EducationLevel,
    FamilyMember,
    Identification,
    IdentificationType,
    LegalStructure,
    Occupation,
    OfficerAssignment,
    RelationshipType,
    name_for_search,
)
from .normalize import normalize_id_number
from .numbering import reserve_client_numbers

EXTERNAL_ID_PREFIX = "GEN-"
CLIENTS_PER_BRANCH = 5000
MAX_BRANCHES = 200
BRANCHES_PER_REGION = 20
OFFICERS_PER_BRANCH = 3
# Generated identification numbers start here, away from the hand-written demo clients' numbers.
ID_NUMBER_BASE = 20_000_000
ID_CHECK_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"

# (status, share of clients in percent)
STATUS_SHARES = [
    (ClientStatus.ACTIVE, 78),
    (ClientStatus.PENDING, 10),
    (ClientStatus.CLOSED, 4),
    (ClientStatus.REJECTED, 4),
    (ClientStatus.WITHDRAWN, 4),
]
CORPORATE_SHARE = 0.03
PASSPORT_SHARE = 0.3
TABLES = (Client, Identification, FamilyMember, ClientEvent, OfficerAssignment)


def seed(stdout=None, clients=None, **options):
    """seed_demo's hook: top the generated clients up to ``--clients N``."""
    if clients:
        generate_clients(clients, stdout=stdout)


def generated_clients():
    return Client.objects.filter(external_id__startswith=EXTERNAL_ID_PREFIX)


def generate_clients(total, *, stdout=None, seed_value=20260101):
    """Add generated clients until there are ``total`` of them; returns how many were added."""
    existing = generated_clients().count()
    missing = total - existing
    if missing <= 0:
        if stdout is not None:
            stdout.write(_("Generated clients: %(count)d already there.") % {"count": existing})
        return 0
    last = generated_clients().order_by("-external_id").values_list("external_id", flat=True).first()
    first_sequence = int(last.removeprefix(EXTERNAL_ID_PREFIX)) + 1 if last else 1
    rng = random.Random(seed_value + first_sequence)
    seed_lookups()
    branches = branches_for(total)
    officers = officers_by_branch(branches, rng)
    generator = ClientGenerator(rng, first_sequence)
    writer = BulkWriter()
    # Everything that needs the database is fetched first: during the load the connection copies.
    rules = ClientRules.load()
    shares = [missing // len(branches) + (index < missing % len(branches)) for index in range(len(branches))]
    work = [
        (branch, reserve_client_numbers(branch, count, rules=rules), officers[branch.pk])
        for branch, count in zip(branches, shares, strict=True)
        if count
    ]
    ids = iter(writer.reserve_ids(Client, missing))
    with writer.loading(TABLES, rows_added=missing, rows_there=Client.objects.count()):
        for branch, numbers, branch_officers in work:
            rows = generator.branch_rows(branch, numbers, [next(ids) for _number in numbers], branch_officers)
            for model, table in generator.tables.items():
                writer.write(table, rows[model])
    if stdout is not None:
        stdout.write(
            _("Generated clients: %(added)d added, %(total)d in all, over %(branches)d branches.")
            % {"added": missing, "total": total, "branches": len(branches)}
        )
    return missing


# --- Offices and officers --------------------------------------------------------------------------


def branches_for(total_clients):
    """Branch offices to spread ``total_clients`` over, creating branches (and regions) as needed."""
    wanted = min(MAX_BRANCHES, max(1, math.ceil(total_clients / CLIENTS_PER_BRANCH)))
    head = Office.objects.get(parent=None)
    branches = list(Office.objects.exclude(parent=None).filter(children=None).order_by("path"))
    if len(branches) >= wanted:
        return branches[:MAX_BRANCHES]
    regions = list(Office.objects.filter(parent=head).exclude(children=None).order_by("path"))
    opened = datetime.date(2014, 1, 6)
    for number in range(len(regions) + 1, math.ceil(wanted / BRANCHES_PER_REGION) + 1):
        region = Office(name=f"Region {number:02d}", code=f"GR{number:02d}", parent=head, opening_date=opened)
        region.save()
        regions.append(region)
    taken_names = set(Office.objects.values_list("name", flat=True))
    taken_codes = set(Office.objects.values_list("code", flat=True))
    names = (name for name in _branch_names() if name not in taken_names)
    codes = (code for code in (f"GB{number:03d}" for number in itertools.count(1)) if code not in taken_codes)
    while len(branches) < wanted:
        region = regions[len(branches) % len(regions)]
        branch = Office(
            name=next(names), code=next(codes), parent=region, opening_date=max(opened, region.opening_date)
        )
        branch.save()
        branches.append(branch)
    return branches


def _branch_names():
    for round_number in itertools.count(1):
        for towns in zip(*TOWNS.values(), strict=True):
            for town in towns:
                yield f"{town} Branch" if round_number == 1 else f"{town} Branch {round_number}"


def officers_by_branch(branches, rng):
    """At least OFFICERS_PER_BRANCH active credit officers in each branch: {office id: [staff id]}."""
    officers = {branch.pk: [] for branch in branches}
    serving = Staff.objects.credit_officers().filter(office__in=branches)
    for staff_id, office_id in serving.values_list("pk", "office_id"):
        officers[office_id].append(staff_id)
    new_staff = []
    for branch in branches:
        names = NAMES[language_of(branch)]
        for _index in range(OFFICERS_PER_BRANCH - len(officers[branch.pk])):
            new_staff.append(
                Staff(
                    first_name=rng.choice(names[rng.choice([Gender.FEMALE, Gender.MALE])][:15]),
                    last_name=rng.choice(names["last"][:40]),
                    office=branch,
                    is_credit_officer=True,
                    joining_date=branch.opening_date,
                )
            )
    for staff in Staff.objects.bulk_create(new_staff):
        officers[staff.office_id].append(staff.pk)
    return officers


def language_of(office):
    """Each branch has a main language, so names cluster by place as they do in life."""
    return LANGUAGES[office.pk % len(LANGUAGES)]


# --- The rows --------------------------------------------------------------------------------------


class Draw:
    """Draws from a list by frequency (Zipf-like: the first item is far more common than the last).

    Draws a thousand at a time, which is much faster than one call to random per name.
    """

    def __init__(self, rng, items, *, skew=0.9):
        self.rng = rng
        self.items = items
        self.cum_weights = list(itertools.accumulate(1 / (rank + 1) ** skew for rank in range(len(items))))
        self.ahead = []

    def __call__(self):
        if not self.ahead:
            self.ahead = self.rng.choices(self.items, cum_weights=self.cum_weights, k=1000)
        return self.ahead.pop()


class ClientGenerator:
    """Makes the rows of one branch's clients: client, identifications, family, timeline, officer."""

    def __init__(self, rng, first_sequence):
        self.rng = rng
        self.sequence = first_sequence
        self.today = timezone.localdate()
        self.now = timezone.now()
        system = get_system_user()
        self.created_by = {"created_by_id": system.pk}
        self.event_common = {
            "created_at": self.now,
            "created_by_id": system.pk,
            "created_by_name": user_name(system),
        }
        self.national_id = IdentificationType.objects.get(name="National ID").pk
        self.passport = IdentificationType.objects.get(name="Passport").pk
        self.spouse = RelationshipType.objects.get(name="Spouse").pk
        self.child = RelationshipType.objects.get(name="Child").pk
        self.occupations = list(Occupation.objects.values_list("pk", flat=True))
        self.education_levels = list(EducationLevel.objects.values_list("pk", flat=True))
        self.legal_structures = list(LegalStructure.objects.values_list("pk", flat=True))
        self.business_lines = list(BusinessLine.objects.values_list("pk", flat=True))
        self.tables = {model: Table(model, with_id=model is Client) for model in TABLES}
        self.draw = {
            (language, key): Draw(rng, names)
            for language, lists in NAMES.items()
            for key, names in lists.items()
        }
        self.status_weights = [share for _status, share in STATUS_SHARES]
        # The same few thousand names recur; folding each once saves a third of the time.
        self.search_name = functools.lru_cache(maxsize=500_000)(name_for_search)

    def days(self, low, high):
        return datetime.timedelta(days=low + int(self.rng.random() * (high - low)))

    def branch_rows(self, branch, numbers, ids, officers):
        """{model: [row]} for ``len(numbers)`` new clients of ``branch``."""
        rng = self.rng
        rows = {model: [] for model in TABLES}
        main = language_of(branch)
        languages = rng.choices([main, *LANGUAGES], weights=[3, 1, 1, 1], k=len(numbers))
        statuses = rng.choices(
            [status for status, _share in STATUS_SHARES], weights=self.status_weights, k=len(numbers)
        )
        opened = max(branch.opening_date, self.today - datetime.timedelta(days=8 * 365))
        span = max((self.today - opened).days - 60, 1)
        for client_id, number, language, status in zip(ids, numbers, languages, statuses, strict=True):
            submitted = opened + self.days(0, span)
            self.add_client(
                rows, branch, client_id, number, language, status, submitted, rng.choice(officers)
            )
            self.sequence += 1
        return rows

    def add_client(self, rows, branch, client_id, number, language, status, submitted, staff_id):
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < 0.6 else Gender.MALE
        first = self.draw[language, gender]()
        last = self.last_name(language)
        town = TOWNS[language][int(rng.random() * len(TOWNS[language]))]
        values = {
            "id": client_id,
            "account_no": number,
            "office_id": branch.pk,
            "staff_id": staff_id,
            "external_id": f"{EXTERNAL_ID_PREFIX}{self.sequence:08d}",
            "status": status.value,
            "mobile_phone": f"{PHONE_PREFIXES[language]}{int(rng.random() * 90_000_000) + 10_000_000}",
            "city": town,
            "country": COUNTRIES[language],
            "submitted_on": submitted,
            "created_at": self.now,
            "updated_at": self.now,
            **self.created_by,
        }
        if rng.random() < CORPORATE_SHARE:
            business = rng.choice(BUSINESS_FORMS[language]).format(last=last, first=first, town=town)
            values.update(
                legal_form=LegalForm.CORPORATE.value,
                business_name=business,
                display_name=business,
                search_name=self.search_name(business),
                registration_number=f"RC-{self.sequence:08d}",
                registration_number_normalized=f"RC{self.sequence:08d}",  # as registration compares it
                incorporation_date=submitted - self.days(365, 20 * 365),
                legal_structure_id=rng.choice(self.legal_structures),
                business_line_id=rng.choice(self.business_lines),
                contact_person=f"{first} {last}",
            )
        else:
            middle = self.draw[language, gender]() if rng.random() < 0.15 else ""
            middle = "" if middle == first else middle
            married = rng.random() < 0.55
            born = submitted - self.days(19 * 365, 70 * 365)
            values.update(
                legal_form=LegalForm.INDIVIDUAL.value,
                first_name=first,
                middle_name=middle,
                last_name=last,
                display_name=f"{first} {middle} {last}" if middle else f"{first} {last}",
                search_name=self.search_name(first, middle, last),
                gender=gender.value,
                date_of_birth=born,
                marital_status=(MaritalStatus.MARRIED if married else MaritalStatus.SINGLE).value,
                dependents=int(rng.random() * 6),
                occupation_id=rng.choice(self.occupations),
                education_level_id=rng.choice(self.education_levels),
                monthly_income=Decimal(50 + int(rng.random() * 2950)),
            )
            self.add_identifications(rows, client_id, submitted)
            self.add_family(rows, client_id, language, last, married, born)
        values.update(self.add_timeline(rows, branch, client_id, staff_id, status, submitted))
        rows[Client].append(self.tables[Client].row(values))

    def last_name(self, language):
        if language == "es":  # two surnames, the father's and the mother's
            return f"{self.draw[language, 'last']()} {self.draw[language, 'last']()}"
        return self.draw[language, "last"]()

    def add_identifications(self, rows, client_id, submitted):
        table = self.tables[Identification]
        serial = ID_NUMBER_BASE + self.sequence
        national = f"{serial:08d}-{ID_CHECK_LETTERS[serial % len(ID_CHECK_LETTERS)]}"
        issued = submitted - self.days(30, 3650)
        rows[Identification].append(
            table.row(
                {
                    "client_id": client_id,
                    "document_type_id": self.national_id,
                    "number": national,
                    "number_normalized": normalize_id_number(national),
                    "issue_date": issued,
                    "is_active": True,
                }
            )
        )
        if self.rng.random() < PASSPORT_SHARE:
            passport = f"P{self.sequence:07d}"
            rows[Identification].append(
                table.row(
                    {
                        "client_id": client_id,
                        "document_type_id": self.passport,
                        "number": passport,
                        "number_normalized": normalize_id_number(passport),
                        "issue_date": issued,
                        "expiry_date": issued + datetime.timedelta(days=3650),
                        "is_active": True,
                    }
                )
            )

    def add_family(self, rows, client_id, language, last, married, born):
        table = self.tables[FamilyMember]
        rng = self.rng
        members = []
        if married:
            members.append((self.spouse, born + self.days(-2000, 2000)))
        for _child in range((0, 0, 1, 1, 2, 3)[int(rng.random() * 6)]):
            members.append((self.child, min(born + self.days(18 * 365, 40 * 365), self.today)))
        adult = self.today - datetime.timedelta(days=18 * 365)
        for relationship, member_born in members:
            gender = Gender.FEMALE if rng.random() < 0.5 else Gender.MALE
            rows[FamilyMember].append(
                table.row(
                    {
                        "client_id": client_id,
                        "first_name": self.draw[language, gender](),
                        "last_name": last,
                        "relationship_id": relationship,
                        "gender": gender.value,
                        "date_of_birth": member_born,
                        "is_dependent": relationship == self.child and member_born > adult,
                    }
                )
            )

    def add_timeline(self, rows, branch, client_id, staff_id, status, submitted):
        """The events that lead to ``status``, as the lifecycle writes them; returns the client's dates."""
        events = [(ClientAction.SUBMITTED, submitted, "", ClientStatus.PENDING)]
        dates = {"status_changed_on": submitted}
        decided = min(submitted + self.days(1, 30), self.today)
        if status in (ClientStatus.ACTIVE, ClientStatus.CLOSED):
            events.append((ClientAction.ACTIVATED, decided, ClientStatus.PENDING, ClientStatus.ACTIVE))
            dates.update(activated_on=decided, status_changed_on=decided)
            if status == ClientStatus.CLOSED:
                closed = min(decided + self.days(30, 2000), self.today)
                events.append((ClientAction.CLOSED, closed, ClientStatus.ACTIVE, ClientStatus.CLOSED))
                dates.update(closed_on=closed, status_changed_on=closed)
        elif status in (ClientStatus.REJECTED, ClientStatus.WITHDRAWN):
            action = ClientAction.REJECTED if status == ClientStatus.REJECTED else ClientAction.WITHDRAWN
            events.append((action, decided, ClientStatus.PENDING, status))
            dates.update(status_changed_on=decided)
        table = self.tables[ClientEvent]
        common = {"client_id": client_id, "office_id": branch.pk, **self.event_common}
        for action, on, from_status, to_status in events:
            rows[ClientEvent].append(
                table.row(
                    {
                        "action": action.value,
                        "effective_date": on,
                        "from_status": str(from_status),
                        "to_status": str(to_status),
                        **common,
                    }
                )
            )
        rows[ClientEvent].append(
            table.row(
                {
                    "action": ClientAction.OFFICER_ASSIGNED.value,
                    "effective_date": submitted,
                    "staff_id": staff_id,
                    **common,
                }
            )
        )
        rows[OfficerAssignment].append(
            self.tables[OfficerAssignment].row(
                {
                    "client_id": client_id,
                    "staff_id": staff_id,
                    "start_date": submitted,
                    **self.created_by,
                }
            )
        )
        return dates
