"""A recorded view of a client's page names the page as a person knows it ("Page: Overview"), in the
reader's language, not by its code ("Page: client_detail")."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit import details, record
from clients.views.registry import ClientTabMixin
from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchManagerUserFactory

pytestmark = pytest.mark.django_db


def log(django_client, user):
    django_client.force_login(user)
    response = django_client.get(reverse("audit:event_list"), {"event": "clients.client.viewed"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def viewed(office_tree):
    subject = ClientFactory(office=office_tree["n1"])
    for page in ("client_detail", "admin_document_change", "a_page_of_tomorrow"):
        record(None, "clients.client.viewed", obj=subject, page=page)
    return subject


def test_each_page_reads_by_its_name(client, viewed):
    page = log(client, BranchManagerUserFactory(office=viewed.office))

    assert "Page: Overview" in page and "Page: Document in admin" in page
    assert "client_detail" not in page and "admin_document_change" not in page
    assert "Page: a_page_of_tomorrow" in page  # a page not named yet shows its code


def test_a_page_reads_in_the_readers_language(client, viewed):
    page = log(client, BranchManagerUserFactory(office=viewed.office, language="es"))

    assert "Página: Resumen" in page


def _client_tab_url_names(resolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _client_tab_url_names(pattern)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "view_class", None)
            if view and issubclass(view, ClientTabMixin) and "get" in view.http_method_names:
                yield pattern.name


def test_every_page_of_a_client_has_a_name():
    # The photo's thumbnail is part of the client's page, which records the view itself.
    unnamed = set(_client_tab_url_names(get_resolver())) - set(details.PAGES) - {"clientphoto_thumbnail"}

    assert not unnamed
