"""Signing out after a while without activity, and at the end of the session's hours.

:class:`IdleTimeoutMiddleware` signs a signed-in user out when ``settings.IMVO_IDLE_MINUTES``
passed since their last request, and when ``settings.SESSION_COOKIE_AGE`` passed since they
signed in (``IMVO_SESSION_HOURS``; see ``docs/accounts.md``, "Sessions"). Both times are kept
in the session, in seconds since the epoch:

- :data:`LAST_SEEN`, the time of the last request, is written only when at least
  :data:`WRITE_EVERY` seconds passed since the time it holds, so that a session is written at
  most once a minute, not on every request (a user can therefore be signed out up to a minute
  early);
- :data:`SIGNED_IN_AT`, when the session began. A session that is written is kept by Django for
  ``SESSION_COOKIE_AGE`` from that write, so it is this time, not the session's expiry, that
  ends it the set hours after signing in: activity does not extend a session.

After a timeout a GET (or HEAD) goes to the sign-in page with ``next`` the page asked for; a
POST goes there too (with ``next`` the page the form was on, when the browser says so): what
was typed is lost. A message says why.

Anonymous visitors are left alone: without a session cookie the session is not even read, so
no session (and no cookie) is ever made for them, which the public page cache
(:mod:`imvo.core.pagecache`) depends on. The middleware sits after ``AuthenticationMiddleware``
and ``MessageMiddleware``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import ngettext

#: The session key of the time of the last request (epoch seconds).
LAST_SEEN = "imvo_last_seen"
#: The session key of the time the session began (epoch seconds).
SIGNED_IN_AT = "imvo_signed_in_at"
#: The last request's time is written when at least this many seconds passed.
WRITE_EVERY = 60


def _now() -> float:
    return time.time()


def mark_signed_in(request: HttpRequest) -> None:
    """Note that the session of ``request`` begins now (call it after Django's ``login``)."""
    now = int(_now())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


def _seconds(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _next_after_post(request: HttpRequest) -> str:
    """The page the form was on (the ``Referer`` of this site), else nothing."""
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc != request.get_host() or not referer.path.startswith("/"):
        return ""
    return referer.path + (f"?{referer.query}" if referer.query else "")


class IdleTimeoutMiddleware:
    """Sign a signed-in user out after ``IMVO_IDLE_MINUTES`` without a request (and after the
    session's hours); see the module's description."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)  # anonymous: the session is not touched
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = _now()
        session = request.session
        last_seen = _seconds(session.get(LAST_SEEN))
        signed_in_at = _seconds(session.get(SIGNED_IN_AT))
        idle_minutes = int(settings.IMVO_IDLE_MINUTES)
        if last_seen is not None and now - last_seen >= idle_minutes * 60:
            text = ngettext(
                "You were signed out after %(minutes)d minute without activity.",
                "You were signed out after %(minutes)d minutes without activity.",
                idle_minutes,
            ) % {"minutes": idle_minutes}
            return self._sign_out(request, text)
        hours = settings.SESSION_COOKIE_AGE // 3600
        if signed_in_at is not None and now - signed_in_at >= settings.SESSION_COOKIE_AGE:
            text = ngettext(
                "You were signed out %(hours)d hour after signing in.",
                "You were signed out %(hours)d hours after signing in.",
                hours,
            ) % {"hours": hours}
            return self._sign_out(request, text)
        if signed_in_at is None:
            session[SIGNED_IN_AT] = int(now)  # a session of before this middleware
        if last_seen is None or not 0 <= now - last_seen < WRITE_EVERY:
            session[LAST_SEEN] = int(now)
        return self.get_response(request)

    @staticmethod
    def _sign_out(request: HttpRequest, text: str) -> HttpResponse:
        logout(request)
        messages.info(request, text)
        login_url = resolve_url(settings.LOGIN_URL)
        if request.method in ("GET", "HEAD"):
            next_url = request.get_full_path()
        else:
            next_url = _next_after_post(request)  # what the form held is lost
        if not next_url or next_url.split("?")[0] == login_url:
            return HttpResponseRedirect(login_url)
        return redirect_to_login(next_url, login_url)
