"""Pages read as a browser reads them: what a form posts is what its HTML holds, hidden fields
included, so a template that forgets one is caught by the tests that post through it."""

from html.parser import HTMLParser

from django.test import Client as Browser


class FormReader(HTMLParser):
    """The fields of the page's POST form, as a browser would send them untouched."""

    def __init__(self):
        super().__init__()
        self.data, self._in_post_form, self._select, self._textarea = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_post_form = attrs.get("method", "").lower() == "post"
        if not self._in_post_form or "name" not in attrs and tag != "option":
            return
        name = attrs.get("name")
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.data[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_on(response):
    assert response.status_code == 200, response.status_code
    reader = FormReader()
    reader.feed(response.content.decode())
    reader.data.pop("csrfmiddlewaretoken", None)
    return reader.data


def browser_of(user):
    """A browser of its own, signed in as ``user``: one of two people at work on the same record."""
    browser = Browser()
    browser.force_login(user)
    return browser
