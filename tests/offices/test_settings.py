import os
import subprocess
import sys
from pathlib import Path

import pytest

from mifos.env import ConfigurationError, env_bool, env_database, env_secret_key

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789"


def run_check(env, *args):
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "mifos.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("Off", False), ("0", False)])
def test_booleans_are_read_strictly(value, expected):
    assert env_bool("DEBUG", environ={"DEBUG": value}) is expected


def test_a_malformed_boolean_names_the_variable():
    with pytest.raises(ConfigurationError) as excinfo:
        env_bool("DEBUG", environ={"DEBUG": "maybe"})
    assert "DEBUG" in str(excinfo.value.code)


def test_database_url_is_parsed_for_postgres():
    config = env_database("DATABASE_URL", environ={"DATABASE_URL": "postgres://u:p@db:5433/mifos"})
    assert (config["ENGINE"], config["HOST"], config["PORT"], config["NAME"]) == (
        "django.db.backends.postgresql",
        "db",
        5433,
        "mifos",
    )


@pytest.mark.parametrize("url", ["mysql://x@y/z", "not a url", "postgres://db:5432/"])
def test_a_malformed_database_url_is_refused(url):
    with pytest.raises(ConfigurationError) as excinfo:
        env_database("DATABASE_URL", environ={"DATABASE_URL": url})
    assert "DATABASE_URL" in str(excinfo.value.code)


def test_a_weak_secret_key_is_refused_in_production():
    with pytest.raises(ConfigurationError):
        env_secret_key("SECRET_KEY", debug=False, environ={"SECRET_KEY": "changeme"})


def test_secret_key_may_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(STRONG_KEY + "\n")
    assert env_secret_key("SECRET_KEY", debug=False, environ={"SECRET_KEY_FILE": str(secret)}) == STRONG_KEY


@pytest.mark.parametrize(
    "env, variable",
    [
        ({"DEBUG": "0", "DATABASE_URL": "postgres://x@127.0.0.1/x"}, "SECRET_KEY"),
        ({"DEBUG": "0", "SECRET_KEY": STRONG_KEY}, "DATABASE_URL"),
        ({"DEBUG": "0", "SECRET_KEY": STRONG_KEY, "DATABASE_URL": "oracle://x"}, "DATABASE_URL"),
        ({"DEBUG": "perhaps"}, "DEBUG"),
    ],
)
def test_production_start_up_stops_with_one_line_naming_the_variable(env, variable):
    result = run_check(env)

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0], result.stderr


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = run_check(
        {"DEBUG": "0", "SECRET_KEY": STRONG_KEY, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        "--deploy",
        "--fail-level",
        "WARNING",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_institution_settings_come_from_the_environment():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from mifos import settings as s; print(s.CURRENCY, s.TIME_ZONE, s.LANGUAGE_CODE)",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "1",
            "CURRENCY": "kes",
            "TIME_ZONE": "Africa/Nairobi",
            "LANGUAGE_CODE": "fr",
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["KES", "Africa/Nairobi", "fr"]


@pytest.mark.parametrize(
    "turned, expected",
    [
        ({}, "True 5"),  # the server binds the values, and a query sent five times is prepared
        ({"DATABASE_PREPARED_STATEMENTS": "false"}, "None None"),  # for a pooler that cannot keep them
    ],
)
def test_prepared_statements_are_on_for_postgresql_unless_turned_off(turned, expected):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from mifos import settings as s; options = s.DATABASES['default'].get('OPTIONS', {}); "
            "print(options.get('server_side_binding'), options.get('prepare_threshold'))",
        ],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", "DATABASE_URL": "postgres://x@127.0.0.1/x", **turned},
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == expected, result.stderr


EMBEDDED_SCRIPT = """
import sqlite3
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print(cursor.fetchone()[0])
    cursor.execute("CREATE TABLE payments (amount INTEGER)")
    cursor.execute("INSERT INTO payments VALUES (1)")
with transaction.atomic():  # a large import, still writing
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO payments VALUES (%s)", [(n,) for n in range(50_000)])
    page = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.5)  # a page, meanwhile
    print(page.execute("SELECT count(*) FROM payments").fetchone()[0])
"""


def test_the_embedded_database_serves_pages_while_an_import_writes(tmp_path):
    """Write-ahead logging: a page reads what is committed while a long write is under way."""
    base = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", EMBEDDED_SCRIPT],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "mifos.settings",
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },  # fmt: skip
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "1"]
