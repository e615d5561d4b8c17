"""The pictures of the programme as SVG images, and the figures the pages include.

``timeline_figure`` and ``curves_figure`` ask one selector each for the data on the reference
date (``peildatum``) as known at ``bekend_op``, and let :mod:`imvo.reports.charts` draw it with
its table; a page puts them in its context as ``timeline`` and ``curves`` for the partials
``public/_timeline.html`` and ``public/_agreement_curve.html``.

``forecast_section`` is the forecast on the reference date (issue 11): the fan chart of
:mod:`imvo.reports.forecast_chart` with its table, the one-sentence summary, the chance of
meeting each target version in force and the outlook per trajectory, for the partial
``public/_forecast.html`` (context name ``forecast``). ``forecast_svg`` is its fan chart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from imvo.agreements.selectors import agreement_curves
from imvo.core.errors import ImvoError
from imvo.core.i18n import active_language
from imvo.programme.selectors import programme_forecast
from imvo.reports import charts, forecast_chart
from imvo.reports import forecast as forecast_report
from imvo.trajectories.phases import Phase
from imvo.trajectories.selectors import programme_timeline, trajectory_list
from imvo.web.public.moments import reference_moments

#: Monte Carlo runs and seed of the forecast on the pages: fixed, so a page is the same every
#: time it is rendered (10,000 runs take about 0.1 s; the page cache keeps the result).
FORECAST_RUNS = 10_000
FORECAST_SEED = 0
#: How many trajectories the outlook table shows (the likeliest to sign by the deadline).
FORECAST_TRAJECTORIES = 8


def timeline_figure(*, as_of: dt.date, known_at: dt.datetime | None) -> charts.Figure:
    """The swimlanes of every trajectory from 2013 to ``as_of``, with their table."""
    labels = {phase.value: str(phase.label) for phase in Phase}
    timeline = programme_timeline(as_of=as_of, known_at=known_at)
    return charts.timeline_figure(timeline, phase_labels=labels, lang=active_language())


def curves_figure(*, as_of: dt.date, known_at: dt.datetime | None) -> charts.Figure:
    """The cumulative number of agreements per convention against each target version."""
    curves = agreement_curves(as_of=as_of, known_at=known_at)
    return charts.curves_figure(curves, lang=active_language())


@dataclass(frozen=True)
class TargetChance:
    """The chance of meeting one target version in force, under its own convention."""

    key: str
    value: int
    deadline: dt.date
    decided: Any  # the version's PartialDate, or None when the version is not at hand
    convention: str  # the convention's title
    chance: str  # '4 %', '< 1 %'


@dataclass(frozen=True)
class TrajectoryChance:
    slug: str
    name: str
    chance: str  # of signing by the deadline
    expected: dt.date | None  # median signing date of the runs in which it signs


@dataclass(frozen=True)
class ForecastSection:
    """The forecast on ``as_of`` as a page shows it; ``figure`` is None when there is none."""

    as_of: dt.date
    figure: charts.Figure | None = None
    message: str = ""  # why there is no forecast (when ``figure`` is None)
    summary: str = ""
    deadline: dt.date | None = None  # of the headline target
    chances: list[TargetChance] = field(default_factory=list)
    trajectories: list[TrajectoryChance] = field(default_factory=list)
    known_at: dt.date | None = None
    runs: str = ""  # '10.000' / '10,000'
    seed: int = FORECAST_SEED


def _headline(as_of: dt.date, known_at: dt.datetime | None) -> tuple[Any, Any, dict[str, Any]]:
    """The forecast, its headline target forecast and the target versions by key; raises
    ``ImvoError`` or ``ValueError`` when there is no forecast on ``as_of``."""
    result = programme_forecast(
        as_of=as_of, known_at=known_at, runs=FORECAST_RUNS, seed=FORECAST_SEED
    )
    versions = {v.key: v for v in agreement_curves(as_of=as_of, known_at=known_at).versions}
    return result, forecast_report.main_forecast(result), versions


def _fan(tf: Any, origin: dt.date, versions: dict[str, Any], lang: str) -> charts.Figure:
    version = versions.get(tf.target.key)
    title = str(version.convention.title) if version is not None else tf.convention
    return forecast_chart.fan_figure(tf, origin=origin, convention_title=title, lang=lang)


def forecast_section(*, as_of: dt.date, known_at: dt.datetime | None) -> ForecastSection:
    """The forecast on ``as_of`` as known at ``known_at``, or an empty section when there is
    none (no target in force, no trajectory known, an origin before the first inventory)."""
    lang = active_language()
    try:
        result, main, versions = _headline(as_of, known_at)
    except (ImvoError, ValueError):
        return ForecastSection(as_of=as_of, message=no_forecast_message(as_of))
    chances = []
    for tf in result.targets:
        if tf.convention != tf.target.convention:
            continue
        version = versions.get(tf.target.key)
        chances.append(
            TargetChance(
                key=tf.target.key,
                value=tf.target.value,
                deadline=tf.target.deadline,
                decided=version.decided_partial if version is not None else None,
                convention=str(version.convention.title) if version is not None else tf.convention,
                chance=forecast_report.percent(tf.p_target_met, lang),
            )
        )
    names = {t.slug: t.name for t in trajectory_list(as_of=as_of, known_at=known_at)}
    likeliest = sorted(
        (t for t in main.trajectories if t.p_signed_by_deadline > 0),
        key=lambda t: (-t.p_signed_by_deadline, t.key),
    )[:FORECAST_TRAJECTORIES]
    trajectories = [
        TrajectoryChance(
            slug=t.key,
            name=str(names.get(t.key, t.key)),
            chance=forecast_report.percent(t.p_signed_by_deadline, lang),
            expected=t.expected_signing,
        )
        for t in likeliest
    ]
    return ForecastSection(
        as_of=as_of,
        figure=_fan(main, result.origin, versions, lang),
        summary=forecast_report.summary(main, lang),
        deadline=main.target.deadline,
        chances=chances,
        trajectories=trajectories,
        known_at=result.known_at,
        runs=f"{result.runs:,}".replace(",", "." if lang == "nl" else ","),
        seed=result.seed,
    )


def fan_figure(*, as_of: dt.date, known_at: dt.datetime | None) -> charts.Figure:
    """The fan chart of the headline target on ``as_of``; raises ``ImvoError`` or
    ``ValueError`` when there is no forecast then."""
    result, main, versions = _headline(as_of, known_at)
    return _fan(main, result.origin, versions, active_language())


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


@require_safe
def forecast_svg(request: HttpRequest) -> HttpResponse:
    """The fan chart; 404 with the reason in a sentence when there is no forecast on the date."""
    try:
        return _image(request, fan_figure)
    except (ImvoError, ValueError):
        as_of, _known_at, _errors = reference_moments(request)
        return HttpResponse(
            no_forecast_message(as_of) + "\n",
            status=404,
            content_type="text/plain; charset=utf-8",
        )


def no_forecast_message(as_of: dt.date) -> str:
    """Why there is no forecast on ``as_of``, in one sentence in the active language."""
    return _(
        "There is no forecast for %(date)s: a forecast needs a target in force on that date "
        "(its deadline not yet passed) and the trajectories of the programme, listed from "
        "10 July 2015 on."
    ) % {"date": charts.format_date(as_of, active_language())}
