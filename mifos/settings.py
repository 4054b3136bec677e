"""Settings of the back-office, all read from environment variables.

DEBUG off is production mode: SECRET_KEY and DATABASE_URL must then be given.
With DEBUG on and no DATABASE_URL, the embedded SQLite file under var/ is used.
"""

import datetime
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .env import (
    env_bool,
    env_choice,
    env_class,
    env_currency,
    env_database,
    env_int,
    env_list,
    env_secret_key,
    env_str,
    env_time_zone,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret_key("SECRET_KEY", debug=DEBUG)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

EMBEDDED_DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
DATABASES = {
    "default": env_database("DATABASE_URL", EMBEDDED_DATABASE_URL if DEBUG else None, required=not DEBUG)
}
# PostgreSQL plans a query anew each time it is sent unless it is prepared, and planning was most of
# its work on a page: a client's page cost it 3.9 ms of CPU, 1.3 ms with its queries prepared. So the
# server binds the parameters and psycopg prepares a query the fifth time a connection sends it;
# mifos.plans says which queries keep plans made for their own values. A pooler that cannot keep
# prepared statements (PgBouncer before 1.21 in transaction mode) needs
# DATABASE_PREPARED_STATEMENTS=false.
if DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool("DATABASE_PREPARED_STATEMENTS", True):
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Write-ahead logging: pages keep reading while a large import writes, where the rollback journal
    # locked them out (15 s, then "database is locked"). A write starts by taking the lock (BEGIN
    # IMMEDIATE) and waits up to 20 s for another to finish, rather than failing half-way through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL;", transaction_mode="IMMEDIATE", timeout=20
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "mifos.apps.MifosConfig",
    "django_filters",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "offices",
    "clients",
    "groups",
    "audit",
    "documents",
    "ledger",
    # After clients: the first app with a command of a name wins, and clients' own ``import`` and
    # ``export`` refuse to bypass the registration rules (see clients/management/commands).
    "import_export",
]

# Background jobs (a large client import): the database backend needs no broker; the worker is
# ``manage.py db_worker`` (make run and docker-compose start it).
TASKS = {"default": {"BACKEND": env_class("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads a form: document uploads stream to disk and a too large one is not read.
    "documents.middleware.DocumentUploadMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "offices.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "offices.locale.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mifos.middleware.HardeningMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mifos.urls"
WSGI_APPLICATION = "mifos.wsgi.application"

CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "django.template.context_processors.i18n",
]
TEMPLATES = [
    # Our pages, in Jinja2: several times faster to render than Django's language (mifos/templating.py).
    {
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "mifos.templating.environment",
            "context_processors": [*CONTEXT_PROCESSORS, "mifos.templating.csrf"],
        },
    },
    # Django admin's and django-filter's templates, and our few overrides of the admin's.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": CONTEXT_PROCESSORS},
    },
]

# Widgets in Jinja2 where Django ships the template, several times faster (mifos/renderers.py).
FORM_RENDERER = "mifos.renderers.FormRenderer"

AUTH_USER_MODEL = "offices.User"
# Axes first: it refuses a locked-out sign-in before the password is checked (mifos/signin.py).
AUTHENTICATION_BACKENDS = ["mifos.signin.ThrottlingBackend", "offices.backends.OfficeModelBackend"]
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("SIGN_IN_COOLOFF_MINUTES", 15, minimum=1))
# One user name locks after SIGN_IN_FAILURE_LIMIT failures; one address only after many more
# (mifos/signin.py): a branch's staff share their router's address, and one person's typos must not
# lock them all out, while a machine trying name after name from one address still is stopped.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_HANDLER = "mifos.signin.ThrottlingHandler"
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("SIGN_IN_ADDRESS_FAILURE_LIMIT", 10 * AXES_FAILURE_LIMIT, minimum=1)
# Axes warns when it does not lock by address itself; ThrottlingHandler does, at its own limit.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "mifos.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "mifos.signin.client_address"
# How many proxies in front of the application append to X-Forwarded-For (0: none, use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_time_zone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# One date format per language, lists and detail pages alike, and the separators of its numbers
# (mifos/formats/<language>/formats.py). USE_THOUSAND_SEPARATOR stays off: it would also group every
# bare number a template writes, ids in links and form values included ("/clients/1,234/"); money
# is grouped where it is shown, with the ``money`` filter (mifos/money.py).
FORMAT_MODULE_PATH = ["mifos.formats"]

# The institution's currency (ISO 4217); every amount of money is a Decimal in it.
CURRENCY = env_currency("CURRENCY", "USD")

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (favicon.ico), served by WhiteNoise like static files.
WHITENOISE_ROOT = BASE_DIR / "public"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Uploaded files are private: there is no MEDIA_URL; they are served by authorised views.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Client documents and photos (documents/storage.py): private, served only by authorised views.
# DOCUMENTS_STORAGE=s3 keeps them in an S3-compatible store that several web servers share; it needs
# the optional django-storages[s3] and AWS_STORAGE_BUCKET_NAME (credentials: AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, read by boto3; AWS_S3_ENDPOINT_URL for a store other than Amazon's).
DOCUMENTS_STORAGE = env_str("DOCUMENTS_STORAGE", "filesystem")
if DOCUMENTS_STORAGE == "filesystem":
    STORAGES["documents"] = {"BACKEND": "documents.storage.PrivateFileSystemStorage"}
elif DOCUMENTS_STORAGE == "s3":
    from importlib.util import find_spec

    from .env import ConfigurationError

    if find_spec("storages") is None:
        raise ConfigurationError("DOCUMENTS_STORAGE", "is s3 but django-storages[s3] is not installed")
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME", required=True),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
            "region_name": env_str("AWS_S3_REGION_NAME"),
            "location": env_str("DOCUMENTS_S3_PREFIX", "documents"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    from .env import ConfigurationError

    raise ConfigurationError("DOCUMENTS_STORAGE", f"must be filesystem or s3, not {DOCUMENTS_STORAGE!r}")

# In the database every server shares, read with its user in one plain query (offices/sessions.py).
SESSION_ENGINE = "offices.sessions"
# A session shorter than a minute would sign everyone out before their next page.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
# A session also ends after this many seconds without a request (mifos.middleware).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60, minimum=60)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Only our own scripts, styles, images and fonts: no inline script or style, no other origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    # Behind a TLS-terminating proxy; docker-compose on plain HTTP turns these off explicitly.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "WARNING", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]),
    },
}
