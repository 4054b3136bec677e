import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from offices.roles import ROLE_PERMISSIONS


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """Roles come from data migrations, which the flush after a transactional test removes: put them back."""
    for role, permissions in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = Q()
        for dotted in permissions:
            app_label, codename = dotted.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.filter(wanted))
