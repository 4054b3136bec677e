"""Refusals and failures show our own page, with a way back, not a bare "403 Forbidden"."""

import pytest
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.clients.factories import ClientFactory
from tests.offices.factories import BranchStaffUserFactory, OfficeFactory

pytestmark = pytest.mark.django_db


def test_a_client_outside_the_users_offices_shows_our_not_found_page(client):
    user = BranchStaffUserFactory()
    other = ClientFactory(office=OfficeFactory())
    client.force_login(user)

    response = client.get(reverse("clients:client_detail", args=[other.pk]))

    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page
    assert f'href="{reverse("home")}"' in page
    assert other.display_name not in page


def test_a_refused_page_shows_our_page_with_a_way_back(client):
    client.force_login(BranchStaffUserFactory())

    response = client.get(reverse("clients:officer_reassign"))

    page = response.content.decode()
    assert response.status_code == 403
    assert "You may not do this" in page
    assert f'href="{reverse("home")}"' in page


def test_a_form_sent_without_its_csrf_token_explains_that_nothing_was_saved():
    browser = HttpClient(enforce_csrf_checks=True)

    response = browser.post(reverse("login"), {"username": "someone", "password": "x"})

    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_a_server_error_page_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_the_favicon_is_served_at_the_sites_root(live_server):
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/favicon.ico") as response:
        assert response.status == 200
        assert response.read(4) == b"\x00\x00\x01\x00"  # the ICO signature
