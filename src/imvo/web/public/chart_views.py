"""The two pictures of the programme as SVG images, and the figures the pages include.

``timeline_figure`` and ``curves_figure`` ask one selector each for the data on the reference
date (``peildatum``) as known at ``bekend_op``, and let :mod:`imvo.reports.charts` draw it with
its table; a page puts them in its context as ``timeline`` and ``curves`` for the partials
``public/_timeline.html`` and ``public/_agreement_curve.html``.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from imvo.agreements.selectors import agreement_curves
from imvo.core.i18n import active_language
from imvo.reports import charts
from imvo.trajectories.phases import Phase
from imvo.trajectories.selectors import programme_timeline
from imvo.web.public.moments import reference_moments


def timeline_figure(*, as_of: dt.date, known_at: dt.datetime | None) -> charts.Figure:
    """The swimlanes of every trajectory from 2013 to ``as_of``, with their table."""
    labels = {phase.value: str(phase.label) for phase in Phase}
    timeline = programme_timeline(as_of=as_of, known_at=known_at)
    return charts.timeline_figure(timeline, phase_labels=labels, lang=active_language())


def curves_figure(*, as_of: dt.date, known_at: dt.datetime | None) -> charts.Figure:
    """The cumulative number of agreements per convention against each target version."""
    curves = agreement_curves(as_of=as_of, known_at=known_at)
    return charts.curves_figure(curves, lang=active_language())


def _image(request: HttpRequest, figure) -> HttpResponse:  # type: ignore[no-untyped-def]
    as_of, known_at, errors = reference_moments(request)
    if errors:
        return HttpResponse(
            "\n".join(errors) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    svg = figure(as_of=as_of, known_at=known_at).svg
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@require_safe
def timeline_svg(request: HttpRequest) -> HttpResponse:
    return _image(request, timeline_figure)


@require_safe
def agreements_svg(request: HttpRequest) -> HttpResponse:
    return _image(request, curves_figure)
