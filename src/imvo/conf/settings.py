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

import datetime as dt
import importlib.util
import os
import re
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


def _env_date(name: str) -> dt.date | None:
    value = _env(name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a date as YYYY-MM-DD (e.g. 2027-06-15)"
        ) from None


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
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    except ValueError:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a valid {scheme} URL (check the port, and quote special "
            "characters in the user name and password with %XX)"
        ) from None
    return _sqlite_options(config)  # Security (issue 10): many writers on SQLite


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


# Security (issue 10): the helpers; the settings themselves follow below under the same title.
#: IMVO_ENV: "local" (zero-config, http://127.0.0.1:8000) or "production" (every protection on).
ENVIRONMENTS = ("local", "production")
#: The key of a local single-user installation; refused in production.
LOCAL_SECRET_KEY = "imvo-local-insecure-key-set-IMVO_SECRET_KEY"
LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
MIN_SECRET_KEY_LENGTH = 50
#: Fewer different characters than this (or one of these words) betrays a key that was typed
#: or copied from an example instead of generated.
MIN_SECRET_KEY_CHARACTERS = 10
PLACEHOLDER_KEY_WORDS = ("insecure", "changeme", "change-me", "change_me", "placeholder", "example")
MAKE_SECRET_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
#: SQLite for a small team: readers never wait for the writer (WAL); fsync at checkpoints only,
#: which WAL keeps consistent (a power cut may lose the last commits, never the file).
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")


def _environment() -> str:
    value = _env("IMVO_ENV")
    if value is None:
        return "local"
    if value.lower() not in ENVIRONMENTS:
        raise ImproperlyConfigured(f"IMVO_ENV={value!r} is not one of: {', '.join(ENVIRONMENTS)}")
    return value.lower()


def _secret_key(production: bool) -> str:
    """IMVO_SECRET_KEY; in production it must be set, long and random. Never shown."""
    key = os.environ.get("IMVO_SECRET_KEY")
    if not production:
        return LOCAL_SECRET_KEY if key is None else key
    fix = (
        f"set it to {MIN_SECRET_KEY_LENGTH} or more random characters, e.g. the output of "
        f"{MAKE_SECRET_KEY}"
    )
    if not key or not key.strip():
        raise ImproperlyConfigured(f"IMVO_SECRET_KEY is not set, but IMVO_ENV=production: {fix}")
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise ImproperlyConfigured(f"IMVO_SECRET_KEY is only {len(key)} characters long: {fix}")
    if (
        key == LOCAL_SECRET_KEY
        or len(set(key)) < MIN_SECRET_KEY_CHARACTERS
        or any(word in key.lower() for word in PLACEHOLDER_KEY_WORDS)
    ):
        raise ImproperlyConfigured(
            f"IMVO_SECRET_KEY looks like a default or an example, not a random key: {fix}"
        )
    return key


def _allowed_hosts(production: bool) -> list[str]:
    hosts = _env_list("IMVO_ALLOWED_HOSTS", [])
    if hosts:
        return hosts
    if production:
        raise ImproperlyConfigured(
            "IMVO_ALLOWED_HOSTS is not set, but IMVO_ENV=production: set it to the "
            "comma-separated host names of the site (e.g. imvo.example.org)"
        )
    return LOCAL_HOSTS


def _origins(name: str) -> list[str]:
    origins = _env_list(name, [])
    for origin in origins:
        if not re.fullmatch(r"https?://[^/\s]+", origin):
            raise ImproperlyConfigured(
                f"{name} holds {origin!r}, which is not an origin (use scheme and host, "
                "e.g. https://imvo.example.org)"
            )
    return origins


def _proxy_ssl_header() -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER from ``X-Forwarded-Proto`` (value https) or ``Name: value``."""
    value = _env("IMVO_PROXY_SSL_HEADER")
    if value is None:
        return None
    name, colon, expected = value.partition(":")
    name, expected = name.strip(), expected.strip() if colon else "https"
    if not re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", name) or not expected:
        raise ImproperlyConfigured(
            f"IMVO_PROXY_SSL_HEADER={value!r} is not a header name (use the header the proxy "
            "sets on HTTPS requests, e.g. X-Forwarded-Proto, or X-Forwarded-Proto: https)"
        )
    return ("HTTP_" + name.upper().replace("-", "_"), expected)


def _sqlite_options(config: dict[str, object]) -> dict[str, object]:
    """SQLite tuned for several writers at once; other databases as they are.

    A writer waits up to IMVO_SQLITE_BUSY_TIMEOUT seconds for the one before it instead of
    failing with "database is locked", and every transaction takes the write lock when it
    begins (IMMEDIATE): one that read first (validation does) can otherwise not get it later,
    and SQLite fails such a transaction at once, whatever the timeout. Options given in the
    URL win."""
    if config.get("ENGINE") != "django.db.backends.sqlite3":
        return config
    options = dict(config.get("OPTIONS") or {})  # type: ignore[call-overload]
    options.setdefault("timeout", _env_int("IMVO_SQLITE_BUSY_TIMEOUT", 20, minimum=1))
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("init_command", "; ".join(SQLITE_PRAGMAS))
    return {**config, "OPTIONS": options}


# End of the helpers of issue 10.

# Where runtime files (the default SQLite database, collected static files) live.
VAR_DIR = Path(_env("IMVO_VAR_DIR") or Path.cwd() / "var").resolve()

# Security (issue 10): IMVO_ENV=production turns every protection on (see further below).
IMVO_ENV = _environment()
PRODUCTION = IMVO_ENV == "production"
DEBUG = _env_bool("IMVO_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "IMVO_DEBUG is on, but IMVO_ENV=production: debug pages show settings and code"
    )
# The local key only suits a local single-user installation; production refuses it.
SECRET_KEY = _secret_key(PRODUCTION)
ALLOWED_HOSTS = _allowed_hosts(PRODUCTION)
CSRF_TRUSTED_ORIGINS = _origins("IMVO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Sign-in (issue 10): the admin asks for the second factor too (SignInAdminSite).
    "imvo.web.editors.apps.SignInAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    # Sign-in (issue 10): TOTP second factor and the lockout after failed sign-ins.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",  # Security (issue 10): Content-Security-Policy; its checks
    "imvo.core",
    "imvo.sources",
    "imvo.sectors",
    "imvo.organisations",
    "imvo.risks",
    "imvo.initiatives",
    "imvo.trajectories",
    "imvo.agreements",
    "imvo.proposals",
    "imvo.parliament",
    "imvo.reference",
    "imvo.accounts",
    "imvo.web",
    "imvo.commands",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Security (issue 10): before the page cache and static files, so every answer has it.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "imvo.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # After the CSRF secret is read, before what only other answers need (docs/operations).
    "imvo.core.pagecache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # Sign-in (issue 10): user.is_verified()
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sign-in: signs out after IMVO_IDLE_MINUTES without a request; after the user and the
    # messages, and it never touches the session of an anonymous visitor (the page cache).
    "imvo.web.editors.idle.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Sign-in (issue 10): last, so that it answers a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Django's permissions for the legacy groups, and the access policy for memberships.
AUTHENTICATION_BACKENDS = [
    # Sign-in (issue 10): first, refuses a locked-out account before any password is checked.
    "axes.backends.AxesStandaloneBackend",
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

# Sign-in (issue 10): two factors, lockout and sessions (docs/accounts.md, "Signing in").
#: Every account that can edit or approve (a coordinator, SER secretariat or sector editor
#: membership, the legacy editors' group, staff, superusers) signs in with a TOTP code.
#: IMVO_REQUIRE_2FA=0 relaxes it for a local single-user installation only: production refuses
#: it, and `imvo init` says that it is off.
IMVO_REQUIRE_2FA = _env_bool("IMVO_REQUIRE_2FA", True)
if PRODUCTION and not IMVO_REQUIRE_2FA:
    raise ImproperlyConfigured(
        "IMVO_REQUIRE_2FA is off, but IMVO_ENV=production: two-factor authentication may only "
        "be turned off for a local single-user installation"
    )
LOGIN_URL = "account:login"
LOGIN_REDIRECT_URL = "editors:home"
LOGOUT_REDIRECT_URL = "account:login"
#: A session ends IMVO_SESSION_HOURS after signing in (activity does not extend it), after
#: IMVO_IDLE_MINUTES without a request, when the browser closes, or on signing out. Both times
#: are kept in the session by imvo.web.editors.idle.IdleTimeoutMiddleware, which writes the
#: session at most once a minute (the time of the last request) and ends it by the time of
#: signing in, not by the session's expiry (which each write moves on).
SESSION_COOKIE_AGE = _env_int("IMVO_SESSION_HOURS", 8, minimum=1) * 3600
IMVO_IDLE_MINUTES = _env_int("IMVO_IDLE_MINUTES", 30, minimum=1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
#: Lockout (django-axes): the 11th failed sign-in of an account (a wrong password, or a wrong
#: code in the second step) locks that account, whatever the address it comes from, for
#: IMVO_LOCKOUT_MINUTES; during the lock even the right password is refused, and attempts are
#: not counted (the lock ends when it said it would). 11 failures from one address (to any
#: accounts: someone trying one password on many) lock that address too. A successful sign-in
#: clears the failures of that account only (imvo.accounts.services.user_failed_attempts_clear):
#: AXES_RESET_ON_SUCCESS would also clear every failure from the same address, so that anyone
#: with an account of their own could wipe the count of another account. Behind a reverse proxy
#: `imvo serve --trusted-proxy` must name it, else all failures count against its address.
#: `imvo user unlock` lifts a lock at once.
IMVO_LOCKOUT_MINUTES = _env_int("IMVO_LOCKOUT_MINUTES", 30, minimum=1)
#: The day the progress notes for the next letter to parliament are due (YYYY-MM-DD; unset:
#: no date shown, and notes are for this year's report). 'Mijn trajecten' lists the open
#: trajectories without a note for that report.
IMVO_REPORT_DUE = _env_date("IMVO_REPORT_DUE")
AXES_FAILURE_LIMIT = 11
AXES_COOLOFF_TIME = IMVO_LOCKOUT_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "imvo.web.editors.auth_views.locked_out"
#: Kept out of the stored attempts and the log: the code of the second step and the passwords
#: of changing one's password (a wrong current password counts as a failure), like the password.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "code",
    "old_password",
    "new_password1",
    "new_password2",
]
OTP_TOTP_ISSUER = "IMVO Monitor"
# End of the sign-in settings of issue 10.

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

# Security (issue 10): what IMVO_ENV=production turns on (docs/operations/settings.md,
# "Security"). Locally (no IMVO_ENV) the site stays plain http://127.0.0.1:8000.
# The header the TLS proxy sets on HTTPS requests (e.g. X-Forwarded-Proto: https).
SECURE_PROXY_SSL_HEADER = _proxy_ssl_header()
SECURE_SSL_REDIRECT = _env_bool("IMVO_SSL_REDIRECT", PRODUCTION)
# Load balancers and container probes ask for the health check over plain HTTP inside.
SECURE_REDIRECT_EXEMPT = [r"^gezondheid/$"]
SECURE_HSTS_SECONDS = _env_int("IMVO_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("IMVO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_bool("IMVO_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = _env_bool("IMVO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No script but the site's own files, and nothing from other sites. Styles allow
# 'unsafe-inline' for style attributes and <style> in SVG: the heat map's cell colours and the
# target bar's width are data, and matplotlib's SVG images style every shape inline. Scripts
# stay without 'unsafe-inline'; an injected style cannot run code. img-src data: is for the
# PNG that matplotlib embeds in the heat-map SVG.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# HSTS preload (security.W021) is a choice for the whole registrable domain, made by submitting
# it to the browsers' preload list; it is IMVO_HSTS_PRELOAD's to make, so while it is off
# `imvo check --deploy` does not warn about it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

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
