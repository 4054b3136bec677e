"""Spanish and French are complete: a new string cannot ship in English alone.

The sources are copied aside and Django's makemessages (GNU gettext's xgettext) merges their
strings into copies of our catalogues; any entry that comes out untranslated or fuzzy fails the
test, named with where it comes from. The real catalogues are never written by the test.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LANGUAGES = ["es", "fr"]
SOURCES = ["audit", "clients", "documents", "groups", "ledger", "mifos", "offices", "templates"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\{?\s*\w+\s*\}?\}")


def catalogue(language, root=None):
    path = Path(root or settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    return polib.pofile(str(path))


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """Our catalogues merged with the strings the sources hold today, in a copy of the tree."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext (xgettext) is required under CI=true to check the catalogues")
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    root = tmp_path_factory.mktemp("tree")
    for name in [*SOURCES, "locale"]:
        shutil.copytree(settings.BASE_DIR / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(settings.BASE_DIR / "manage.py", root)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", *[f"-l{code}" for code in LANGUAGES]],
        cwd=root,
        env={**os.environ, "DEBUG": "1", "PYTHONPATH": str(root)},
        check=True,
        capture_output=True,
    )
    return root


def where(entry):
    return ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_the_sources_is_translated(refreshed, language):
    merged = catalogue(language, refreshed)

    missing = [f"{entry.msgid!r} ({where(entry)})" for entry in merged.untranslated_entries()]
    fuzzy = [f"{entry.msgid!r} ({where(entry)})" for entry in merged.fuzzy_entries()]

    assert not missing, f"{len(missing)} untranslated in {language}, first: " + "; ".join(missing[:10])
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}, first: " + "; ".join(fuzzy[:10])


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    broken = []
    for entry in catalogue(language).translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        source = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for translation in translations:
            found = sorted(PLACEHOLDER.findall(translation))
            # A singular form may leave out the number ("one client" for "%(count)s clients").
            if found != source and not (entry.msgid_plural and set(found) <= set(source)):
                broken.append(f"{entry.msgid!r} -> {translation!r}")

    assert not broken, "; ".join(broken[:10])


def test_the_jinja2_pages_strings_are_read_with_their_lines_and_plurals(refreshed):
    """makemessages reads our Jinja2 pages (mifos/management/commands/makemessages.py): a word
    written there reaches the translators, pointing at its line."""
    merged = catalogue("fr", refreshed)

    welcome = merged.find("Welcome, %(name)s")
    rows = merged.find("%(rows)s row read so far.")

    assert ("templates/home.html", "4") in welcome.occurrences
    assert rows.msgid_plural == "%(rows)s rows read so far."
    assert ("templates/clients/import_run.html", "16") in rows.occurrences
