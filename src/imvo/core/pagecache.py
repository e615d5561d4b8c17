"""Whole public pages from a cache that every write invalidates.

A view marked with :func:`cached_page` is answered by :class:`PageCacheMiddleware` from the
cache (``settings.IMVO_PAGE_CACHE_ALIAS`` of Django's ``CACHES``: local memory per process, or
Redis shared by several processes) when the same page was rendered for the same *key* before;
otherwise the view renders it and a 200 answer is stored. The key is the path with the full
query string, the script prefix, the active language and the *data version*:

- the token of :class:`~imvo.core.models.DataVersion`, one primary-key read per request, which
  every write changes in its own transaction (:mod:`imvo.core.audit`), so no page outlives
  the data it shows, whichever process wrote it;
- the name, size and modification time of the files in the folders
  ``settings.IMVO_PAGE_CACHE_FILES`` under ``settings.VAR_DIR`` (the user's imported data,
  which the Sector Risk Analysis reads besides the database);
- today's date (pages default to today as reference date and to "known at" now; a fact known
  from a later day, the start of its source's publication day, shows from that day on);
- the software version.

The pages read nothing else of the request, so a key only matches requests with the same page.
Never cached: methods other than GET and HEAD, visitors with a session or waiting messages
(signed-in users), views without the mark (health check, admin, language switch), answers
other than 200, streaming answers, and answers that set a cookie, vary on a header or say
``private`` or ``no-store``.

Pages carry the language form's CSRF token, which belongs to each visitor. It is never
stored: every token of the visitor's secret is cut out of the page before it is stored, and
each answer gets its own visitor's token (and the CSRF cookie, as a fresh page does). Every
answer carries an ``ETag`` (a view's own, or one of the key and, for a page with a token, the
visitor's CSRF secret), and a matching ``If-None-Match`` gets 304. A fresh answer is rebuilt
from its entry exactly as a stored one is, so the two are the same. A cache that fails (Redis
down) is logged and the page rendered as without a cache.

The middleware sits after ``CsrfViewMiddleware`` (which reads the visitor's CSRF secret and
sets the cookie) and before the middleware that only matter for other answers (signed-in
users, messages): a stored page skips them, the URL resolver and the view. Headers those
add (``X-Frame-Options``) are stored with the page; those of the middleware before it are
added to every answer as to a fresh one.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import os
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections, router
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _does_token_match,
    get_token,
)
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response

from imvo import __version__
from imvo.core.models import DataVersion

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]

#: A masked CSRF token (64 letters and digits) standing on its own in the page.
_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_SAFE_METHODS = ("GET", "HEAD")
_CONDITIONS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)
_INDEX = {char: number for number, char in enumerate(CSRF_ALLOWED_CHARS)}
#: Random bytes below this map evenly onto the allowed characters (248 for 62 characters).
_EVEN = 256 - 256 % len(CSRF_ALLOWED_CHARS)
_KEY_PREFIX = "imvo-page"
#: The attribute that marks a view whose pages may be cached.
MARK = "page_cached"


@dataclass(frozen=True)
class Entry:
    """A stored page: its status and headers, and the body cut at each CSRF token."""

    status: int
    headers: tuple[tuple[str, str], ...]
    parts: tuple[bytes, ...]
    csrf: bool  # the page asked for the visitor's CSRF token (it gets one, and the cookie)


def cached_page(view: View) -> View:
    """Mark ``view``: :class:`PageCacheMiddleware` may answer its pages from the cache."""

    @functools.wraps(view)
    def marked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    setattr(marked, MARK, True)
    return marked


def enabled() -> bool:
    return bool(getattr(settings, "IMVO_PAGE_CACHE", False))


def _cache() -> Any:
    return caches[getattr(settings, "IMVO_PAGE_CACHE_ALIAS", "default")]


def files_state(directories: Iterable[Path]) -> tuple[tuple[str, str, int, int], ...]:
    """Folder, name, modification time and size of every file in ``directories``."""
    state = []
    for folder in directories:
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            try:
                info = entry.stat()
            except FileNotFoundError:  # removed meanwhile: the next request sees it gone
                continue
            state.append((str(folder), entry.name, info.st_mtime_ns, info.st_size))
    return tuple(sorted(state))


@functools.cache
def _token_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    table, pk, token = (quote(name) for name in (DataVersion._meta.db_table, "id", "token"))
    return f"SELECT {token} FROM {table} WHERE {pk} = %s"


def database_token() -> str:
    """The current token of the data version: one primary-key read ("" without the row).

    Plain SQL: the ORM takes ten times as long to build this one query as the database to
    answer it, and this runs on every request.
    """
    alias = router.db_for_read(DataVersion) or "default"
    with connections[alias].cursor() as cursor:
        cursor.execute(_token_sql(alias), [DataVersion.ROW])
        row = cursor.fetchone()
    return str(row[0]) if row else ""


@dataclass(frozen=True)
class _Day:
    """A local calendar day: its date and the moments it starts and ends."""

    zone: dt.tzinfo
    date: str
    start: dt.datetime
    end: dt.datetime


_today: _Day | None = None


def local_date() -> str:
    """Today's date in the local time zone, as ``timezone.localdate()`` gives it.

    Converting the time to the zone on every request took a tenth of a page from the cache;
    the day and its bounds are kept instead, and the date changes at local midnight exactly.
    """
    global _today
    now = timezone.now()
    day = _today
    tz = timezone.get_current_timezone()
    if day is None or day.zone != tz or not day.start <= now < day.end:
        date = timezone.localtime(now, tz).date()
        start = dt.datetime.combine(date, dt.time(), tzinfo=tz)
        end = dt.datetime.combine(date + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        day = _today = _Day(tz, date.isoformat(), start, end)
    return day.date


@functools.lru_cache(maxsize=8)
def _folders(var_dir: str, names: tuple[str, ...]) -> tuple[Path, ...]:
    return tuple(Path(var_dir) / name for name in names)


def data_version() -> tuple[Any, ...]:
    """Everything besides the request that the public pages depend on (see the module)."""
    folders = _folders(str(settings.VAR_DIR), tuple(getattr(settings, "IMVO_PAGE_CACHE_FILES", ())))
    return (database_token(), files_state(folders), local_date(), __version__)


def page_key(request: HttpRequest, version: tuple[Any, ...] | None = None) -> str:
    """The cache key of the page ``request`` asks for, at ``version`` (default: now)."""
    identity = (
        data_version() if version is None else version,
        translation.get_language(),
        get_script_prefix(),
        request.get_full_path(),
    )
    return f"{_KEY_PREFIX}:{hashlib.sha256(repr(identity).encode('utf-8')).hexdigest()}"


def cacheable_request(request: HttpRequest) -> bool:
    """Whether the answer to ``request`` may come from (and go to) the cache.

    Without a session cookie nobody is signed in (accounts sign in with sessions), so the
    user is not looked up; a visitor with a session or waiting messages always gets a fresh
    page.
    """
    if not enabled() or request.method not in _SAFE_METHODS:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _split_tokens(content: bytes, secret: str | None) -> tuple[bytes, ...] | None:
    """The page cut at every CSRF token of ``secret``; None if the secret itself shows."""
    if not secret:
        return (content,)
    if secret.encode("ascii") in content:
        return None
    parts, start = [], 0
    for match in _TOKEN.finditer(content):
        if _does_token_match(match.group().decode("ascii"), secret):
            parts.append(content[start : match.start()])
            start = match.end()
    parts.append(content[start:])
    return tuple(parts)


def make_entry(request: HttpRequest, response: HttpResponse, *, csrf_used: bool) -> Entry | None:
    """The entry to store for a fresh ``response``, or None when it must not be stored."""
    match = getattr(request, "resolver_match", None)
    control = response.get("Cache-Control", "")
    if (
        match is None
        or not getattr(match.func, MARK, False)
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or response.has_header("Vary")
        or "no-store" in control
        or "private" in control
    ):
        return None
    parts = _split_tokens(response.content, request.META.get("CSRF_COOKIE"))
    if parts is None:
        return None
    return Entry(response.status_code, tuple(response.items()), parts, csrf_used or len(parts) > 1)


def _random_chars(length: int) -> str:
    """``length`` characters drawn evenly from CSRF_ALLOWED_CHARS (one call to the OS)."""
    chars: list[str] = []
    size = len(CSRF_ALLOWED_CHARS)
    while len(chars) < length:
        chars += [
            CSRF_ALLOWED_CHARS[b % size] for b in secrets.token_bytes(length + 8) if b < _EVEN
        ]
    return "".join(chars[:length])


def csrf_token(request: HttpRequest) -> str:
    """The visitor's CSRF token, as :func:`django.middleware.csrf.get_token` makes it.

    The same steps and the same format (a fresh random mask, the secret enciphered with it; a
    new secret for a visitor without one, which asks the middleware to set the cookie), with
    one call to the OS for the random characters where Django makes one per character: on a
    page from the cache, that was a fifth of the time. tests/core/test_pagecache.py checks
    that Django accepts what this makes.
    """
    if settings.CSRF_USE_SESSIONS:
        return str(get_token(request))
    secret = request.META.get("CSRF_COOKIE")
    if not secret or len(secret) != CSRF_SECRET_LENGTH:
        secret = _random_chars(CSRF_SECRET_LENGTH)
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_chars(CSRF_SECRET_LENGTH)
    size = len(CSRF_ALLOWED_CHARS)
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_INDEX[s] + _INDEX[m]) % size]
        for s, m in zip(secret, mask, strict=True)
    )
    return mask + cipher


def _etag(request: HttpRequest, entry: Entry, key: str) -> str:
    seed = key
    if entry.csrf:
        seed += ":" + str(request.META.get("CSRF_COOKIE", ""))
    return '"' + hashlib.sha256(seed.encode("ascii")).hexdigest()[:32] + '"'


def build_response(request: HttpRequest, entry: Entry, key: str) -> HttpResponse:
    """The answer to ``request`` from ``entry``: this visitor's CSRF token, an ETag, or 304."""
    if entry.csrf:
        # Also asks CsrfViewMiddleware to set the cookie, as for a fresh page.
        content = csrf_token(request).encode("ascii").join(entry.parts)
    else:
        content = b"".join(entry.parts)
    response = HttpResponse(content, status=entry.status)
    for name, value in entry.headers:
        response.headers[name] = value
    if not response.has_header("ETag"):
        response.headers["ETag"] = _etag(request, entry, key)
    if not any(name in request.META for name in _CONDITIONS):
        return response
    return get_conditional_response(request, etag=response["ETag"], response=response)


def _get(key: str) -> Entry | None:
    try:
        entry = _cache().get(key)
    except Exception:  # the cache is only a shortcut: a broken one must not break pages
        logger.warning("page cache: cannot read %s", key, exc_info=True)
        return None
    return entry if isinstance(entry, Entry) else None


def _set(key: str, entry: Entry) -> None:
    try:
        _cache().set(key, entry, getattr(settings, "IMVO_PAGE_CACHE_SECONDS", 86_400))
    except Exception:
        logger.warning("page cache: cannot store %s", key, exc_info=True)


class PageCacheMiddleware:
    """Answers the marked views' pages from the cache and stores fresh ones (see the module)."""

    #: Paths whose view is not marked (or that match no URL): asked again, they are passed on
    #: without reading the data version. The URLs are fixed for the life of the process.
    PASS_LIMIT = 10_000

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.passed: set[str] = set()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not cacheable_request(request) or request.path_info in self.passed:
            return self.get_response(request)
        try:
            key = page_key(request)
        except DatabaseError:  # the view says what is wrong (the health check: 503)
            return self.get_response(request)
        entry = _get(key)
        if entry is None:
            token_before = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            if match is None or not getattr(match.func, MARK, False):
                if len(self.passed) >= self.PASS_LIMIT:
                    self.passed.clear()
                self.passed.add(request.path_info)
                return response
            csrf_used = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")) and not token_before
            entry = make_entry(request, response, csrf_used=csrf_used)
            if entry is None:
                return response
            _set(key, entry)
        return build_response(request, entry, key)


def clear() -> None:
    """Forget every stored page (tests; after restoring a database from a backup)."""
    _cache().clear()
