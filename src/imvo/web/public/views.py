"""Dashboard pages: plain function views over the selectors of each app."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from imvo.agreements.selectors import target_progress
from imvo.core.dates import parse_date
from imvo.core.models import active_language
from imvo.core.moments import end_of_day
from imvo.organisations.models import Organisation
from imvo.risks.models import Theme
from imvo.risks.selectors import division_summaries
from imvo.sectors.models import Sector
from imvo.sources.models import Source
from imvo.trajectories.models import Event, GovernmentAction
from imvo.trajectories.selectors import (
    phase_history,
    phase_overview,
    trajectory_get,
    trajectory_states,
)


def _reference_dates(request: HttpRequest) -> tuple[dt.date, dt.datetime | None, list[str]]:
    """``peildatum`` (as of) and ``bekend_op`` (known at) from the query string, with errors."""
    errors = []
    as_of = timezone.localdate()
    known_at = None
    if raw := request.GET.get("peildatum", "").strip():
        try:
            as_of = parse_date(raw)
        except ValueError as exc:
            errors.append(_("Reference date: %(error)s") % {"error": exc})
    if raw := request.GET.get("bekend_op", "").strip():
        try:
            known_at = end_of_day(parse_date(raw))
        except ValueError as exc:
            errors.append(_("Known at: %(error)s") % {"error": exc})
    return as_of, known_at, errors


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    as_of, known_at, errors = _reference_dates(request)
    groups = phase_overview(as_of=as_of, known_at=known_at)
    context = {
        "as_of": as_of,
        "known_at": known_at,
        "errors": errors,
        "groups": groups,
        "total": sum(len(g.states) for g in groups),
        "progress": target_progress(as_of=as_of),
    }
    return render(request, "public/overview.html", context, status=400 if errors else 200)


@require_GET
def trajectory_detail(request: HttpRequest, slug: str) -> HttpResponse:
    trajectory = trajectory_get(slug=slug)
    if trajectory is None:
        raise Http404(_("No trajectory with slug '%(slug)s'.") % {"slug": slug})
    as_of, known_at, errors = _reference_dates(request)
    state = trajectory_states(as_of=as_of, known_at=known_at, slugs=[slug])[0]
    history = phase_history(trajectory=trajectory)
    participations = list(trajectory.participations.all())
    events = sorted(
        trajectory.events.all(), key=lambda e: (e.date is None, e.date or dt.date.max, e.key)
    )
    cited: dict[int, Source] = {trajectory.source_id: trajectory.source}
    for item in [*history, *participations, *events]:
        cited[item.source_id] = item.source
    context = {
        "trajectory": trajectory,
        "state": state,
        "as_of": as_of,
        "known_at": known_at,
        "errors": errors,
        "history": history,
        "participations": participations,
        "events": events,
        "initiatives": list(trajectory.initiatives.all()),
        "actions": list(trajectory.government_actions.all()),
        "agreements": list(trajectory.agreements.all()),
        "sources": sorted(cited.values(), key=lambda s: (s.date or dt.date.min, s.title)),
        "divisions": division_summaries(
            naces=_divisions(list(trajectory.sectors.all())), lang=active_language()
        ),
    }
    return render(request, "public/trajectory.html", context, status=400 if errors else 200)


def _divisions(sectors: list[Sector]) -> list[str]:
    return list(dict.fromkeys(code[:2] for s in sectors for code in s.nace_codes))


@require_GET
def sector_detail(request: HttpRequest, slug: str) -> HttpResponse:
    sector = (
        Sector.objects.filter(slug=slug)
        .select_related("parent", "source")
        .prefetch_related("children", "trajectories", "initiatives")
        .first()
    )
    if sector is None:
        raise Http404(_("No sector with slug '%(slug)s'.") % {"slug": slug})
    context = {
        "sector": sector,
        "divisions": division_summaries(naces=_divisions([sector]), lang=active_language()),
    }
    return render(request, "public/sector.html", context)


@require_GET
def programme(request: HttpRequest) -> HttpResponse:
    """The programme as a whole: government's roles, cross-sector themes, all events."""
    actions = GovernmentAction.objects.select_related("source").prefetch_related(
        "trajectories", "organisations"
    )
    by_role = [
        (label, [a for a in actions if a.role == role])
        for role, label in GovernmentAction.Role.choices
    ]
    events = sorted(
        Event.objects.select_related("source").prefetch_related("trajectories", "organisations"),
        key=lambda e: (e.date is None, e.date or dt.date.max, e.key),
    )
    themes = Theme.objects.filter(cross_sector=True).prefetch_related("advice__organisation")
    context = {"by_role": [(label, items) for label, items in by_role if items], "events": events}
    context["themes"] = themes
    return render(request, "public/programme.html", context)


@require_GET
def source_list(request: HttpRequest) -> HttpResponse:
    sources = Source.objects.annotate(
        phase_count=Count("trajectories_phaserecord_set", distinct=True),
        event_count=Count("trajectories_event_set", distinct=True),
    ).order_by("date", "title")
    return render(request, "public/sources.html", {"sources": sources})


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.prefetch_related("participations__trajectory").order_by(
        "kind", "name_nl"
    )
    return render(request, "public/organisations.html", {"organisations": organisations})


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok", "database": "ok"})
    except Exception as exc:
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
