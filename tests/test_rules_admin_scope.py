"""What the whole institution shares (rules, products, lookup lists, roles) is changed in admin only by
a user who sees every office; a region's admin, holding the same role, reads it."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AuditRules, Event
from clients.models import ClientRules, IdentificationType, Occupation
from documents.models import DocumentRules
from groups.models import GroupRules
from ledger.models import LedgerRules
from mifos.admin import InstitutionWideAdminMixin
from offices.models import User
from offices.roles import HEAD_OFFICE_ADMIN
from tests.offices.factories import HeadOfficeAdminUserFactory, UserFactory

pytestmark = pytest.mark.django_db

# Admins of models that are neither office-bound nor institution-wide settings, and why.
NOT_SETTINGS = {
    "offices.user": "users are scoped by their office (tests/offices/test_admin_scope.py)",
    "axes.accessattempt": "sign-in records, kept by the sign-in guard; no role may change them",
    "axes.accesslog": "sign-in records, kept by the sign-in guard; no role may change them",
    "axes.accessfailurelog": "sign-in records, kept by the sign-in guard; no role may change them",
    "django_tasks_database.dbtaskresult": "results of background jobs; no role may change them",
}


def institution_wide_admins():
    """Every registered admin of a model that belongs to no office, bar those named above."""
    return sorted(
        (
            (model, model_admin)
            for model, model_admin in admin.site._registry.items()
            if not hasattr(model._default_manager, "visible_to")
            and model._meta.label_lower not in NOT_SETTINGS
        ),
        key=lambda pair: pair[0]._meta.label_lower,
    )


@pytest.fixture
def region_admin(office_tree):
    return UserFactory(office=office_tree["north"], is_staff=True, roles=[HEAD_OFFICE_ADMIN])


@pytest.fixture
def head_office_admin(office_tree):
    return HeadOfficeAdminUserFactory(office=office_tree["head"])


def holding_every_permission_on(user, model):
    """``user`` with add, change, delete and view of ``model`` besides their role's (read afresh, as
    Django keeps a user's permissions once read)."""
    opts = model._meta
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label=opts.app_label, codename__endswith=opts.model_name)
    )
    return User.objects.get(pk=user.pk)


def test_the_walk_finds_every_kind_of_institution_wide_admin():
    found = {model._meta.label_lower for model, _admin in institution_wide_admins()}

    assert {
        "clients.clientrules",
        "audit.auditrules",
        "documents.documentrules",
        "ledger.ledgerrules",
        "groups.grouprules",
        "ledger.product",
        "documents.documentcategory",
        "clients.identificationtype",
        "clients.occupation",
        "groups.grouprole",
        "offices.role",
    } <= found


@pytest.mark.parametrize(
    "model_admin",
    [pytest.param(admin_, id=model._meta.label_lower) for model, admin_ in institution_wide_admins()],
)
def test_only_a_user_who_sees_every_office_changes_it(model_admin, region_admin, head_office_admin):
    """A new admin of something no office owns must use InstitutionWideAdminMixin (mifos/admin.py), or
    be named in NOT_SETTINGS with the reason."""
    model = model_admin.model
    region = RequestFactory().get("/")
    region.user = holding_every_permission_on(region_admin, model)
    head = RequestFactory().get("/")
    head.user = holding_every_permission_on(head_office_admin, model)
    obj = model._default_manager.first()

    assert isinstance(model_admin, InstitutionWideAdminMixin)
    assert model_admin.has_view_permission(region, obj)
    assert not model_admin.has_add_permission(region)
    for target in (None, obj):
        assert not model_admin.has_change_permission(region, target)
        assert not model_admin.has_delete_permission(region, target)
    assert model_admin.has_change_permission(head, obj)


RULES = [ClientRules, AuditRules, DocumentRules, LedgerRules, GroupRules]


def change_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[model.load().pk])


def posted_form(response):
    """What the admin page's form holds now, as a browser would post it back."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


@pytest.mark.parametrize("model", RULES, ids=lambda model: model._meta.model_name)
def test_a_region_admin_reads_the_rules_and_cannot_save_them(client, model, region_admin, head_office_admin):
    client.force_login(head_office_admin)
    data = posted_form(client.get(change_url(model)))
    before = model.load().__dict__.copy()
    client.force_login(region_admin)

    page = client.get(change_url(model))
    refused = client.post(change_url(model), data)

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert refused.status_code == 403
    after = model.load().__dict__
    assert {key: after[key] for key in before if not key.startswith("_")} == {
        key: value for key, value in before.items() if not key.startswith("_")
    }


def test_a_region_admin_adds_no_product_nor_lookup_entry(client, region_admin):
    client.force_login(region_admin)

    for url in (reverse("admin:ledger_product_add"), reverse("admin:clients_identificationtype_add")):
        assert client.get(url).status_code == 403, url
    listed = client.post(
        reverse("admin:clients_occupation_changelist"),
        {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0", "_save": "Save"},
    )

    assert listed.status_code == 403
    assert not IdentificationType.objects.filter(name="Anything").exists()


def test_a_head_office_change_is_in_head_offices_activity_log_not_a_regions(
    client, region_admin, head_office_admin
):
    client.force_login(head_office_admin)
    response = client.post(
        reverse("admin:clients_occupation_add"), {"name": "Boda boda rider", "position": 3, "is_active": "on"}
    )
    assert response.status_code == 302
    event = Event.objects.get(event="admin.object.added", object_repr="Boda boda rider")
    assert event.office_id is None  # it concerns no office

    assert "Boda boda rider" in client.get(reverse("audit:event_list")).content.decode()
    client.force_login(region_admin)
    assert "Boda boda rider" not in client.get(reverse("audit:event_list")).content.decode()
    assert Occupation.objects.filter(name="Boda boda rider").exists()
