"""Every page template compiles: a syntax error, or a filter Jinja2 lacks, in a page no other test
opens fails here rather than in front of a user."""

from django.template import engines


def test_every_page_template_compiles():
    environment = engines["jinja2"].env
    names = environment.list_templates(extensions=["html"])

    for name in names:
        environment.get_template(name)  # raises on a syntax error or an unknown filter

    assert "base.html" in names and "clients/client_list.html" in names
