"""``forecast``: the count distribution of every target under every counting convention.

Typical use::

    from imvo.analysis.forecast import forecast
    result = forecast(data, [target], runs=10_000, seed=0)
    result.targets[0].p_target_met, result.targets[0].count_at_deadline.p50

Seeded and deterministic: the same input, runs and seed give the same result (NumPy's PCG64).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from imvo.analysis.forecast import baselines
from imvo.analysis.forecast.data import (
    YEAR,
    ForecastInput,
    Parameter,
    TargetSpec,
    resolve_parameters,
)
from imvo.analysis.forecast.model import Posterior, estimate
from imvo.analysis.forecast.montecarlo import Simulation, date_at, simulate, years_from
from imvo.analysis.forecast.result import (
    BandPoint,
    Forecast,
    Quantiles,
    ReachDate,
    TargetForecast,
    TrajectoryOutlook,
    distribution_of,
)
from imvo.analysis.forecast.validate import check_input, check_runs, check_targets

QUARTER_DAYS = YEAR / 4


def quarter_ends(after: date, upto: date) -> tuple[date, ...]:
    """The ends of the calendar quarters after ``after`` up to ``upto``, and ``upto`` itself."""
    out = []
    year, quarter = after.year, (after.month - 1) // 3
    while True:
        month = 3 * quarter + 3
        end = date(year, month, 31 if month in (3, 12) else 30)
        if end > upto:
            break
        if end > after:
            out.append(end)
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
    if upto > after and (not out or out[-1] != upto):
        out.append(upto)
    return tuple(out)


@dataclass(frozen=True)
class Prepared:
    """A checked input, its parameters, posterior and simulation: shared by every target."""

    data: ForecastInput
    parameters: tuple[Parameter, ...]
    posterior: Posterior
    simulation: Simulation
    end: date


def prepare(data: ForecastInput, *, end: date, runs: int, seed: int) -> Prepared:
    """Check the input, resolve the priors, estimate, and simulate up to ``end``."""
    check_runs(runs)
    check_input(data)
    parameters = resolve_parameters(data)
    posterior = estimate(data, parameters)
    end = max(end, data.origin)
    return Prepared(
        data, parameters, posterior, simulate(data, posterior, end=end, runs=runs, seed=seed), end
    )


def _percentile_date(origin: date, times: np.ndarray, level: float) -> date | None:
    ordered = np.sort(times)
    value = ordered[max(0, int(np.ceil(level * len(ordered))) - 1)]
    return date_at(origin, float(value)) if np.isfinite(value) else None


def _reach(prep: Prepared, target: TargetSpec, convention: str, achieved: int) -> ReachDate:
    data = prep.data
    if achieved >= target.value:
        days = sorted(a.signed for a in data.agreements if convention in a.counted_by)
        day = (
            days[target.value - 1]
            if target.value > 0 and len(days) >= target.value
            else data.origin
        )
        return ReachDate(day, day, day, 1.0)
    times = prep.simulation.reach_times(convention, target.value - achieved)
    return ReachDate(
        _percentile_date(data.origin, times, 0.10),
        _percentile_date(data.origin, times, 0.50),
        _percentile_date(data.origin, times, 0.90),
        float(np.isfinite(times).mean()),
    )


def _outlooks(
    prep: Prepared, convention: str, deadline_years: float, pivotal: np.ndarray
) -> tuple[TrajectoryOutlook, ...]:
    """Per counted open trajectory; ``pivotal``: the runs whose count at the deadline is
    exactly the target, so that each signing in them is needed to meet it."""
    sim = prep.simulation
    cols = [i for i, c in enumerate(sim.counted_by) if convention in c]
    if not cols:
        return ()
    runs = sim.runs
    by_deadline = sim.trajectory_sign[:, cols] <= deadline_years
    signs = np.count_nonzero(by_deadline, axis=0)
    decisive = np.count_nonzero(by_deadline[pivotal], axis=0) / runs
    out = []
    for j, col in enumerate(cols):
        in_span, median = sim.signing(col)
        expected = date_at(sim.origin, median) if in_span >= 0.5 else None
        out.append(
            TrajectoryOutlook(
                key=sim.keys[col],
                p_signed_by_deadline=float(signs[j] / runs),
                expected_signing=expected,
                p_signed_in_span=in_span,
                decisiveness=float(decisive[j]),
            )
        )
    out.sort(
        key=lambda o: (
            -o.decisiveness,
            -o.p_signed_by_deadline * (1 - o.p_signed_by_deadline),
            o.key,
        )
    )
    return tuple(out)


@dataclass(frozen=True)
class Grid:
    """Simulated counts of one convention at every date any target needs (computed once)."""

    dates: tuple[date, ...]
    counts: np.ndarray  # (runs, dates)

    @classmethod
    def of(cls, prep: Prepared, convention: str, deadlines: Sequence[date]) -> Grid:
        """Counts at every quarter end of the span and at each of ``deadlines`` in it."""
        origin = prep.data.origin
        days = set(quarter_ends(origin, prep.end)) | {d for d in deadlines if d > origin}
        dates = tuple(sorted(days))
        achieved = baselines.count_at(prep.data.agreements, convention, origin)
        years = [years_from(origin, d) for d in dates]
        return cls(dates, prep.simulation.counts_at(convention, years, achieved))

    def at(self, day: date) -> np.ndarray:
        return self.counts[:, self.dates.index(day)]


def _target_forecast(
    prep: Prepared, target: TargetSpec, convention: str, grid: Grid, until: date | None
) -> TargetForecast:
    data, sim = prep.data, prep.simulation
    values = {p.name: p.value for p in prep.parameters}
    achieved = baselines.count_at(data.agreements, convention, data.origin)
    band_end = max(target.deadline, until) if until else target.deadline
    bands = tuple(
        BandPoint(day, Quantiles.of(distribution_of(grid.at(day))))
        for day in quarter_ends(data.origin, band_end)
    )
    rate = baselines.recent_rate(
        data.agreements,
        convention,
        data.origin,
        window_days=values["baseline.rate_window_days"],
        floor=values["baseline.rate_floor_per_year"],
    )
    passed = target.deadline <= data.origin
    if passed:
        known = baselines.count_at(data.agreements, convention, target.deadline)
        distribution = baselines.point_distribution(known)
        met = np.full(sim.runs, known >= target.value)
        deadline_years = 0.0
        rate_q = Quantiles.point(known)
        required = 0.0 if known >= target.value else None
        outlooks: tuple[TrajectoryOutlook, ...] = ()
    else:
        deadline_years = years_from(data.origin, target.deadline)
        counts = grid.at(target.deadline)
        distribution = distribution_of(counts)
        met = counts >= target.value
        outlooks = _outlooks(prep, convention, deadline_years, counts == target.value)
        rate_q = Quantiles.of(baselines.rate_distribution(achieved, rate, deadline_years))
        quarters = (target.deadline - data.origin).days / QUARTER_DAYS
        required = max(0, target.value - achieved) / quarters
    return TargetForecast(
        target=target,
        convention=convention,
        achieved=achieved,
        p_target_met=float(met.mean()),
        count_at_deadline=Quantiles.of(distribution),
        distribution=tuple(float(p) for p in distribution),
        bands=bands,
        reach=_reach(prep, target, convention, achieved),
        trajectories=outlooks,
        required_per_quarter=required,
        baseline_target=Quantiles.point(target.value),
        baseline_rate=rate_q,
        baseline_rate_per_year=rate,
        deadline_passed=passed,
    )


def forecast(
    data: ForecastInput,
    targets: Sequence[TargetSpec],
    *,
    runs: int = 10_000,
    seed: int = 0,
    until: date | None = None,
) -> Forecast:
    """One :class:`TargetForecast` per target and convention (the target's own first).

    ``until`` extends the simulated span (bands, reach dates) beyond the last deadline.
    Raises ``ValueError`` for ``runs`` outside 1..10,000,000, an input with a date after the
    origin (naming the field), or a parameter knowable after ``known_at``.
    """
    check_runs(runs)
    check_targets(targets)
    end = max([t.deadline for t in targets] + ([until] if until else []))
    prep = prepare(data, end=end, runs=runs, seed=seed)
    deadlines = [t.deadline for t in targets] + ([until] if until else [])
    grids: dict[str, Grid] = {}
    items = []
    for target in targets:
        conventions = [target.convention] + [c for c in data.conventions if c != target.convention]
        for convention in conventions:
            if convention not in grids:
                grids[convention] = Grid.of(prep, convention, deadlines)
            items.append(_target_forecast(prep, target, convention, grids[convention], until))
    return Forecast(
        origin=data.origin,
        known_at=data.known_at,
        runs=runs,
        seed=seed,
        parameters=prep.parameters,
        targets=tuple(items),
        posterior=prep.posterior,
    )
