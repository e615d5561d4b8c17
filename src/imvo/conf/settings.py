"""Django settings for IMVO Monitor.

Every setting that differs between installations comes from the environment; see
``docs/operations/settings.md`` for the full list. The defaults give a working
offline installation on an embedded SQLite database under ``var/``.

Values are read strictly: a variable that is set but cannot be understood (``IMVO_DEBUG=ture``)
stops start-up with :class:`~django.core.exceptions.ImproperlyConfigured` naming the variable
and the values it accepts, instead of silently falling back to a default. A variable set to
the empty string counts as not set (except IMVO_SECRET_KEY, which Django refuses empty).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent

TRUE_VALUES = ("1", "true", "yes", "on")
FALSE_VALUES = ("0", "false", "no", "off")
#: DATABASE_URL schemes IMVO runs on: the embedded SQLite file and PostgreSQL (psycopg 3).
DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
#: IMVO_CACHE_URL schemes: Redis (TCP, TLS or a Unix socket) and the local memory of a process.
CACHE_SCHEMES = ("redis", "rediss", "unix", "locmem")


def _env(name: str) -> str | None:
    """The value of ``name`` without surrounding blanks, or ``None`` if unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or None


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    if value.lower() in TRUE_VALUES:
        return True
    if value.lower() in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value "
        f"(use one of: {', '.join(TRUE_VALUES)} or {', '.join(FALSE_VALUES)})"
    )


def _env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = _env(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a whole number of {minimum} or more (e.g. {default})"
        )
    return number


def _env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _env(name)
    if value is None:
        return default
    if value.upper() not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}")
    return value.upper()


def _database(url: str, conn_max_age: int) -> dict[str, object]:
    """The database settings of ``url``; an unknown scheme or broken URL stops start-up.

    The messages show the scheme only, never the URL: it may hold a password.
    """
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in DATABASE_SCHEMES:
        shown = f"the unknown scheme '{scheme}://'" if scheme else "no scheme"
        raise ImproperlyConfigured(
            f"DATABASE_URL has {shown} (use sqlite:///path/to/file.sqlite3 "
            "or postgres://user:password@host:5432/name)"
        )
    try:
        return dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    except ValueError:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a valid {scheme} URL (check the port, and quote special "
            "characters in the user name and password with %XX)"
        ) from None


def _cache(url: str | None) -> dict[str, object]:
    """The cache of ``url``: local memory of each process by default, or a shared Redis.

    The message shows the scheme only, never the URL: it may hold a password.
    """
    scheme = url.split("://", 1)[0] if url and "://" in url else ""
    if url is None or scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "imvo",
            "OPTIONS": {"MAX_ENTRIES": 500},
        }
    if scheme not in CACHE_SCHEMES:
        shown = f"the unknown scheme '{scheme}://'" if scheme else "no scheme"
        raise ImproperlyConfigured(
            f"IMVO_CACHE_URL has {shown} (use redis://host:6379/0, rediss://…, "
            "unix:///path/to/redis.sock or locmem://)"
        )
    if importlib.util.find_spec("redis") is None:
        raise ImproperlyConfigured(
            "IMVO_CACHE_URL names Redis, but the redis package is not installed "
            "(pip install 'imvo-monitor[redis]')"
        )
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "imvo",
        # A cache that does not answer must not hold pages up (they render without it).
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Where runtime files (the default SQLite database, collected static files) live.
VAR_DIR = Path(_env("IMVO_VAR_DIR") or Path.cwd() / "var").resolve()

DEBUG = _env_bool("IMVO_DEBUG", False)
# The default key only suits a local single-user installation: set IMVO_SECRET_KEY in production.
SECRET_KEY = os.environ.get("IMVO_SECRET_KEY", "imvo-local-insecure-key-set-IMVO_SECRET_KEY")
ALLOWED_HOSTS = _env_list("IMVO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = _env_list("IMVO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "imvo.core",
    "imvo.sources",
    "imvo.sectors",
    "imvo.organisations",
    "imvo.risks",
    "imvo.initiatives",
    "imvo.trajectories",
    "imvo.agreements",
    "imvo.reference",
    "imvo.accounts",
    "imvo.web",
    "imvo.commands",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "imvo.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # After the CSRF secret is read, before what only other answers need (docs/operations).
    "imvo.core.pagecache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

# Django's permissions for the legacy groups, and the access policy for memberships.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "imvo.accounts.backends.PolicyBackend",
]
# The one access policy every channel asks (admin, editors, API): see docs/accounts.md.
IMVO_ACCESS_POLICY = "imvo.accounts.policy"

ROOT_URLCONF = "imvo.conf.urls"
WSGI_APPLICATION = "imvo.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# DATABASE_URL selects the database (sqlite:///path or postgres://user@host:port/name).
DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'imvo.sqlite3'}"
DATABASES = {
    "default": _database(
        _env("DATABASE_URL") or DEFAULT_DATABASE_URL, _env_int("IMVO_DB_CONN_MAX_AGE", 60)
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch first, English second.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_SECURE = _env_bool("IMVO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Audit trail (django-simple-history): every historical row records who, when and why.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# Whole public pages from a cache that every write invalidates (imvo.core.pagecache).
CACHES = {"default": _cache(_env("IMVO_CACHE_URL"))}
IMVO_PAGE_CACHE = _env_bool("IMVO_PAGE_CACHE", True)
IMVO_PAGE_CACHE_ALIAS = "default"
IMVO_PAGE_CACHE_SECONDS = _env_int("IMVO_PAGE_CACHE_SECONDS", 86_400, minimum=1)
#: Folders under VAR_DIR whose files the pages read besides the database (the SRA's imports).
IMVO_PAGE_CACHE_FILES = ["userdata"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": _env_choice("IMVO_LOG_LEVEL", "WARNING", LOG_LEVELS),
    },
}
