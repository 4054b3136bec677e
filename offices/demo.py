"""Demo offices, staff and sign-ins. Idempotent: running it twice changes nothing."""

import datetime

from django.contrib.auth.models import Group

from . import roles
from .models import Office, Staff, User, get_system_user

DEMO_PASSWORD = "mifos-demo-2026"

# (code, name, parent code, opening date)
OFFICES = [
    ("HO", "Head Office", None, datetime.date(2012, 1, 2)),
    ("RN", "North Region", "HO", datetime.date(2013, 3, 1)),
    ("RS", "South Region", "HO", datetime.date(2013, 3, 1)),
    ("BR01", "Riverside Branch", "RN", datetime.date(2014, 2, 3)),
    ("BR02", "Hilltop Branch", "RN", datetime.date(2015, 6, 1)),
    ("BR03", "Lakeside Branch", "RS", datetime.date(2016, 9, 5)),
]

# (first, last, office code, credit officer, username of a linked sign-in or None)
STAFF = [
    ("Grace", "Achieng", "BR01", True, "officer"),
    ("Samuel", "Okello", "BR01", True, None),
    ("María", "Fernández", "BR02", True, None),
    ("Jean", "Dupont", "BR03", True, None),
    ("Peter", "Mwangi", "BR01", False, "manager"),
    ("Amina", "Diallo", "HO", False, "admin"),
]

# (username, first, last, office code, role, is_staff)
USERS = [
    ("admin", "Amina", "Diallo", "HO", roles.HEAD_OFFICE_ADMIN, True),
    ("manager", "Peter", "Mwangi", "BR01", roles.BRANCH_MANAGER, False),
    ("officer", "Grace", "Achieng", "BR01", roles.BRANCH_STAFF, False),
]


def seed(stdout=None, **options):
    offices = {}
    for code, name, parent_code, opened in OFFICES:
        office = Office.objects.filter(code=code).first()
        if office is None:
            office = Office(code=code, name=name, parent=offices.get(parent_code), opening_date=opened)
            office.save()
        offices[code] = office
    get_system_user()
    users = {}
    for username, first, last, office_code, role, is_staff in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "office": offices[office_code],
                "is_staff": is_staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=role))
        users[username] = user
    for first, last, office_code, is_officer, username in STAFF:
        Staff.objects.get_or_create(
            first_name=first,
            last_name=last,
            office=offices[office_code],
            defaults={
                "is_credit_officer": is_officer,
                "user": users.get(username),
                "joining_date": offices[office_code].opening_date,
            },
        )
    return {"offices": offices, "users": users}


def sign_ins():
    """The lines that tell a person how to sign in to the demo."""
    return [
        (username, DEMO_PASSWORD, role, office_code)
        for username, _first, _last, office_code, role, _is_staff in USERS
    ]
