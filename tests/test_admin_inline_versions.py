"""No lost update in admin's inline rows: each identification and family member line of a client's
change page carries its own version; a line changed or deleted over a newer version is refused, the
whole page with it, and a line the admin left alone neither blocks the save nor is written back."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients import registration
from clients.models import Client, FamilyMember, Identification
from mifos.versioning import SEEN, VersionConflict, current_version
from tests.clients.factories import ActiveClientFactory, FamilyMemberFactory, IdentificationFactory
from tests.offices.factories import BranchManagerUserFactory, HeadOfficeAdminUserFactory

pytestmark = pytest.mark.django_db

REFUSED = "Someone else saved this record while you were editing it"


def posted(form, data):
    """What a browser sends back for ``form`` as rendered (bound or not), under its prefixed names."""
    for name in form.fields:
        value = form[name].value()
        key = form[name].html_name
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, datetime.date):
            data[key] = value.isoformat()
        elif value is not None:
            data[key] = str(value)
    return data


def page_data(page):
    """The admin change page's whole form: the client's fields and every inline row."""
    data = posted(page.context["adminform"].form, {})
    for inline in page.context["inline_admin_formsets"]:
        posted(inline.formset.management_form, data)
        for form in inline.formset.initial_forms:
            posted(form, data)
    return data


def row(prefix, index, **values):
    return {f"{prefix}-{index}-{name}": value for name, value in values.items()}


@pytest.fixture
def other(office_tree):
    return BranchManagerUserFactory(office=office_tree["n1"])


@pytest.fixture
def setting(client, office_tree, other):
    """A client with two identifications and a family member, and an admin on its change page."""
    holder = ActiveClientFactory(office=office_tree["n1"], city="Kisumu")
    first = IdentificationFactory(client=holder, number="A-100", issued_by="Registry")
    second = IdentificationFactory(client=holder, number="B-200", issued_by="Registry")
    member = FamilyMemberFactory(client=holder, first_name="Joseph", phone="0700111111")
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))
    url = reverse("admin:clients_client_change", args=[holder.pk])
    page = client.get(url)
    assert page.status_code == 200
    return holder, first, second, member, url, page_data(page)


def theirs_on_identification(identification, other, **values):
    identification = Identification.objects.get(pk=identification.pk)
    for name, value in values.items():
        setattr(identification, name, value)
    registration.save_identification(identification, by=other)


def theirs_on_member(member, other, **values):
    member = FamilyMember.objects.get(pk=member.pk)
    for name, value in values.items():
        setattr(member, name, value)
    registration.save_family_member(member, by=other)


def test_a_stale_identification_line_is_refused_and_nothing_of_the_page_is_written(client, setting, other):
    holder, first, second, member, url, data = setting
    theirs_on_identification(first, other, number="A-101")

    refused = client.post(
        url,
        {
            **data,
            "city": "Nakuru",
            **row("identifications", 0, issued_by="Embassy"),
            **row("family_members", 0, phone="0700222222"),
        },
    )

    assert refused.status_code == 200
    text = refused.content.decode()
    assert REFUSED in text
    assert f"Identification “{first.document_type}: A-101”" in text  # the line, named
    assert "A-100 → A-101" in text  # what changed meanwhile
    assert Client.objects.get(pk=holder.pk).city == "Kisumu"
    assert Identification.objects.get(pk=first.pk).issued_by == "Registry"
    assert Identification.objects.get(pk=first.pk).number == "A-101"
    assert FamilyMember.objects.get(pk=member.pk).phone == "0700111111"


def test_a_family_line_edited_over_a_newer_phone_is_refused(client, setting, other):
    """Saved, the line would have put the phone the admin saw back over theirs."""
    holder, first, second, member, url, data = setting
    theirs_on_member(member, other, phone="0700333333")

    refused = client.post(url, {**data, **row("family_members", 0, first_name="Joe")})

    assert refused.status_code == 200
    assert REFUSED in refused.content.decode()
    assert "0700111111 → 0700333333" in refused.content.decode()
    saved = FamilyMember.objects.get(pk=member.pk)
    assert (saved.first_name, saved.phone) == ("Joseph", "0700333333")


def test_a_stale_deletion_of_a_line_is_refused(client, setting, other):
    holder, first, second, member, url, data = setting
    theirs_on_member(member, other, phone="0700333333")

    refused = client.post(url, {**data, "city": "Nakuru", **row("family_members", 0, DELETE="on")})

    assert refused.status_code == 200
    text = refused.content.decode()
    assert REFUSED in text
    assert "Family member “Joseph" in text
    assert FamilyMember.objects.filter(pk=member.pk, phone="0700333333").exists()
    assert Client.objects.get(pk=holder.pk).city == "Kisumu"


def test_saving_the_refused_page_again_saves_it_over_theirs(client, setting, other):
    holder, first, second, member, url, data = setting
    theirs_on_identification(first, other, number="A-101")
    theirs_on_member(member, other, phone="0700333333")
    refused = client.post(
        url,
        {
            **data,
            "city": "Nakuru",
            **row("identifications", 0, issued_by="Embassy"),
            **row("family_members", 0, DELETE="on"),
        },
    )
    assert refused.status_code == 200

    again = client.post(url, page_data(refused))

    assert again.status_code == 302
    assert Client.objects.get(pk=holder.pk).city == "Nakuru"
    saved = Identification.objects.get(pk=first.pk)
    # The admin saw their number on the refused page and sent it back with the new version.
    assert (saved.number, saved.issued_by) == ("A-100", "Embassy")
    assert not FamilyMember.objects.filter(pk=member.pk).exists()


def test_a_stale_line_left_alone_neither_blocks_the_save_nor_is_written_back(client, setting, other):
    holder, first, second, member, url, data = setting
    theirs_on_member(member, other, phone="0700333333")
    theirs_on_identification(second, other, issued_by="Embassy")

    saved = client.post(url, {**data, "city": "Nakuru", **row("identifications", 0, issued_by="Ministry")})

    assert saved.status_code == 302
    assert Client.objects.get(pk=holder.pk).city == "Nakuru"
    assert Identification.objects.get(pk=first.pk).issued_by == "Ministry"
    assert Identification.objects.get(pk=second.pk).issued_by == "Embassy"
    assert FamilyMember.objects.get(pk=member.pk).phone == "0700333333"


def test_the_lines_versions_are_read_with_the_lines(client, office_tree):
    holder = ActiveClientFactory(office=office_tree["n1"])
    IdentificationFactory.create_batch(6, client=holder)
    FamilyMemberFactory.create_batch(6, client=holder)
    client.force_login(HeadOfficeAdminUserFactory(office=office_tree["head"]))

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("admin:clients_client_change", args=[holder.pk]))

    assert page.status_code == 200
    assert all(form["version"].value() for form in page.context["inline_admin_formsets"][0].formset.forms)
    history_reads = [q["sql"] for q in queries.captured_queries if "historical" in q["sql"].lower()]
    assert len(history_reads) <= 3  # the client's version, then each inline's rows with theirs


def test_deleting_a_line_over_a_newer_version_is_refused_by_the_service_too(office_tree, other):
    """Saved between the page's check and the deletion, theirs would be lost: the service checks
    again, under the row's lock."""
    member = FamilyMemberFactory(client=ActiveClientFactory(office=office_tree["n1"]), phone="0700111111")
    seen = current_version(member)
    theirs_on_member(member, other, phone="0700333333")
    setattr(member, SEEN, seen)

    with pytest.raises(VersionConflict):
        registration.delete_part(member, by=other)

    assert FamilyMember.objects.filter(pk=member.pk).exists()
