"""Apps meet only through what each offers to others.

An app may import from another project app only the modules (and, where named, the names) of that
app's public surface below; a name starting with ``_`` is private everywhere. What every app
needs lives in ``mifos`` (the action machinery, lookup lists, form pieces, generic views), which
any app may import. Reaching into another app's forms, views or helpers would tie the two apps'
insides together: move the piece to ``mifos`` or offer it in the other app's surface instead.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ANY = None  # every public name of the module

# app -> {module: the names it offers (ANY: all of its public names)}
PUBLIC = {
    "offices": {
        "offices.models": ANY,
        "offices.scoping": ANY,
        "offices.forms": ANY,  # the office and officer choice fields
        "offices.filters": ANY,
        "offices.roles": ANY,  # grant_role_permissions, for each app's roles migration
        "offices.admin": ("OfficeTreeFilter", "ScopedAdminMixin", "ScopedRelatedFilter"),
        "offices.demo": ("sign_ins",),
    },
    "clients": {
        "clients.models": ANY,
        "clients.choices": ANY,
        "clients.signals": ANY,
        "clients.lifecycle": ANY,
        "clients.registration": ANY,
        "clients.search": ANY,
        # The hook other apps add their client-list filters through, and the search box's field.
        "clients.filters": ("add_filter", "SearchField"),
        "clients.extensions": ANY,  # the hooks other apps add to the client file and dashboard through
        "clients.views.registry": ("ClientTabMixin",),
    },
    "groups": {
        "groups.models": ANY,
        "groups.choices": ANY,
        "groups.services": ANY,
    },
    "audit": {
        "audit": ("record", "without_history_event"),
        "audit.models": ANY,
        "audit.reads": ANY,
        "audit.history": ("every_entry",),  # a client's history as its tab words it, for the client's record
    },
    "documents": {
        "documents.models": ANY,
        "documents.services": ANY,
        "documents.names": ("clean_name", "download_name"),  # how a stored file is named when it leaves
    },
    "ledger": {"ledger.models": ANY, "ledger.choices": ANY, "ledger.services": ANY},
}
APPS = tuple(PUBLIC)


def app_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:  # frozen history: each migration stands alone
                yield app, path


def imports_of(app, path):
    """(line, module, names) of each import in ``path``, relative imports made absolute."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            yield node.lineno, module, tuple(alias.name for alias in node.names)


def refusal(app, module, names):
    """Why importing ``names`` from ``module`` in ``app`` crosses a boundary, or None."""
    other = module.split(".")[0]
    if other not in PUBLIC or other == app:
        return None
    surface = PUBLIC[other]
    if not names:  # import other.module
        return None if module in surface else f"{module} is not offered by {other}"
    for name in names:
        if name.startswith("_"):
            return f"{module}.{name} is private"
        if f"{module}.{name}" in surface:  # from clients import lifecycle
            continue
        if module not in surface:
            return f"{module} is not offered by {other}"
        offered = surface[module]
        if offered is not ANY and name not in offered:
            return f"{module}.{name} is not offered by {other}"
    return None


def crossings():
    for app, path in app_files():
        for line, module, names in imports_of(app, path):
            reason = refusal(app, module, names)
            if reason:
                yield f"{path.relative_to(ROOT)}:{line}: {reason}"


def test_apps_import_only_what_other_apps_offer():
    assert list(crossings()) == []


def test_clients_never_imports_groups():
    """Groups builds on clients; clients reaches groups only through hooks (filters, extensions, signals)."""
    found = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for app, path in app_files()
        if app == "clients"
        for line, module, _names in imports_of(app, path)
        if module == "groups" or module.startswith("groups.")
    ]
    assert found == []


@pytest.mark.parametrize(
    ("app", "module", "names", "refused"),
    [
        ("groups", "clients.models", ("Client",), False),
        ("groups", "clients", ("lifecycle",), False),
        ("documents", "clients.views.registry", ("ClientTabMixin",), False),
        ("groups", "clients.forms", ("DateInput",), True),
        ("groups", "clients.views.registry", ("save_or_show_errors",), True),
        ("ledger", "clients.lifecycle", ("_move",), True),
        ("ledger", "clients.admin", (), True),
        ("clients", "clients.forms", ("DateInput",), False),
        ("clients", "mifos.forms", ("DateInput",), False),
    ],
)
def test_the_check_tells_an_offered_name_from_a_private_one(app, module, names, refused):
    assert (refusal(app, module, names) is not None) is refused
