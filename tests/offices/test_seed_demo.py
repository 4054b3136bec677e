import pytest
from django.core.management import call_command

from offices.demo import DEMO_PASSWORD
from offices.models import Office, Staff, User

pytestmark = pytest.mark.django_db


def counts():
    return (Office.objects.count(), Staff.objects.count(), User.objects.count())


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")

    assert counts() == first
    assert first[0] >= 4 and first[1] >= 4


def test_seed_demo_prints_sign_ins_that_work(client, capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out

    for username in ("admin", "manager", "officer"):
        assert username in output
        assert client.login(username=username, password=DEMO_PASSWORD)
    assert DEMO_PASSWORD in output


def test_the_demo_officer_is_a_credit_officer_of_a_branch():
    call_command("seed_demo", quiet_logins=True)
    officer = User.objects.get(username="officer")

    assert officer.staff.is_credit_officer
    assert not officer.office.is_head_office
