"""Public pages: plain function views that parse the request, call one selector and render."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from imvo.core.errors import NotFound
from imvo.core.moments import parse_as_of, parse_known_at
from imvo.core.selectors import database_health
from imvo.organisations.selectors import organisation_list as organisations
from imvo.sectors.selectors import sector_page
from imvo.sources.selectors import source_list as sources
from imvo.trajectories.selectors import overview_page, programme_page, trajectory_page


def _reference_moments(request: HttpRequest) -> tuple[dt.date, dt.datetime | None, list[str]]:
    """``peildatum`` (as of) and ``bekend_op`` (known at) from the query string, with errors."""
    errors = []
    as_of = timezone.localdate()
    known_at = None
    if raw := request.GET.get("peildatum", "").strip():
        try:
            as_of = parse_as_of(raw)
        except ValueError as exc:
            errors.append(_("Reference date: %(error)s") % {"error": exc})
    if raw := request.GET.get("bekend_op", "").strip():
        try:
            known_at = parse_known_at(raw)
        except ValueError as exc:
            errors.append(_("Known at: %(error)s") % {"error": exc})
    return as_of, known_at, errors


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    as_of, known_at, errors = _reference_moments(request)
    page = overview_page(as_of=as_of, known_at=known_at)
    context = {
        "as_of": as_of,
        "known_at": known_at,
        "errors": errors,
        "groups": page.groups,
        "total": page.total,
        "progress": page.progress,
    }
    return render(request, "public/overview.html", context, status=400 if errors else 200)


@require_GET
def trajectory_detail(request: HttpRequest, slug: str) -> HttpResponse:
    as_of, known_at, errors = _reference_moments(request)
    try:
        page = trajectory_page(slug=slug, as_of=as_of, known_at=known_at)
    except NotFound:
        raise Http404(_("No trajectory with slug '%(slug)s'.") % {"slug": slug}) from None
    context = {**vars(page), "as_of": as_of, "known_at": known_at, "errors": errors}
    return render(request, "public/trajectory.html", context, status=400 if errors else 200)


@require_GET
def sector_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        page = sector_page(slug=slug)
    except NotFound:
        raise Http404(_("No sector with slug '%(slug)s'.") % {"slug": slug}) from None
    return render(request, "public/sector.html", vars(page))


@require_GET
def programme(request: HttpRequest) -> HttpResponse:
    """The programme as a whole: government's roles, cross-sector themes, all events."""
    return render(request, "public/programme.html", vars(programme_page()))


@require_GET
def source_list(request: HttpRequest) -> HttpResponse:
    return render(request, "public/sources.html", {"sources": sources()})


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(request, "public/organisations.html", {"organisations": organisations()})


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers: 200 when the database answers."""
    problem = database_health()
    if problem is None:
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "error", "database": problem}, status=503)
