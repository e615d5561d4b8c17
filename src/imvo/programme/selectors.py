"""What changed in the programme between two dates, as known at a moment.

The core of every progress report: phase changes, agreements signed and ended, events held and
newly planned, organisations joining and leaving, target revisions; each with its date and the
source that reports it. Valid time decides what happened in the period; knowledge time
(``known_at``) decides what is known of it. "Newly planned" is the one change told by knowledge
time: a planned event that became known in the period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.agreements.models import Agreement, Convention, TargetVersion
from imvo.analysis.forecast import (
    OPEN_PHASES,
    BacktestCase,
    ForecastInput,
    PhaseSpell,
    TargetSpec,
    TrajectoryFacts,
    backtest,
    forecast,
)
from imvo.analysis.forecast import Agreement as SignedAgreement
from imvo.analysis.forecast.data import LETTER_DATE
from imvo.core.errors import ImvoError
from imvo.core.moments import end_of_day, start_of_day
from imvo.sources.models import Source
from imvo.trajectories.models import Event, Participation, PhaseRecord
from imvo.trajectories.phases import Phase
from imvo.trajectories.selectors import phase_facts, trajectory_list

KINDS = (
    "phase",
    "agreement_signed",
    "agreement_ended",
    "event_held",
    "event_planned",
    "organisation_joined",
    "organisation_left",
    "target_revised",
)


@dataclass(frozen=True)
class Change:
    date: dt.date
    kind: str  # one of KINDS
    title: str  # what changed, in the active language
    trajectories: tuple[str, ...]  # slugs
    source: Source
    locator: str
    certainty: str = "confirmed"

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


KIND_LABELS = {
    "phase": gettext_lazy("phase change"),
    "agreement_signed": gettext_lazy("agreement signed"),
    "agreement_ended": gettext_lazy("agreement ended"),
    "event_held": gettext_lazy("event held"),
    "event_planned": gettext_lazy("event newly planned"),
    "organisation_joined": gettext_lazy("organisation joined"),
    "organisation_left": gettext_lazy("organisation left"),
    "target_revised": gettext_lazy("target revised"),
}


@dataclass(frozen=True)
class Changes:
    since: dt.date
    until: dt.date
    known_at: dt.datetime | None
    changes: list[Change]


def programme_changes(
    *, since: dt.date, until: dt.date, known_at: dt.datetime | None = None
) -> Changes:
    """Every change dated from ``since`` to ``until`` (both included), as known at ``known_at``
    (default: now), in date order."""
    if since > until:
        raise ImvoError(
            _("the first day (%(since)s) is after the last day (%(until)s)")
            % {"since": since.isoformat(), "until": until.isoformat()},
            field="since",
        )
    moment = known_at or timezone.now()
    period = {"__gte": since, "__lte": until}

    def within(field: str) -> dict[str, dt.date]:
        return {f"{field}{op}": day for op, day in period.items()}

    found: list[Change] = []
    phases = (
        PhaseRecord.objects.known_at(moment)
        .filter(**within("valid_from"), date_basis=PhaseRecord.DateBasis.START)
        .select_related("trajectory", "source")
    )
    for r in phases:
        title = _("%(trajectory)s: %(phase)s") % {
            "trajectory": r.trajectory.name,
            "phase": Phase(r.phase).label,
        }
        found.append(
            Change(r.valid_from, "phase", title, (r.trajectory.slug,), r.source,
                   r.source_locator, r.certainty)
        )  # fmt: skip
    agreements = Agreement.objects.known_at(moment).select_related("trajectory", "source")
    for a in agreements.filter(**within("signed")):
        found.append(_agreement(a, "agreement_signed", a.signed))
    for a in agreements.filter(**within("ended")):
        found.append(_agreement(a, "agreement_ended", a.ended))
    events = (
        Event.objects.known_at(moment).select_related("source").prefetch_related("trajectories")
    )
    for e in events.filter(status=Event.Status.HELD, **within("date")):
        found.append(_event(e, "event_held", e.date))
    newly = events.filter(
        status=Event.Status.PLANNED,
        recorded_at__gte=start_of_day(since),
        recorded_at__lte=end_of_day(until),
    )
    for e in newly:
        found.append(_event(e, "event_planned", timezone.localdate(e.recorded_at)))
    participations = Participation.objects.known_at(moment).select_related(
        "trajectory", "organisation", "source"
    )
    for p in participations.filter(**within("valid_from")):
        found.append(_participation(p, "organisation_joined", p.valid_from))
    for p in participations.filter(**within("valid_until")):
        found.append(_participation(p, "organisation_left", p.valid_until))
    versions = TargetVersion.objects.known_at(moment).select_related("target", "source")
    for v in versions.filter(**within("decided")):
        title = _("%(target)s: %(value)d by %(deadline)s") % {
            "target": v.target.title,
            "value": v.value,
            "deadline": v.deadline.isoformat(),
        }
        found.append(
            Change(v.decided, "target_revised", title, (), v.source, v.source_locator, v.certainty)
        )
    found.sort(key=lambda c: (c.date, KINDS.index(c.kind), c.title))
    return Changes(since, until, known_at, found)


def _first_told(record: Any, field: str) -> Any:
    """The earliest record of a correction chain that already held ``field``'s current value:
    its source is the one that first reported it (a later correction may cite another)."""
    value = getattr(record, field)
    while record.supersedes_id and getattr(record.supersedes, field) == value:
        record = record.supersedes
    return record


def _agreement(a: Agreement, kind: str, day: dt.date) -> Change:
    slugs = (a.trajectory.slug,) if a.trajectory else ()
    told = _first_told(a, "signed" if kind == "agreement_signed" else "ended")
    return Change(day, kind, a.title, slugs, told.source, told.source_locator, told.certainty)


def _event(e: Event, kind: str, day: dt.date) -> Change:
    slugs = tuple(t.slug for t in e.trajectories.all())
    told = _first_told(e, "status")
    return Change(day, kind, e.title, slugs, told.source, told.source_locator, told.certainty)


def _participation(p: Participation, kind: str, day: dt.date) -> Change:
    title = _("%(organisation)s in %(trajectory)s (%(role)s)") % {
        "organisation": p.organisation.name,
        "trajectory": p.trajectory.name,
        "role": p.get_role_display(),
    }
    return Change(day, kind, title, (p.trajectory.slug,), p.source, p.source_locator, p.certainty)


# -- The forecast's input: the bitemporal facts as of D, known at T -------------------------

#: The seed letter (Kamerstuk 26 485, nr. 212, 10 July 2015) lists every sector trajectory of
#: the programme at its date; a trajectory first recorded after it is a new arrival.
PROGRAMME_INVENTORY = dt.date(2015, 7, 10)

#: How far past the last deadline the forecast is simulated (for the date the target is reached).
REACH_YEARS = 5

#: The real letters to parliament that are the backtest's forecast origins (programme history).
BACKTEST_ORIGINS = (
    dt.date(2015, 7, 10),
    dt.date(2016, 6, 17),
    dt.date(2016, 11, 7),
    dt.date(2017, 9, 28),
    dt.date(2019, 6, 11),
)
#: Horizons: the end of each year 2016-2019 after the origin.
BACKTEST_YEARS = (2016, 2017, 2018, 2019)
#: The two counting conventions the backtest scores: the programme's own count of IMVO
#: covenants, and every signed agreement (the 2014 coal agreement included).
BACKTEST_CONVENTIONS = ("programme", "all_signed")


def _spells(facts: list[Any]) -> tuple[tuple[PhaseSpell, ...], str, dt.date | None]:
    """A trajectory's phase spells from its known facts (sorted by start, none after the
    origin), its state on the origin and its signing date."""
    runs: list[tuple[str, dt.date, bool]] = []  # (phase, start, left_truncated)
    for fact in facts:
        phase = "signed" if fact.phase == "ended" else fact.phase
        if runs and runs[-1][0] == phase:
            continue  # the same phase observed again
        if runs and runs[-1][1] == fact.valid_from.start:
            runs.pop()  # a later record with the same start takes over
        runs.append((phase, fact.valid_from.start, fact.basis == "observed"))
    spells = []
    for index, (phase, start, truncated) in enumerate(runs):
        if phase not in OPEN_PHASES:
            break
        following = runs[index + 1] if index + 1 < len(runs) else None
        spells.append(
            PhaseSpell(
                phase=phase,
                start=start,
                left_truncated=truncated,
                end=following[1] if following else None,
                exit=following[0] if following else None,
            )
        )
    state = runs[-1][0] if runs else "no_initiative"
    signed = next((start for phase, start, _t in runs if phase == "signed"), None)
    return tuple(spells), state, signed


def forecast_input(*, as_of: dt.date, known_at: dt.datetime | None = None) -> tuple[Any, list[Any]]:
    """What the forecast engine needs on ``as_of`` by what was recorded at ``known_at``
    (default: now): each trajectory's phase spells cut at ``as_of``, the agreements signed by
    then, the arrivals of new trajectories, and the target versions in force (deadline on or
    after ``as_of``). Nothing recorded after ``known_at`` or valid after ``as_of`` is used."""
    moment = known_at or timezone.now()
    conventions = list(Convention.objects.order_by("key").values_list("key", flat=True))
    conventions.sort(key=lambda key: (key != "programme", key))
    agreements = list(
        Agreement.objects.known_at(moment)
        .filter(signed__lte=as_of)
        .select_related("trajectory")
        .prefetch_related("counted_by")
        .order_by("signed", "key")
    )
    counted = {a.key: frozenset(c.key for c in a.counted_by.all()) for a in agreements}
    by_trajectory = {a.trajectory.slug: counted[a.key] for a in agreements if a.trajectory}
    facts = phase_facts(known_at=moment, until=as_of)
    trajectories, arrivals = [], []
    for trajectory in trajectory_list(as_of=as_of, known_at=moment):
        own = facts.get(trajectory.slug, [])
        if not own and trajectory.joined is None:
            continue  # nothing known of it by then
        spells, state, signed = _spells(own)
        first = own[0].valid_from.start if own else trajectory.joined
        if not own:
            spells = (PhaseSpell("no_initiative", first, True, None, None),)
        if first is not None and first > PROGRAMME_INVENTORY:
            arrivals.append(first)
        trajectories.append(
            TrajectoryFacts(
                key=trajectory.slug,
                spells=spells,
                state=state,
                signed=signed,
                counted_by=by_trajectory.get(trajectory.slug, frozenset(conventions)),
            )
        )
    data = ForecastInput(
        origin=as_of,
        known_at=timezone.localdate(moment),
        trajectories=tuple(trajectories),
        agreements=tuple(SignedAgreement(a.key, a.signed, counted[a.key]) for a in agreements),
        arrivals=tuple(sorted(arrivals)),
        arrivals_since=min(PROGRAMME_INVENTORY, as_of),
        conventions=tuple(conventions),
    )
    versions = (
        TargetVersion.objects.known_at(moment)
        .filter(decided__lte=as_of, deadline__gte=as_of)
        .select_related("convention")
        .order_by("decided", "deadline", "key")
    )
    specs = [TargetSpec(v.key, v.value, v.deadline, v.convention.key) for v in versions]
    # a revision that restates an earlier one (same value, deadline and counting) replaces it
    targets = [
        spec
        for i, spec in enumerate(specs)
        if not any(
            (later.value, later.deadline, later.convention)
            == (spec.value, spec.deadline, spec.convention)
            for later in specs[i + 1 :]
        )
    ]
    return data, targets


def forecast_backtest_cases() -> list[Any]:
    """The backtest: at each real letter (:data:`BACKTEST_ORIGINS`), the forecast input as
    known at the end of that day and the target version then in force; the real counts at the
    end of each later year (:data:`BACKTEST_YEARS`) under each of :data:`BACKTEST_CONVENTIONS`,
    by what is known now."""
    now = timezone.now()
    agreements = list(Agreement.objects.known_at(now).prefetch_related("counted_by"))
    cases = []
    for origin in BACKTEST_ORIGINS:
        data, targets = forecast_input(as_of=origin, known_at=end_of_day(origin))
        horizons = tuple(dt.date(year, 12, 31) for year in BACKTEST_YEARS if year >= origin.year)
        actual = {
            (convention, horizon): sum(
                1
                for a in agreements
                if a.signed <= horizon and convention in {c.key for c in a.counted_by.all()}
            )
            for convention in BACKTEST_CONVENTIONS
            for horizon in horizons
        }
        target = targets[-1] if targets else None  # the latest decided version in force
        cases.append(BacktestCase(origin, data, target, horizons, actual))
    return cases


def programme_forecast(
    *,
    as_of: dt.date,
    known_at: dt.datetime | None = None,
    target: str | None = None,
    runs: int = 10_000,
    seed: int = 0,
) -> Any:
    """The forecast of the targets in force on ``as_of`` by what was recorded at ``known_at``
    (:func:`imvo.analysis.forecast.forecast`); ``target`` keeps only that target version.

    Refused with a message (``ImvoError``): an origin or a moment before the first documented
    prior (10 July 2015), no trajectory known by then, no target in force, an unknown target
    version."""
    if as_of < LETTER_DATE:
        raise ImvoError(
            _(
                "--as-of %(date)s: the forecast starts on %(first)s, the date of the first "
                "letter to parliament; no documented prior was knowable before it"
            )
            % {"date": as_of.isoformat(), "first": LETTER_DATE.isoformat()},
            field="as_of",
        )
    if known_at is not None and timezone.localdate(known_at) < LETTER_DATE:
        raise ImvoError(
            _(
                "--known-at %(date)s: the forecast needs what was known on %(first)s or "
                "later; no documented prior was knowable before it"
            )
            % {"date": timezone.localdate(known_at).isoformat(), "first": LETTER_DATE.isoformat()},
            field="known_at",
        )
    data, targets = forecast_input(as_of=as_of, known_at=known_at)
    if not data.trajectories:
        raise ImvoError(
            _("No trajectory was known on %(date)s: there is nothing to forecast.")
            % {"date": as_of.isoformat()},
            field="as_of",
        )
    if target is not None:
        known = [t.key for t in targets]
        targets = [t for t in targets if t.key == target]
        if not targets:
            raise ImvoError(
                _(
                    "--target: no target version '%(key)s' in force on %(date)s "
                    "(in force: %(known)s)"
                )
                % {
                    "key": target,
                    "date": as_of.isoformat(),
                    "known": ", ".join(known) or _("none"),
                },
                field="target",
            )
    if not targets:
        raise ImvoError(
            _("No target was in force on %(date)s (every known deadline had passed).")
            % {"date": as_of.isoformat()},
            field="as_of",
        )
    # simulated beyond the last deadline, so that a target missed in time still gets the date
    # by which it is reached
    until = max(t.deadline for t in targets) + dt.timedelta(days=round(REACH_YEARS * 365.25))
    return forecast(data, targets, runs=runs, seed=seed, until=until)


def programme_backtest(*, runs: int = 10_000, seed: int = 0) -> Any:
    """The backtest over :func:`forecast_backtest_cases`
    (:func:`imvo.analysis.forecast.backtest`)."""
    return backtest(
        forecast_backtest_cases(), conventions=BACKTEST_CONVENTIONS, runs=runs, seed=seed
    )
