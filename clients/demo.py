"""Demo lookup lists, institution rules and a handful of clients. Idempotent: running it twice changes
nothing.

The clients go through ``register_client`` as the system user, so they are numbered, validated and
in the history like any other; the bulk generator (``seed_demo --clients N``) lives in demo_clients.py.
"""

import datetime

from django.utils.translation import gettext as _

from offices.models import Office, Staff, get_system_user

from . import registration
from .choices import Gender, LegalForm, MaritalStatus, ReasonKind
from .models import (
    BusinessLine,
    Client,
    ClientActionReason,
    ClientRules,
    EducationLevel,
    FamilyMember,
    Identification,
    IdentificationType,
    LegalStructure,
    Note,
    Occupation,
    RelationshipType,
)

# (name, format, format described, unique, required to register)
IDENTIFICATION_TYPES = [
    ("National ID", r"^[0-9]{8}[A-Z]$", "8 digits and a letter, e.g. 12345678A", True, True),
    ("Passport", r"^[A-Z]{1,2}[0-9]{6,7}$", "1 or 2 letters and 6 or 7 digits, e.g. AB1234567", True, False),
    ("Voter card", r"^[0-9]{10}$", "10 digits", True, False),
    ("Driving licence", "", "", True, False),
]
LOOKUPS = {
    RelationshipType: ["Spouse", "Child", "Parent", "Sibling", "Grandparent", "Other relative"],
    Occupation: [
        "Farmer",
        "Market trader",
        "Shopkeeper",
        "Tailor",
        "Teacher",
        "Driver",
        "Artisan",
        "Fisher",
        "Hairdresser",
        "Student",
    ],
    EducationLevel: ["No formal education", "Primary", "Secondary", "Vocational", "University"],
    LegalStructure: ["Sole proprietorship", "Partnership", "Cooperative", "Limited company", "Association"],
    BusinessLine: [
        "Agriculture",
        "Retail trade",
        "Services",
        "Manufacturing",
        "Transport",
        "Food and catering",
    ],
}
REASONS = {
    ReasonKind.REJECTION: ["Incomplete documents", "Outside the service area", "Does not meet the criteria"],
    ReasonKind.WITHDRAWAL: ["Changed their mind", "Moved away", "Joined another institution"],
    ReasonKind.CLOSURE: ["Moved away", "Deceased", "Asked to leave", "Duplicate record"],
}

# Individuals: (external id, office, officer, first, last, gender, born, marital status, occupation,
#               phone, national id, submitted on, family as (first, last, relationship, born, dependent))
PEOPLE = [
    (
        "demo-01",
        "BR01",
        "Grace Achieng",
        "Wanjiru",
        "Kamau",
        Gender.FEMALE,
        datetime.date(1986, 4, 12),
        MaritalStatus.MARRIED,
        "Market trader",
        "+254712000101",
        "10000001A",
        datetime.date(2025, 2, 3),
        [
            ("Joseph", "Kamau", "Spouse", datetime.date(1983, 9, 1), False),
            ("Faith", "Kamau", "Child", datetime.date(2012, 6, 20), True),
        ],
    ),
    (
        "demo-02",
        "BR01",
        "Samuel Okello",
        "Otieno",
        "Odhiambo",
        Gender.MALE,
        datetime.date(1979, 11, 30),
        MaritalStatus.MARRIED,
        "Farmer",
        "+254712000102",
        "10000002B",
        datetime.date(2025, 3, 10),
        [("Akinyi", "Odhiambo", "Spouse", datetime.date(1982, 2, 14), False)],
    ),
    (
        "demo-03",
        "BR01",
        "Grace Achieng",
        "Amani",
        "Njeri",
        Gender.FEMALE,
        datetime.date(1995, 7, 8),
        MaritalStatus.SINGLE,
        "Hairdresser",
        "+254712000103",
        "10000003C",
        datetime.date(2025, 5, 21),
        [],
    ),
    (
        "demo-04",
        "BR02",
        "María Fernández",
        "Lucía",
        "Ramírez",
        Gender.FEMALE,
        datetime.date(1990, 1, 25),
        MaritalStatus.COHABITING,
        "Tailor",
        "+50255510104",
        "10000004D",
        datetime.date(2025, 4, 2),
        [("Mateo", "Ramírez", "Child", datetime.date(2015, 3, 3), True)],
    ),
    (
        "demo-05",
        "BR02",
        "María Fernández",
        "José",
        "Hernández",
        Gender.MALE,
        datetime.date(1972, 5, 16),
        MaritalStatus.WIDOWED,
        "Driver",
        "+50255510105",
        "10000005E",
        datetime.date(2025, 6, 11),
        [],
    ),
    (
        "demo-06",
        "BR03",
        "Jean Dupont",
        "Aminata",
        "Traoré",
        Gender.FEMALE,
        datetime.date(1988, 12, 2),
        MaritalStatus.MARRIED,
        "Shopkeeper",
        "+22370000106",
        "10000006F",
        datetime.date(2025, 1, 15),
        [
            ("Moussa", "Traoré", "Spouse", datetime.date(1984, 8, 19), False),
            ("Awa", "Traoré", "Child", datetime.date(2014, 10, 5), True),
        ],
    ),
    (
        "demo-07",
        "BR03",
        "Jean Dupont",
        "François",
        "Lefèvre",
        Gender.MALE,
        datetime.date(1999, 3, 27),
        MaritalStatus.SINGLE,
        "Artisan",
        "+22370000107",
        "10000007G",
        datetime.date(2025, 7, 1),
        [],
    ),
    (
        "demo-08",
        "BR01",
        "Samuel Okello",
        "Halima",
        "Mohamed",
        Gender.FEMALE,
        datetime.date(1983, 10, 9),
        MaritalStatus.DIVORCED,
        "Fisher",
        "+254712000108",
        "10000008H",
        datetime.date(2025, 8, 18),
        [("Yusuf", "Mohamed", "Child", datetime.date(2010, 1, 11), True)],
    ),
]
# Businesses: (external id, office, officer, name, registration number, legal structure, business line,
#              contact person, phone, incorporated, submitted on)
BUSINESSES = [
    (
        "demo-09",
        "BR01",
        "Grace Achieng",
        "Riverside Women's Cooperative",
        "COOP-2019-0042",
        "Cooperative",
        "Agriculture",
        "Wanjiru Kamau",
        "+254712000109",
        datetime.date(2019, 5, 4),
        datetime.date(2025, 3, 3),
    ),
    (
        "demo-10",
        "BR03",
        "Jean Dupont",
        "Boulangerie du Lac",
        "RC-BKO-2021-B-1187",
        "Sole proprietorship",
        "Food and catering",
        "François Lefèvre",
        "+22370000110",
        datetime.date(2021, 9, 13),
        datetime.date(2025, 9, 9),
    ),
]


NOTES = {
    "demo-01": [
        "Visited the stall on market day; stock looks healthy.",
        "Asked about a loan for a second stall.",
    ],
    "demo-06": ["Husband confirmed he supports the application."],
}


def seed(stdout=None, **options):
    seed_lookups()
    ClientRules.load()
    created = seed_clients(get_system_user())
    if stdout is not None and created:
        stdout.write(_("Demo clients registered: %(count)d") % {"count": created})


def seed_lookups():
    for position, (name, regex, example, unique, required) in enumerate(IDENTIFICATION_TYPES):
        IdentificationType.objects.get_or_create(
            name=name,
            defaults={
                "format_regex": regex,
                "format_example": example,
                "is_unique": unique,
                "is_required": required,
                "position": position,
            },
        )
    for model, names in LOOKUPS.items():
        for position, name in enumerate(names):
            model.objects.get_or_create(name=name, defaults={"position": position})
    for kind, names in REASONS.items():
        for position, name in enumerate(names):
            ClientActionReason.objects.get_or_create(kind=kind, name=name, defaults={"position": position})


def seed_clients(by):
    """Register the demo clients that are not there yet; returns how many were registered."""
    demo_clients = Client.objects.filter(external_id__startswith="demo-")
    existing = set(demo_clients.values_list("external_id", flat=True))
    offices = {office.code: office for office in Office.objects.all()}
    officers = {staff.display_name: staff for staff in Staff.objects.credit_officers()}
    national_id = IdentificationType.objects.get(name="National ID")
    count = 0
    for (
        external_id,
        office,
        officer,
        first,
        last,
        gender,
        born,
        marital,
        occupation,
        phone,
        number,
        submitted,
        family,
    ) in PEOPLE:
        if external_id in existing:
            continue
        client = Client(
            legal_form=LegalForm.INDIVIDUAL,
            external_id=external_id,
            office=offices[office],
            staff=officers.get(officer),
            first_name=first,
            last_name=last,
            gender=gender,
            date_of_birth=born,
            marital_status=marital,
            occupation=Occupation.objects.get(name=occupation),
            mobile_phone=phone,
            city=offices[office].name.replace(" Branch", ""),
            submitted_on=submitted,
        )
        members = [
            FamilyMember(
                first_name=member_first,
                last_name=member_last,
                relationship=RelationshipType.objects.get(name=relationship),
                date_of_birth=member_born,
                is_dependent=dependent,
            )
            for member_first, member_last, relationship, member_born, dependent in family
        ]
        registration.register_client(
            client,
            by=by,
            identifications=[Identification(document_type=national_id, number=number)],
            family_members=members,
        )
        for text in NOTES.get(external_id, ()):
            registration.save_note(Note(client=client, text=text), by=by)
        count += 1
    for (
        external_id,
        office,
        officer,
        name,
        registration_number,
        structure,
        line,
        contact,
        phone,
        incorporated,
        submitted,
    ) in BUSINESSES:
        if external_id in existing:
            continue
        client = Client(
            legal_form=LegalForm.CORPORATE,
            external_id=external_id,
            office=offices[office],
            staff=officers.get(officer),
            business_name=name,
            registration_number=registration_number,
            legal_structure=LegalStructure.objects.get(name=structure),
            business_line=BusinessLine.objects.get(name=line),
            contact_person=contact,
            mobile_phone=phone,
            incorporation_date=incorporated,
            submitted_on=submitted,
        )
        registration.register_client(client, by=by)
        count += 1
    return count
