"""The Monte Carlo core: every run draws the hazards, then moves every trajectory to the end.

One run is one possible future. It draws the hazards ``λ[p, d]`` and the arrival rate from the
posterior (parameter uncertainty is shared by all trajectories of the run, which is what
makes their outcomes move together), then lets each open trajectory leave its current phase
after an exponential time with the phase's total hazard — its time already spent there does
not matter, a constant hazard has no memory — to an exit drawn in proportion to the
cause-specific hazards, and so on until it signs, stops, or passes the end of the span. New
trajectories arrive uniformly in the span, as many as a Poisson draw gives, in a first phase
drawn from the run's entry shares.

Everything is vectorised: all runs and all trajectories sit in flat arrays, and the loop is
over the four open phases only (phases only go forward, so one pass per phase suffices). The
result keeps each run's signing times: a (runs x trajectories) matrix and an inf-padded
(runs x arrivals) one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from imvo.analysis.forecast.data import OPEN_PHASES, STATES, YEAR, ForecastInput
from imvo.analysis.forecast.model import ENTRY_STATES, Posterior

SIGNED = STATES.index("signed")
_BEYOND = len(STATES)  # left its phase after the end of the span (or never): not followed


def years_from(origin: date, day: date) -> float:
    return (day - origin).days / YEAR


def date_at(origin: date, years: float) -> date:
    return origin + timedelta(days=round(years * YEAR))


@dataclass(frozen=True)
class Simulation:
    """The signing times of all runs within the span, in years after the origin (inf: none)."""

    origin: date
    span_years: float
    runs: int
    keys: tuple[str, ...]  # the open trajectories, in column order
    counted_by: tuple[frozenset[str], ...]  # per open trajectory
    trajectory_sign: np.ndarray  # (runs, trajectories)
    arrival_sign: np.ndarray  # (runs, most arrivals signing in a run), inf-padded
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def columns(self, convention: str) -> np.ndarray:
        """The open trajectories whose signing counts under ``convention``."""
        return np.array([convention in c for c in self.counted_by], dtype=bool)

    def _counted(self, convention: str) -> np.ndarray:
        """(runs, k) signing times that count (arrivals count under every convention)."""
        key = ("counted", convention)
        if key not in self._cache:
            self._cache[key] = np.concatenate(
                [self.trajectory_sign[:, self.columns(convention)], self.arrival_sign], axis=1
            )
        return self._cache[key]

    def _signings(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every signing within the span as flat (run, column, time); column -1: an arrival."""
        if "signings" not in self._cache:
            run_t, col_t = np.nonzero(np.isfinite(self.trajectory_sign))
            run_a, col_a = np.nonzero(np.isfinite(self.arrival_sign))
            self._cache["signings"] = (
                np.concatenate([run_t, run_a]),
                np.concatenate([col_t, np.full(len(run_a), -1)]),
                np.concatenate(
                    [self.trajectory_sign[run_t, col_t], self.arrival_sign[run_a, col_a]]
                ),
            )
        return self._cache["signings"]

    def signing(self, column: int) -> tuple[float, float]:
        """(share of runs in which open trajectory ``column`` signs within the span, the median
        of its signing time in those runs; nan if it never signs)."""
        key = ("signing", column)
        if key not in self._cache:
            times = self.trajectory_sign[:, column]
            finite = times[np.isfinite(times)]
            median = float(np.median(finite)) if len(finite) else float("nan")
            self._cache[key] = (len(finite) / self.runs, median)
        return self._cache[key]

    def counts_at(self, convention: str, years: Sequence[float], base: int) -> np.ndarray:
        """(runs, len(years)) counts: ``base`` plus the counted signings up to each time."""
        points = np.asarray(years, dtype=float)
        n = len(points)
        if n == 0:
            return np.zeros((self.runs, 0), dtype=np.int64)
        run, col, time = self._signings()
        order = np.argsort(points, kind="stable")
        key = ("bins", tuple(points[order]))
        if key not in self._cache:
            self._cache[key] = run * (n + 1) + np.searchsorted(points[order], time, side="left")
        keep = np.append(self.columns(convention), True)[col]  # column -1: arrivals count
        flat = self._cache[key][keep]
        hist = np.bincount(flat, minlength=self.runs * (n + 1)).reshape(self.runs, n + 1)
        counts = np.cumsum(hist[:, :n], axis=1) + base
        out = np.empty_like(counts)
        out[:, order] = counts
        return out

    def reach_times(self, convention: str, need: int) -> np.ndarray:
        """Per run, the time of the ``need``-th counted signing (inf if not within the span)."""
        if need <= 0:
            return np.zeros(self.runs)
        times = self._counted(convention)
        if times.shape[1] < need:
            return np.full(self.runs, np.inf)
        return np.partition(times, need - 1, axis=1)[:, need - 1]


def _draw_hazards(
    posterior: Posterior, runs: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Total exit hazard (phases x runs) and cumulative hazards (phases x STATES x runs)."""
    shape, rate = posterior.arrays()
    scale = 1.0 / np.maximum(rate, 1e-12)
    lam = np.zeros((*shape.shape, runs))
    for p, d in zip(*np.nonzero(shape), strict=True):  # only the exits that exist
        lam[p, d] = rng.gamma(shape[p, d], scale[p], size=runs)
    return lam.sum(axis=1), np.cumsum(lam, axis=1)


def _arrivals(
    posterior: Posterior, runs: int, span: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(run, time, first state) of every arriving trajectory of every run."""
    post = posterior.arrivals
    if post.shape <= 0 or span <= 0:
        empty = np.zeros(0)
        return empty.astype(np.int64), empty, empty.astype(np.int8)
    rate = rng.gamma(post.shape, 1.0 / max(post.rate, 1e-12), size=runs)
    number = rng.poisson(rate * span)
    run = np.repeat(np.arange(runs), number)
    time = rng.uniform(0.0, span, size=len(run))
    weights = np.asarray(post.entry, dtype=float)
    used = np.flatnonzero(weights > 0)  # entry states with weight; the others cannot occur
    codes = np.array([STATES.index(ENTRY_STATES[i]) for i in used], dtype=np.int8)
    if len(used) == 1:
        return run, time, np.full(len(run), codes[0], dtype=np.int8)
    shares = np.cumsum(rng.gamma(weights[used][None, :], 1.0, size=(runs, len(used))), axis=1)
    pick = rng.random(len(run)) * shares[run, -1]
    entry = (shares[run] < pick[:, None]).sum(axis=1)
    states = codes[np.minimum(entry, len(used) - 1)]
    return run, time, states


def _advance(
    state: np.ndarray,
    clock: np.ndarray,
    run_of: np.ndarray | int,
    hazards: tuple[np.ndarray, np.ndarray],
    span: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Move every entity to its end; return its signing time (inf: none within the span).

    ``run_of`` gives each entity's run: an array, or ``n`` when entity ``i`` is run ``i // n``.
    """
    total, cum = hazards
    sign = np.full(len(state), np.inf)
    sign[state == SIGNED] = clock[state == SIGNED]
    for phase in range(len(OPEN_PHASES)):
        idx = np.flatnonzero(state == phase)
        if len(idx) == 0:
            continue
        who = idx // run_of if isinstance(run_of, int) else run_of[idx]
        rate = total[phase][who]
        with np.errstate(divide="ignore"):
            leave = clock[idx] + rng.standard_exponential(len(idx)) / rate
        inside = leave <= span
        state[idx[~inside]] = _BEYOND
        idx, who, leave, rate = idx[inside], who[inside], leave[inside], rate[inside]
        pick = rng.random(len(idx)) * rate
        dest = np.full(len(idx), phase + 1, dtype=np.int8)
        for d in range(phase + 1, len(STATES) - 1):
            dest += cum[phase, d][who] < pick
        state[idx] = dest
        clock[idx] = leave
        signs = dest == SIGNED
        sign[idx[signs]] = leave[signs]
    return sign


def simulate(
    data: ForecastInput, posterior: Posterior, *, end: date, runs: int, seed: int
) -> Simulation:
    """Run the Monte Carlo from ``data.origin`` to ``end`` (both as dates)."""
    rng = np.random.default_rng(seed)
    span = max(0.0, years_from(data.origin, end))
    open_now = [t for t in data.trajectories if t.state in OPEN_PHASES]
    n = len(open_now)
    hazards = _draw_hazards(posterior, runs, rng)
    arr_run, arr_time, arr_state = _arrivals(posterior, runs, span, rng)
    start = np.array([STATES.index(t.state) for t in open_now], dtype=np.int8)
    sign = _advance(np.tile(start, runs), np.zeros(runs * n), max(n, 1), hazards, span, rng)
    arrivals = _advance(arr_state, arr_time.copy(), arr_run, hazards, span, rng)
    signed = np.flatnonzero(np.isfinite(arrivals))
    per_run = np.bincount(arr_run[signed], minlength=runs)
    dense = np.full((runs, int(per_run.max(initial=0))), np.inf)
    rank = np.arange(len(signed)) - (np.cumsum(per_run) - per_run)[arr_run[signed]]
    dense[arr_run[signed], rank] = arrivals[signed]
    return Simulation(
        origin=data.origin,
        span_years=span,
        runs=runs,
        keys=tuple(t.key for t in open_now),
        counted_by=tuple(t.counted_by for t in open_now),
        trajectory_sign=sign.reshape(runs, n),
        arrival_sign=dense,
    )
