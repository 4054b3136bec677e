"""Every page template compiles: a syntax error, or a filter Jinja2 lacks, in a page no other test
opens fails here rather than in front of a user."""

from django.template import engines
from django.urls import set_script_prefix

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
