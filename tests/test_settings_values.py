"""A setting whose value would lock everyone out, sign everyone out or stop the application later
stops start-up with one line that names it, as the README promises (production settings, DEBUG off)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STRONG_KEY = "k" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789"
SETTINGS_VARIABLES = {
    "DEBUG", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "SIGN_IN_FAILURE_LIMIT",
    "SIGN_IN_ADDRESS_FAILURE_LIMIT", "SIGN_IN_COOLOFF_MINUTES", "TRUSTED_PROXY_COUNT", "SESSION_COOKIE_AGE",
    "SESSION_IDLE_TIMEOUT", "SECURE_HSTS_SECONDS", "CURRENCY", "TIME_ZONE", "LOG_LEVEL", "TASKS_BACKEND",
}  # fmt: skip


def production(tmp_path, code, **variables):
    """Runs ``code`` under production settings with ``variables`` set."""
    base = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "mifos.settings",
            "DEBUG": "0",
            "SECRET_KEY": STRONG_KEY,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            **variables,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


START_UP = "import django; django.setup(); from django.conf import settings; settings.TASKS; print('started')"


@pytest.mark.parametrize(
    "variable, value, problem",
    [
        ("SIGN_IN_FAILURE_LIMIT", "0", "must be at least 1, not 0"),
        ("SIGN_IN_FAILURE_LIMIT", "-1", "must be at least 1, not -1"),
        ("SIGN_IN_ADDRESS_FAILURE_LIMIT", "0", "must be at least 1, not 0"),
        ("SIGN_IN_COOLOFF_MINUTES", "0", "must be at least 1, not 0"),
        ("TRUSTED_PROXY_COUNT", "-1", "must be at least 0, not -1"),
        ("SESSION_COOKIE_AGE", "0", "must be at least 60, not 0"),
        ("SESSION_IDLE_TIMEOUT", "-5", "must be at least 60, not -5"),
        ("SECURE_HSTS_SECONDS", "-1", "must be at least 0, not -1"),
        ("CURRENCY", "XXXX", "must be an ISO 4217 code of three letters such as USD, not 'XXXX'"),
        ("CURRENCY", "$", "must be an ISO 4217 code of three letters such as USD, not '$'"),
        ("TIME_ZONE", "Mars/Base", "must be a time zone such as Africa/Nairobi or UTC, not 'Mars/Base'"),
        (
            "TIME_ZONE",
            "../etc/passwd",
            "must be a time zone such as Africa/Nairobi or UTC, not '../etc/passwd'",
        ),
        ("LOG_LEVEL", "LOUD", "must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not 'LOUD'"),
        (
            "TASKS_BACKEND",
            "nope",
            "must be the dotted path of a class such as django_tasks_db.DatabaseBackend",
        ),
        ("TASKS_BACKEND", "django_tasks_db.Nope", "must be the dotted path of a class such as"),
        (
            "TASKS_BACKEND",
            "celery_tasks.Backend",
            "must be the dotted path of a class such as django_tasks_db.DatabaseBackend: "
            "No module named 'celery_tasks'.",
        ),
    ],
)
def test_a_bad_value_stops_start_up_with_one_line_naming_the_variable(tmp_path, variable, value, problem):
    result = production(tmp_path, START_UP, **{variable: value})

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {variable} {problem}"), lines[0]


@pytest.mark.parametrize(
    "variable, value, setting, expected",
    [
        ("LOG_LEVEL", "info", "LOGGING['root']['level']", "INFO"),
        ("CURRENCY", " kes ", "CURRENCY", "KES"),
    ],
)
def test_a_value_written_another_way_is_taken_as_meant(tmp_path, variable, value, setting, expected):
    result = production(
        tmp_path, f"from mifos import settings; print(repr(settings.{setting}))", **{variable: value}
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(expected)
