"""The reader of an uploaded file lets go of it before the file is closed, whatever the file held."""

import gc
import io
import sys

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def unraisable(monkeypatch):
    """What Python reports as "Exception ignored in ..." (a cleanup that failed at garbage collection)."""
    found = []
    monkeypatch.setattr(sys, "unraisablehook", found.append)
    return found


@pytest.mark.parametrize("dry_run", [["--dry-run"], []])
def test_a_file_whose_first_line_is_not_our_header_is_refused_without_a_stray_traceback(
    office_tree, tmp_path, unraisable, dry_run
):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"Name,Phone\nAmos,0700\n")

    with pytest.raises(CommandError, match="The first line must name the columns"):
        call_command("import_clients", str(path), "--office", "N1", *dry_run, stderr=io.StringIO())
    gc.collect()

    assert [str(report.exc_value) for report in unraisable] == []
