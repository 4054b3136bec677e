"""No input makes a server error: generated paths, query strings and form bodies against every URL
pattern of the project and of its admin, as each kind of user.

Every answer must be 2xx, 3xx or 4xx. The test client re-raises a view's exception, so a server
error fails the example with its traceback. CI runs a short, reproducible run; ``make fuzz``
(HYPOTHESIS_PROFILE=fuzz) a long random one.
"""

import os
import re
import urllib.parse

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client as TestClient
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offices.roles import BRANCH_MANAGER, BRANCH_STAFF, HEAD_OFFICE_ADMIN
from tests.clients.factories import (
    ActiveClientFactory,
    ClientFactory,
    FamilyMemberFactory,
    IdentificationFactory,
    NoteFactory,
)
from tests.groups.factories import ActiveGroupFactory, MembershipFactory
from tests.offices.factories import OfficeFactory, StaffFactory, UserFactory

settings.register_profile(
    "ci",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 150)),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 5000)),
    deadline=None,
    database=None,  # no .hypothesis folder in the work tree; a failure prints its reproduction
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

pytestmark = pytest.mark.django_db

# --- What the project answers to ------------------------------------------------------------------

_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\((?:\?P<\w+>)?([^()]*)\)")


def _route_template(prefix, pattern):
    """A pattern as a format string with one ``{}`` per parameter, and each parameter's kind."""
    text = str(pattern)
    if text.startswith("^") or "(" in text:
        kinds = []

        def group(match):
            body = match.group(1)
            kinds.append(("choice", body.split("|")) if re.fullmatch(r"[\w|]+", body) else ("str", None))
            return "{}"

        text = _REGEX_GROUP.sub(group, text).lstrip("^").rstrip("$").replace("\\.", ".").replace(".*", "")
        return prefix + text, kinds
    kinds = []

    def parameter(match):
        kinds.append((match.group("converter") or "str", None))
        return "{}"

    return prefix + _ROUTE_PARAMETER.sub(parameter, text), kinds


def url_templates(patterns=None, prefix="/"):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        template, kinds = _route_template(prefix, entry.pattern)
        if isinstance(entry, URLResolver):
            for inner, inner_kinds in url_templates(entry.url_patterns, template):
                yield inner, kinds + inner_kinds
        else:
            yield template, kinds


TEMPLATES = sorted(
    set(
        (template, tuple(map(tuple, ((k, tuple(o or ())) for k, o in kinds))))
        for template, kinds in url_templates()
    )
)

# --- What a hostile or clumsy user sends -----------------------------------------------------------

NASTY = st.sampled_from(
    [
        "",
        "0",
        "-1",
        "1e309",
        "NaN",
        "9" * 40,
        "\x00",
        "a\x00b",
        "%00",
        "' OR 1=1--",
        "<script>",
        "../..",
        "\ud7ff",
        "é",
        "𝔘",
        " ",
        "2024-02-30",
        "null",
        "[]",
        "{}",
        "true",
        "_",
        "__",
        "1,2",
        "1/2",
        "x" * 300,
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=30), st.integers(-(2**70), 2**70).map(str))
ID = st.one_of(st.integers(1, 6).map(str), TEXT)
KNOWN_KEYS = [
    "after",
    "before",
    "sort",
    "q",
    "office",
    "status",
    "legal_form",
    "staff",
    "kind",
    "page",
    "p",
    "o",
    "e",
    "all",
    "_changelist_filters",
    "_popup",
    "_to_field",
    "term",
    "app_label",
    "model_name",
    "field_name",
    "action",
    "_selected_action",
    "index",
    "post",
    "select_across",
    "format",
    "next",
    "office__id__exact",
    "staff__id__exact",
    "status__exact",
    "parent__id__exact",
    "is_active__exact",
    "transferred",
    "submitted_from",
    "submitted_to",
    "language",
    "_save",
    "_continue",
    "_change_history",
    "first_name",
    "last_name",
    "name",
    "code",
    "parent",
    "opening_date",
    "number",
    "document_type",
    "text",
    "to_office",
    "on",
    "reason",
    "note",
    "date",
    "client",
    "role",
    "joined_on",
    "username",
    "groups",
    "password1",
    "password2",
    "legal_form",
    "gender",
    "date_of_birth",
    "submitted_on",
    "mobile_phone",
    "identifications-TOTAL_FORMS",
    "identifications-INITIAL_FORMS",
    "identifications-0-number",
    "identifications-0-id",
    "family_members-TOTAL_FORMS",
    "family_members-INITIAL_FORMS",
    "notes-TOTAL_FORMS",
    "notes-INITIAL_FORMS",
    "memberships-TOTAL_FORMS",
    "version",
    "activate_selected",
    "delete_selected",
    "close_selected",
    "activate_today",
    "file",
    "csrfmiddlewaretoken",
]
PAIRS = st.lists(st.tuples(st.one_of(st.sampled_from(KNOWN_KEYS), TEXT), st.one_of(ID, TEXT)), max_size=8)


def segment(kind, options):
    if kind == "choice":
        return st.one_of(st.sampled_from(options), TEXT)
    if kind == "int":
        return st.one_of(st.integers(1, 6).map(str), st.integers(0, 2**70).map(str))
    if kind == "path":
        return st.one_of(ID, st.lists(ID, min_size=1, max_size=3).map("/".join))
    return ID


@st.composite
def requests(draw):
    template, kinds = draw(st.sampled_from(TEMPLATES))
    parts = [draw(segment(kind, options)) for kind, options in kinds]
    path = template.format(*(urllib.parse.quote(part, safe="/") for part in parts))
    query = urllib.parse.urlencode(draw(PAIRS))
    method = draw(st.sampled_from(["get", "get", "post"]))
    body = draw(PAIRS) if method == "post" else []
    return method, f"{path}?{query}" if query else path, body


ROLES = ["anonymous", "branch staff", "branch manager", "head-office admin", "superuser"]


@pytest.fixture
def world(office_tree):
    """Two branches' worth of the records every page shows, and a user of each role."""
    n1, s1 = office_tree["n1"], office_tree["s1"]
    for office in (n1, s1, OfficeFactory(parent=office_tree["north"])):
        client = ActiveClientFactory(office=office)
        ClientFactory(office=office)
        IdentificationFactory(client=client)
        FamilyMemberFactory(client=client)
        NoteFactory(client=client)
        MembershipFactory(group=ActiveGroupFactory(office=office), client=client)
        StaffFactory(office=office)
    roles = {name: Group.objects.get(name=name) for name in (BRANCH_STAFF, BRANCH_MANAGER, HEAD_OFFICE_ADMIN)}
    return {
        "anonymous": None,
        "branch staff": UserFactory(office=n1, roles=[roles[BRANCH_STAFF].name]),
        "branch manager": UserFactory(office=n1, roles=[roles[BRANCH_MANAGER].name], is_staff=True),
        "head-office admin": UserFactory(
            office=office_tree["head"], roles=[HEAD_OFFICE_ADMIN], is_staff=True
        ),
        "superuser": UserFactory(office=office_tree["head"], is_superuser=True, is_staff=True),
    }


def test_the_url_patterns_are_all_found():
    templates = {template for template, _kinds in TEMPLATES}
    assert "/clients/{}/edit/" in templates
    assert "/admin/clients/client/{}/history/{}/" in templates
    assert len(templates) > 100


@settings(settings.get_profile(PROFILE))
@given(role=st.sampled_from(ROLES), request=requests())
def test_no_input_makes_a_server_error(world, role, request):
    method, url, body = request
    browser = TestClient(raise_request_exception=True, HTTP_HOST="testserver")
    if world[role] is not None:
        browser.force_login(world[role])
    # Each example starts from the same records: what it wrote is rolled back.
    with transaction.atomic():
        if method == "post":
            response = browser.post(
                url, urllib.parse.urlencode(body), content_type="application/x-www-form-urlencoded"
            )
        else:
            response = browser.get(url)
        transaction.set_rollback(True)
    assert response.status_code < 500, (role, method, url, body)


def list_urls():
    """The pages whose query strings carry the most: lists, admin change lists, autocomplete."""
    urls = ["/clients/", "/groups/", "/admin/autocomplete/"]
    for model in admin.site._registry:
        urls.append(f"/admin/{model._meta.app_label}/{model._meta.model_name}/")
    return sorted(urls)


@settings(settings.get_profile(PROFILE))
@given(
    role=st.sampled_from(ROLES[1:]),
    url=st.sampled_from(list_urls()),
    pairs=PAIRS,
    method=st.sampled_from(["get", "post"]),
)
def test_no_query_string_on_a_list_makes_a_server_error(world, role, url, pairs, method):
    browser = TestClient(raise_request_exception=True)
    browser.force_login(world[role])
    with transaction.atomic():
        if method == "post":
            response = browser.post(
                url, urllib.parse.urlencode(pairs), content_type="application/x-www-form-urlencoded"
            )
        else:
            response = browser.get(f"{url}?{urllib.parse.urlencode(pairs)}")
        transaction.set_rollback(True)
    assert response.status_code < 500, (role, url, pairs)
