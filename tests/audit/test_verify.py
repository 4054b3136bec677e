import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit import record
from audit.models import Event
from audit.recording import seal

pytestmark = pytest.mark.django_db


def _raw(sql, params):
    """Change the log behind the application's back, as someone with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")


def _three_events():
    events = [record(None, f"tests.thing.{name}", n=index) for index, name in enumerate(("a", "b", "c"))]
    seal()
    for event in events:
        event.refresh_from_db()
    return events


def test_an_intact_log_passes(capsys):
    _three_events()
    record(None, "tests.thing.waiting")  # its process stopped before sealing it: chained now

    call_command("verify_audit")

    assert "4 events checked" in capsys.readouterr().out


def test_it_names_an_altered_event():
    first, second, third = _three_events()
    _raw("UPDATE audit_event SET object_repr = %s WHERE id = %s", ["someone else", second.pk])

    with pytest.raises(CommandError, match=f"Event number {second.sequence} .* was altered"):
        call_command("verify_audit")


def test_it_names_an_altered_detail():
    first, second, third = _three_events()
    _raw("UPDATE audit_event SET details = %s WHERE id = %s", ['{"n": 7}', third.pk])

    with pytest.raises(CommandError, match=f"Event number {third.sequence} .* was altered"):
        call_command("verify_audit")


def test_it_names_a_deleted_event():
    first, second, third = _three_events()
    _raw("DELETE FROM audit_event WHERE id = %s", [second.pk])

    with pytest.raises(CommandError, match=f"Event number {second.sequence} is missing"):
        call_command("verify_audit")


def test_it_notices_the_last_events_removed():
    first, second, third = _three_events()
    _raw("DELETE FROM audit_event WHERE id = %s", [third.pk])

    with pytest.raises(CommandError, match=f"from number {third.sequence} to {third.sequence}, are missing"):
        call_command("verify_audit")


def test_a_recomputed_hash_does_not_hide_a_change_to_the_next_link():
    first, second, third = _three_events()
    # Rewriting an event and its own hash still breaks the link to the next event.
    _raw("UPDATE audit_event SET hash = %s WHERE id = %s", ["0" * 64, second.pk])

    with pytest.raises(CommandError, match=f"Event number {second.sequence} "):
        call_command("verify_audit")
    assert Event.objects.count() == 3
