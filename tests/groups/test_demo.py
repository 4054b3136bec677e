import pytest
from django.core.management import call_command

from groups.choices import GroupStatus
from groups.models import Group, Membership

pytestmark = pytest.mark.django_db


def test_seed_demo_forms_centers_and_groups_of_the_demo_clients_once():
    call_command("seed_demo", quiet_logins=True)
    first = (Group.objects.count(), Membership.objects.count())
    call_command("seed_demo", quiet_logins=True)

    assert (Group.objects.count(), Membership.objects.count()) == first
    umoja = Group.objects.get(name="Umoja Women's Group")
    assert umoja.status == GroupStatus.ACTIVE
    assert umoja.parent.name == "Riverside Market Center"
    assert umoja.memberships.current().get(role__name="Leader").client.external_id == "demo-01"
    assert Group.objects.centers().count() == 2
