"""Every page template compiles: a syntax error, or a filter Jinja2 lacks, in a page no other test
opens fails here rather than in front of a user."""

import pytest
from django.template import engines
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from mifos.templating import url


def test_every_page_template_compiles():
    environment = engines["jinja2"].env
    names = environment.list_templates(extensions=["html"])

    for name in names:
        environment.get_template(name)  # raises on a syntax error or an unknown filter

    assert "base.html" in names and "clients/client_list.html" in names


def test_an_address_follows_the_prefix_the_site_is_served_under():
    """Served under a path (SCRIPT_NAME, as gunicorn passes it), then at the root: links say where."""
    try:
        set_script_prefix("/mfi/")
        under_prefix = url("clients:client_list")
    finally:
        set_script_prefix("/")

    assert under_prefix == "/mfi/clients/"
    assert url("clients:client_list") == "/clients/"


def test_an_address_with_ids_is_the_one_reverse_gives_under_any_prefix():
    """Addresses with ids are written into a pattern worked out once: the same as reverse() gives,
    for each id, under each prefix; other arguments go to reverse() itself."""
    names = [("clients:client_family", (7,)), ("clients:family_member_edit", (7, 31)), ("home", ())]
    try:
        set_script_prefix("/mfi/")
        under_prefix = [url(name, *ids) for name, ids in names]
    finally:
        set_script_prefix("/")

    assert under_prefix == ["/mfi" + reverse(name, args=ids) for name, ids in names]
    for pk in (1, 42, 1_000_000):
        assert url("clients:client_detail", pk) == f"/clients/{pk}/"
    assert url("clients:family_member_edit", 12, 3) == reverse("clients:family_member_edit", args=[12, 3])
    assert url("clients:client_create", "entity") == "/clients/new/entity/"
    assert url("ledger:account_statement", 5, "csv") == reverse("ledger:account_statement", args=[5, "csv"])


def test_an_id_the_address_does_not_accept_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        url("clients:client_detail", -3)
    with pytest.raises(NoReverseMatch):
        url("clients:client_detail", 1, 2)


@override_settings(ROOT_URLCONF="tests.padded_urls")
def test_an_address_whose_ids_are_reformatted_is_left_to_reverse():
    assert url("padded", 5) == "/p/00000005/" == reverse("padded", args=[5])
