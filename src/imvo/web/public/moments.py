"""The reference moments of a public page from its query string: ``peildatum`` (as of) and
``bekend_op`` (known at), parsed by the one parser of :mod:`imvo.core.moments`."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.core.i18n import message
from imvo.core.moments import parse_as_of, parse_known_at


def reference_moments(request: HttpRequest) -> tuple[dt.date, dt.datetime | None, list[str]]:
    """``peildatum`` (as of) and ``bekend_op`` (known at) from the query string, with errors."""
    errors = []
    as_of = timezone.localdate()
    known_at = None
    if raw := request.GET.get("peildatum", "").strip():
        try:
            as_of = parse_as_of(raw)
        except ValueError as exc:
            errors.append(_("Reference date: %(error)s") % {"error": message(exc)})
    if raw := request.GET.get("bekend_op", "").strip():
        try:
            known_at = parse_known_at(raw)
        except ValueError as exc:
            errors.append(_("Known at: %(error)s") % {"error": message(exc)})
    return as_of, known_at, errors


def reference_period(request: HttpRequest) -> tuple[dt.date, dt.date, list[str]]:
    """``sinds`` and ``tot`` (default: the year up to today) from the query string, with errors."""
    until = timezone.localdate()
    since = until - dt.timedelta(days=365)
    errors = []
    for name, label in (("sinds", _("From")), ("tot", _("Until"))):
        if raw := request.GET.get(name, "").strip():
            try:
                day = parse_as_of(raw)
            except ValueError as exc:
                errors.append(f"{label}: {message(exc)}")
                continue
            since, until = (day, until) if name == "sinds" else (since, day)
    return since, until, errors
