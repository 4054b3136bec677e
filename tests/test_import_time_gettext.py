"""No text is translated when a module is imported: it would stay in the language active then (English)
for every user. At module or class level, gettext_lazy only, and nothing that turns it into text (%, +,
a method, an f-string); formatting happens where the text is shown."""

import ast
from pathlib import Path

from django.conf import settings

TRANSLATION = "django.utils.translation"
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}
LAZY = {"gettext_lazy", "ngettext_lazy", "pgettext_lazy", "npgettext_lazy"}
APPS = ["audit", "clients", "documents", "groups", "ledger", "mifos", "offices"]


def translation_names(tree):
    """The module's local names of django.utils.translation's functions."""
    return {
        alias.asname or alias.name: alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == TRANSLATION
        for alias in node.names
    }


def run_at_import(node):
    """The nodes of ``node`` that run when the module is imported: not function bodies, but their
    default values and decorators."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        for default in [*node.args.defaults, *filter(None, node.args.kw_defaults)]:
            yield from run_at_import(default)
        for decorator in getattr(node, "decorator_list", []):
            yield from run_at_import(decorator)
        return
    yield node
    for child in ast.iter_child_nodes(node):
        yield from run_at_import(child)


def translated_at_import(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    names = translation_names(tree)

    def calls(node, kinds):
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and names.get(node.func.id) in kinds
        )

    for node in run_at_import(tree):
        made_text = (
            calls(node, EAGER)
            or (isinstance(node, ast.BinOp) and any(calls(side, LAZY) for side in (node.left, node.right)))
            or (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and calls(node.func.value, LAZY)
            )
            or (isinstance(node, ast.FormattedValue) and calls(node.value, LAZY))
        )
        if made_text:
            yield f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}: {ast.unparse(node)[:80]}"


def test_no_text_is_translated_when_a_module_is_imported():
    found = [
        line
        for app in APPS
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py"))
        for line in translated_at_import(path)
    ]

    assert found == []
