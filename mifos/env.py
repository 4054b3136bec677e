"""Strict parsing of settings from environment variables.

A malformed value stops start-up with one line naming the variable, instead of
a traceback or, worse, a silently wrong default in production.
"""

import os
import re
import zoneinfo
from urllib.parse import urlparse

import dj_database_url
from django.utils.module_loading import import_string

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


class ConfigurationError(SystemExit):
    """Raised for a missing or malformed variable; exits with a one-line message."""

    def __init__(self, name, problem):
        super().__init__(f"Configuration error: {name} {problem}.")


def env_str(name, default=None, *, required=False, environ=os.environ):
    value = environ.get(name)
    if value is None or value == "":
        file_path = environ.get(f"{name}_FILE")
        if file_path:
            try:
                with open(file_path, encoding="utf-8") as handle:
                    value = handle.read().strip()
            except OSError as exc:
                raise ConfigurationError(f"{name}_FILE", f"cannot be read ({exc.strerror})") from None
    if value is None or value == "":
        if required:
            raise ConfigurationError(name, "must be set")
        return default
    return value


def env_bool(name, default=False, *, environ=os.environ):
    value = environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in TRUE_VALUES:
        return True
    if lowered in FALSE_VALUES:
        return False
    raise ConfigurationError(name, f"must be a boolean (true/false, 1/0), not {value!r}")


def env_int(name, default, *, minimum=None, environ=os.environ):
    """A whole number, and at least ``minimum`` where less makes no sense: a sign-in limit of 0 locks
    everyone out, a session of 0 seconds signs everyone out."""
    value = environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(name, f"must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ConfigurationError(name, f"must be at least {minimum}, not {number}")
    return number


def env_choice(name, default, choices, *, environ=os.environ):
    """One of ``choices``, in any case, returned as ``choices`` spells it."""
    value = env_str(name, environ=environ)
    if value is None:
        return default
    known = {choice.casefold(): choice for choice in choices}
    try:
        return known[value.strip().casefold()]
    except KeyError:
        *others, last = choices
        raise ConfigurationError(name, f"must be {', '.join(others)} or {last}, not {value!r}") from None


def env_time_zone(name, default, *, environ=os.environ):
    """A time zone of the IANA database, as Django and the database are told it ("Africa/Nairobi")."""
    value = env_str(name, default, environ=environ)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigurationError(
            name, f"must be a time zone such as Africa/Nairobi or UTC, not {value!r}"
        ) from None
    return value


def env_currency(name, default, *, environ=os.environ):
    """An ISO 4217 currency code: three letters, returned in capitals ("kes" is KES)."""
    value = env_str(name, default, environ=environ).strip()
    if not re.fullmatch("[A-Za-z]{3}", value):
        raise ConfigurationError(
            name, f"must be an ISO 4217 code of three letters such as USD, not {value!r}"
        )
    return value.upper()


def env_class(name, default, *, environ=os.environ):
    """The dotted path of a class, imported now: a path that leads nowhere stops start-up here, rather
    than the first time the class is needed."""
    value = env_str(name, default, environ=environ).strip()
    try:
        import_string(value)
    except ImportError as error:
        raise ConfigurationError(
            name, f"must be the dotted path of a class such as {default}: {error}"
        ) from None
    return value


def env_list(name, default=(), *, environ=os.environ):
    value = environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name, default=None, *, required=False, environ=os.environ):
    """Return a DATABASES entry parsed from a URL such as postgres://user@host:5432/db."""
    url = env_str(name, default, required=required, environ=environ)
    scheme = urlparse(url).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ConfigurationError(name, "must be a postgres:// or sqlite:/// URL")
    try:
        config = dj_database_url.parse(url, conn_max_age=60 if scheme != "sqlite" else 0)
    except ValueError as exc:
        raise ConfigurationError(name, f"is malformed ({exc})") from None
    if not config.get("NAME"):
        raise ConfigurationError(name, "names no database")
    return config


def env_secret_key(name, *, debug, environ=os.environ):
    """A real secret in production: at least 50 characters, not a placeholder."""
    value = env_str(name, environ=environ)
    if value is None:
        if debug:
            return "django-insecure-development-only-key-never-use-in-production"
        raise ConfigurationError(name, "must be set when DEBUG is off")
    if not debug and (len(value) < 50 or value.startswith("django-insecure") or len(set(value)) < 5):
        raise ConfigurationError(name, "is too weak: use at least 50 random characters")
    return value
