"""Every kind of event the code records has a name a person reads (audit.kinds), in every language."""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from simple_history.models import registered_models

from audit import kinds, receivers
from clients.choices import ClientAction
from groups.choices import GroupAction

# An event's name: "<app>.<model>.<what>", in lower case.
EVENT_NAME = re.compile(r"(auth|admin|audit|clients|documents|groups|ledger|offices)\.[a-z_]+\.[a-z_]+")
NOT_APP_CODE = {".venv", "tests", "bench", "node_modules", "static", "templates", "locale"}


def names_written_in_the_code():
    """Every string of the application's code that reads like an event name, with where it stands:
    what ``record(request, "...")`` and its helpers (``record_export``, ledger's ``_audit``, a module
    constant like clients.record.EVENT) are given, whatever the call looks like."""
    found = {}
    for path in sorted(Path(settings.BASE_DIR).glob("*/**/*.py")):
        parts = path.relative_to(settings.BASE_DIR).parts
        if parts[0] in NOT_APP_CODE or "migrations" in parts or parts == ("audit", "kinds.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and EVENT_NAME.fullmatch(node.value)
            ):
                found.setdefault(node.value, f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    return found


def names_made_by_the_receivers():
    """The names audit.receivers builds: one per history verb of every tracked model of the apps it
    follows, the clients' timeline actions, and admin's own log."""
    names = {
        f"{model._meta.label_lower}.{verb}"
        for model in registered_models.values()
        if model._meta.app_label in receivers.HISTORY_APPS and apps.is_installed(model._meta.app_config.name)
        for verb in receivers.HISTORY_VERBS.values()
    }
    names |= {f"clients.client.{action}" for action in ClientAction.values}
    names |= set(GroupAction.values)
    names |= {f"admin.object.{verb}" for verb in ("added", "changed", "deleted")}
    return names


def test_the_scan_finds_the_names_each_app_records():
    found = names_written_in_the_code()

    for name in (
        "auth.user.locked_out",
        "clients.client.record_exported",
        "documents.document.downloaded",
        "ledger.transaction.posted",
        "audit.event.exported",
    ):
        assert name in found


def test_every_name_recorded_in_the_code_has_a_readable_name():
    missing = {name: where for name, where in names_written_in_the_code().items() if name not in kinds.KINDS}

    assert missing == {}


def test_every_name_the_receivers_make_has_a_readable_name():
    made = names_made_by_the_receivers()

    assert "documents.clientphoto.changed" in made and "groups.membership.deleted" in made
    assert sorted(made - set(kinds.KINDS)) == []


def test_every_readable_name_is_translatable():
    untranslatable = [name for name, label in kinds.KINDS.items() if isinstance(label, str)]

    assert untranslatable == []
