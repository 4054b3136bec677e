"""An active group is offered, and may be moved to, only an active center: through its page and admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups import services
from groups.models import Group
from tests.groups.factories import ActiveCenterFactory, ActiveGroupFactory, CenterFactory, GroupFactory
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(office_tree):
    return office_tree["n1"]


@pytest.fixture
def manager(branch):
    return BranchManagerUserFactory(office=branch)


def test_editing_an_active_group_refuses_a_pending_center(branch, manager):
    group = ActiveGroupFactory(office=branch, parent=ActiveCenterFactory(office=branch))
    group.parent = CenterFactory(office=branch, name="Center Three")

    with pytest.raises(ValidationError) as refused:
        services.update(group, by=manager)

    assert "Center Three is still pending" in refused.value.message_dict["parent"][0]
    group.refresh_from_db()
    assert group.parent.name != "Center Three"


def test_the_admin_offers_an_active_group_only_active_centers(admin_client, branch):
    active = ActiveCenterFactory(office=branch, name="Center Active")
    pending = CenterFactory(office=branch, name="Center Pending")
    group = ActiveGroupFactory(office=branch, parent=active)

    form = admin_client.get(reverse("admin:groups_group_change", args=[group.pk])).context["adminform"].form

    assert set(form.fields["parent"].queryset) == {active}
    # A pending group may wait in a pending center, so it is offered both.
    waiting = GroupFactory(office=branch)
    form = admin_client.get(reverse("admin:groups_group_change", args=[waiting.pk])).context["adminform"].form
    assert set(form.fields["parent"].queryset) == {active, pending}


def test_the_admin_refuses_a_pending_center_next_to_the_field(admin_client, branch):
    """What the list no longer offers is refused all the same, should it be posted."""
    group = ActiveGroupFactory(office=branch, name="Umoja")
    pending = CenterFactory(office=branch)
    url = reverse("admin:groups_group_change", args=[group.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}

    response = admin_client.post(
        url, {k: v for k, v in data.items() if v is not None} | {"parent": pending.pk}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"]
    assert Group.objects.get(pk=group.pk).parent is None


def test_the_edit_page_offers_an_active_group_only_active_centers(client, branch, manager):
    active = ActiveCenterFactory(office=branch)
    CenterFactory(office=branch)
    group = ActiveGroupFactory(office=branch)
    client.force_login(manager)

    page = client.get(reverse("groups:group_edit", args=[group.pk]))

    assert set(page.context["form"].fields["parent"].queryset) == {active}
