"""Each kind of thing users do leaves an event in the activity log."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.models import Event
from clients import lifecycle
from tests.clients.factories import ClientFactory, IdentificationFactory
from tests.offices.factories import BranchManagerUserFactory, HeadOfficeAdminUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def last(kind):
    return Event.objects.filter(event=kind).order_by("-sequence").first()


def test_a_sign_in_is_recorded_with_the_address(client, office_tree):
    user = UserFactory(office=office_tree["n1"], username="halima")

    client.post(
        reverse("login"), {"username": "halima", "password": "secret-pass-123"}, REMOTE_ADDR="10.0.0.7"
    )

    event = last("auth.user.signed_in")
    assert (event.actor_id, event.remote_addr, event.office_id) == (user.pk, "10.0.0.7", office_tree["n1"].pk)


def test_a_failed_sign_in_keeps_the_name_tried_and_the_address_but_never_the_password(client, office_tree):
    user = UserFactory(office=office_tree["n1"], username="halima")

    client.post(
        reverse("login"), {"username": "halima", "password": "guessed-wrong-9"}, REMOTE_ADDR="10.0.0.8"
    )

    event = last("auth.user.sign_in_failed")
    assert event.details == {"username": "halima"}
    assert event.remote_addr == "10.0.0.8"
    assert event.actor is None and event.office_id == user.office_id
    assert not Event.objects.filter(details__icontains="guessed-wrong").exists()
    assert "guessed-wrong" not in str(list(Event.objects.values_list("details", "object_repr")))


def test_a_failed_sign_in_of_an_unknown_name_is_head_offices(client, db):
    client.post(reverse("login"), {"username": "nobody", "password": "x"})

    event = last("auth.user.sign_in_failed")
    assert event.details == {"username": "nobody"} and event.office_id is None


def test_a_sign_out_is_recorded(client, office_tree):
    user = UserFactory(office=office_tree["n1"])
    client.force_login(user)

    client.post(reverse("logout"))

    assert last("auth.user.signed_out").actor_id == user.pk


def test_a_password_change_is_recorded_without_the_password(client, office_tree):
    user = UserFactory(office=office_tree["n1"])
    client.force_login(user)

    client.post(
        reverse("password_change"),
        {
            "old_password": "secret-pass-123",
            "new_password1": "a-new-long-pass-77",
            "new_password2": "a-new-long-pass-77",
        },
    )

    event = last("auth.user.password_changed")
    assert event.actor_id == user.pk and event.object_id == str(user.pk)
    assert "a-new-long-pass" not in str(event.details)


def test_a_lifecycle_action_is_recorded_with_its_client(office_tree):
    manager = BranchManagerUserFactory(office=office_tree["n1"])
    subject = ClientFactory(office=office_tree["n1"])

    lifecycle.activate(subject, on=datetime.date(2024, 2, 1), by=manager)

    event = last("clients.client.activated")
    assert event.actor_id == manager.pk
    assert event.object_id == str(subject.pk) and event.office_id == office_tree["n1"].pk
    assert event.details["to_status"] == "active"


def test_a_change_to_a_client_or_a_part_is_recorded(office_tree):
    subject = ClientFactory(office=office_tree["n1"])
    subject.city = "Arusha"
    subject.save()
    identification = IdentificationFactory(client=subject)

    assert last("clients.client.changed").object_id == str(subject.pk)
    event = last("clients.identification.created")
    assert event.object_id == str(identification.pk)
    assert event.details["client"] == subject.pk and event.office_id == office_tree["n1"].pk


def test_an_admin_change_is_recorded(client, office_tree):
    admin = HeadOfficeAdminUserFactory(office=office_tree["head"])
    admin.user_permissions.add(Permission.objects.get(codename="change_office"))
    client.force_login(admin)
    office = office_tree["n2"]

    response = client.post(
        reverse("admin:offices_office_change", args=[office.pk]),
        {
            "name": "North Two Renamed",
            "code": office.code,
            "parent": office.parent_id,
            "opening_date": office.opening_date.isoformat(),
            "external_id": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event = last("admin.object.changed")
    assert event.actor_id == admin.pk
    assert event.object_repr == "North Two Renamed"
    assert "Name" in str(event.details["change"])


def test_a_group_lifecycle_action_is_recorded_with_its_group(office_tree):
    from groups import services
    from groups.choices import GroupAction
    from tests.groups.factories import GroupFactory

    manager = BranchManagerUserFactory(office=office_tree["n1"])
    group = GroupFactory(office=office_tree["n1"], name="Upendo")

    services.record(group, GroupAction.CLOSED, on=datetime.date(2024, 3, 1), by=manager, reason="Dissolved")

    event = last("groups.group.closed")
    assert event.details["reason"] == "Dissolved"
    assert event.actor_id == manager.pk and event.object_repr == str(group)
    assert event.office_id == office_tree["n1"].pk


def test_the_admin_shows_events_but_never_adds_changes_or_deletes_them(client, office_tree):
    from audit import record

    event = record(None, "tests.thing.happened")
    superuser = UserFactory(office=office_tree["head"], is_staff=True, is_superuser=True)
    client.force_login(superuser)

    assert client.get(reverse("admin:audit_event_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_event_add")).status_code == 403
    assert (
        client.post(reverse("admin:audit_event_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    )
    view = client.get(reverse("admin:audit_event_change", args=[event.pk])).content.decode()
    assert 'name="_save"' not in view
    assert Event.objects.filter(pk=event.pk, event="tests.thing.happened").exists()


def test_head_office_turns_client_page_views_on_in_admin(client, office_tree):
    from audit.models import AuditRules

    admin = HeadOfficeAdminUserFactory(office=office_tree["head"])
    client.force_login(admin)
    assert client.get(reverse("admin:audit_auditrules_changelist")).status_code == 302  # to the one row

    response = client.post(
        reverse("admin:audit_auditrules_change", args=[AuditRules.load().pk]), {"record_client_views": "on"}
    )

    assert response.status_code == 302
    assert AuditRules.load().record_client_views is True


def test_the_admin_filters_events_by_kind_with_the_names_people_read(
    client, office_tree, django_assert_max_num_queries
):
    from audit import record

    exported = record(None, "clients.client.exported", office=office_tree["n1"])
    record(None, "clients.client.imported", office=office_tree["n1"])
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))
    url = reverse("admin:audit_event_changelist")

    with django_assert_max_num_queries(10):
        page = client.get(url).content.decode()
    chosen = client.get(url, {"event": "clients.client.exported"})

    # Every kind the application records is offered, recorded yet or not, by its readable name.
    assert "Clients exported" in page and "Client page viewed" in page
    assert list(chosen.context["cl"].result_list) == [exported]
