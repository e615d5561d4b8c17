"""Public pages: plain function views that parse the request, call one selector and render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from imvo.core.errors import ImvoError, NotFound
from imvo.core.selectors import database_health
from imvo.organisations.selectors import organisation_list as organisations
from imvo.programme.selectors import programme_changes
from imvo.sectors.selectors import sector_page
from imvo.sources.selectors import source_list as sources
from imvo.trajectories.selectors import overview_page, programme_page, trajectory_page
from imvo.web.public.chart_views import curves_figure, forecast_section, timeline_figure
from imvo.web.public.moments import reference_moments, reference_period


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    as_of, known_at, errors = reference_moments(request)
    page = overview_page(as_of=as_of, known_at=known_at)
    context = {
        "as_of": as_of,
        "known_at": known_at,
        "errors": errors,
        "groups": page.groups,
        "total": page.total,
        "progress": page.progress,
        "data_until": page.data_until,
        "last_updated": page.last_updated,
        "timeline": timeline_figure(as_of=as_of, known_at=known_at),
        "curves": curves_figure(as_of=as_of, known_at=known_at),
        "forecast": forecast_section(as_of=as_of, known_at=known_at),
    }
    return render(request, "public/overview.html", context, status=400 if errors else 200)


@require_safe
def trajectory_detail(request: HttpRequest, slug: str) -> HttpResponse:
    as_of, known_at, errors = reference_moments(request)
    try:
        page = trajectory_page(slug=slug, as_of=as_of, known_at=known_at)
    except NotFound:
        raise Http404(_("No trajectory with slug '%(slug)s'.") % {"slug": slug}) from None
    context = {**vars(page), "as_of": as_of, "known_at": known_at, "errors": errors}
    return render(request, "public/trajectory.html", context, status=400 if errors else 200)


@require_safe
def sector_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        page = sector_page(slug=slug)
    except NotFound:
        raise Http404(_("No sector with slug '%(slug)s'.") % {"slug": slug}) from None
    return render(request, "public/sector.html", vars(page))


@require_safe
def programme(request: HttpRequest) -> HttpResponse:
    """The programme as a whole: the forecast of its target, government's roles, cross-sector
    themes, all events."""
    as_of, known_at, errors = reference_moments(request)
    context = {
        **vars(programme_page(known_at=known_at)),
        "as_of": as_of,
        "known_at": known_at,
        "errors": errors,
        "timeline": timeline_figure(as_of=as_of, known_at=known_at),
        "forecast": forecast_section(as_of=as_of, known_at=known_at),
    }
    return render(request, "public/programme.html", context, status=400 if errors else 200)


@require_safe
def changes(request: HttpRequest) -> HttpResponse:
    """What changed between ``sinds`` and ``tot`` (default: the last year), as known at
    ``bekend_op``."""
    _as_of, known_at, errors = reference_moments(request)
    since, until, period_errors = reference_period(request)
    errors += period_errors
    try:
        found = programme_changes(since=since, until=until, known_at=known_at)
    except ImvoError as exc:
        errors.append(str(exc))
        found = programme_changes(since=until, until=until, known_at=known_at)
    context = {"found": found, "errors": errors}
    return render(request, "public/changes.html", context, status=400 if errors else 200)


@require_safe
def source_list(request: HttpRequest) -> HttpResponse:
    return render(request, "public/sources.html", {"sources": sources()})


@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(request, "public/organisations.html", {"organisations": organisations()})


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers: 200 when the database answers, else 503.

    The answer is only ``{"status": "ok"}`` or ``{"status": "error"}``: what went wrong (the
    driver's error names host, database and user) goes to the server's log, not to callers."""
    if database_health() is None:
        return JsonResponse({"status": "ok"})
    return JsonResponse({"status": "error"}, status=503)
