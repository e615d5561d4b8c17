"""Open downloads: CSV and JSON of what each public page shows.

One view serves every download. The URL names the page and the format, and for a page about one
item (a trajectory, a NACE division) the item::

    /download/overview.csv            /download/overview.json         (the overview, /)
    /download/trajectory/<slug>.csv   /download/trajectory/<slug>.json (/trajecten/<slug>/)
    /download/events.csv              /download/events.json           (events of /programma/)
    /download/changes.csv             /download/changes.json          (/wijzigingen/)
    /download/sra.csv                 /download/sra.json              (/risico/)
    /download/division/<nace>.csv     /download/division/<nace>.json  (/risico/nace/<nace>/)

The query string is read exactly as the page reads it: ``peildatum`` and ``bekend_op``
(:func:`~imvo.web.public.moments.reference_moments`), ``sinds``/``tot`` for the changes,
``thema`` for a division. The view parses the request, calls the page's one selector and
renders with the exporter ``"<page>.<format>"`` (:mod:`imvo.reports.programme`, and the
``sra.*`` exporters for the SRA table); the answer is an attachment with the exporter's file
name. An unknown page, format or item is a 404; a reference date that cannot be read is a 400
with a one-line message; an SRA that cannot be computed from the stored user data is a 503.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from imvo.core.errors import DataError, ImvoError, NotFound
from imvo.core.i18n import active_language
from imvo.programme.selectors import programme_changes
from imvo.reports.exporters import Export, exporter
from imvo.reports.programme import FORMATS, ITEM_PAGES, filename_stem
from imvo.risks.selectors import sra_division_page, sra_heatmap_page
from imvo.trajectories.selectors import overview_page, programme_page, trajectory_page
from imvo.web.public.moments import reference_moments, reference_period

UNAVAILABLE = 503


class _BadRequest(Exception):
    """The query string cannot be read: answered 400 with the message on one line."""


def _moments(request: HttpRequest) -> tuple[dt.date, dt.datetime | None]:
    as_of, known_at, errors = reference_moments(request)
    if errors:
        raise _BadRequest("; ".join(errors))
    return as_of, known_at


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """``sinds`` and ``tot`` as the changes page reads them (default: the last year)."""
    since, until, errors = reference_period(request)
    if errors:
        raise _BadRequest("; ".join(errors))
    return since, until


def _overview(request: HttpRequest, fmt: str, item: str | None, lang: str) -> Export:
    as_of, known_at = _moments(request)
    page = overview_page(as_of=as_of, known_at=known_at)
    stem = filename_stem("overview", as_of=as_of, known_at=known_at)
    return exporter(f"overview.{fmt}").render(
        page, stem=stem, lang=lang, as_of=as_of, known_at=known_at
    )


def _trajectory(request: HttpRequest, fmt: str, item: str | None, lang: str) -> Export:
    as_of, known_at = _moments(request)
    try:
        page = trajectory_page(slug=str(item), as_of=as_of, known_at=known_at)
    except NotFound:
        raise Http404(_("No trajectory with slug '%(slug)s'.") % {"slug": item}) from None
    stem = filename_stem("trajectory", item=item, as_of=as_of, known_at=known_at)
    return exporter(f"trajectory.{fmt}").render(
        page, stem=stem, lang=lang, as_of=as_of, known_at=known_at
    )


def _events(request: HttpRequest, fmt: str, item: str | None, lang: str) -> Export:
    as_of, known_at = _moments(request)
    page = programme_page(known_at=known_at)
    stem = filename_stem("events", known_at=known_at)
    return exporter(f"events.{fmt}").render(
        page, stem=stem, lang=lang, as_of=as_of, known_at=known_at
    )


def _changes(request: HttpRequest, fmt: str, item: str | None, lang: str) -> Export:
    _as_of, known_at = _moments(request)
    since, until = _period(request)
    try:
        found = programme_changes(since=since, until=until, known_at=known_at)
    except ImvoError as exc:
        raise _BadRequest(str(exc)) from None
    stem = filename_stem("changes", since=since, until=until, known_at=known_at)
    return exporter(f"changes.{fmt}").render(found, stem=stem, lang=lang)


def _sra(request: HttpRequest, fmt: str, item: str | None, lang: str) -> Export:
    page = sra_heatmap_page(lang=lang, show_all=True)
    return exporter(f"sra.{fmt}").render(page.result, lang=lang)


def _division(request: HttpRequest, fmt: str, item: str | None, lang: str) -> Export:
    theme = request.GET.get("thema") or None
    try:
        page = sra_division_page(nace=str(item), lang=lang, theme=theme)
    except NotFound as exc:
        raise Http404(str(exc)) from None
    stem = filename_stem("division", item=item)
    return exporter(f"division.{fmt}").render(page, stem=stem, lang=lang)


HANDLERS: dict[str, Any] = {
    "overview": _overview,
    "trajectory": _trajectory,
    "events": _events,
    "changes": _changes,
    "sra": _sra,
    "division": _division,
}


def _text(message: str, status: int) -> HttpResponse:
    one_line = " ".join(message.split())
    return HttpResponse(one_line + "\n", status=status, content_type="text/plain; charset=utf-8")


@require_safe
def download(request: HttpRequest, page: str, fmt: str, item: str | None = None) -> HttpResponse:
    """The download of ``page`` (and ``item``) in ``fmt`` as an attachment."""
    if page not in HANDLERS or fmt not in FORMATS or (item is not None) != (page in ITEM_PAGES):
        raise Http404(_("No download '%(page)s.%(fmt)s'.") % {"page": page, "fmt": fmt})
    try:
        export = HANDLERS[page](request, fmt, item, active_language())
    except _BadRequest as exc:
        return _text(str(exc), 400)
    except DataError as exc:
        return _text(exc.message, UNAVAILABLE)
    return HttpResponse(
        export.content,
        content_type=export.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )
