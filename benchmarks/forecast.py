"""Benchmark of the forecast engine on a SYNTHETIC programme (no Django, no database).

    .venv/bin/python benchmarks/forecast.py

Builds, in plain Python, a realistic-looking input of 30 trajectories open at the origin (in
every open phase, with earlier spells and left-truncated ones) and 8 closed ones (signed,
counted under one or two conventions), and times, on one core (``OMP_NUM_THREADS=1`` and
``OPENBLAS_NUM_THREADS=1`` are set before NumPy is imported):

- ``forecast(..., runs=100_000)`` for two targets under two conventions, best of 3;
- a backtest of 16 origin-horizon pairs (origins at the dates of the real letters, horizons at
  the ends of 2016-2019) at 10,000 runs each, best of 3, over synthetic cases cut from the same
  made-up history.

The real backtest over the database is timed separately, through the command line. The last
two lines are ``forecast_100k_runs_seconds=<float>`` and ``forecast_backtest_seconds=<float>``.
"""

from __future__ import annotations

import os

os.environ["OMP_NUM_THREADS"] = "1"
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"

import random
import time
from collections.abc import Callable
from datetime import date, timedelta

from imvo.analysis.forecast import (
    OPEN_PHASES,
    Agreement,
    BacktestCase,
    ForecastInput,
    PhaseSpell,
    TargetSpec,
    TrajectoryFacts,
    backtest,
    forecast,
)

TRAJECTORIES = 30  # of the synthetic history behind the backtest
OPEN_TRAJECTORIES = 30  # open at the origin of the timed forecast
CONVENTIONS = ("programme", "ser")
FIRST_LETTER = date(2015, 7, 10)
ORIGINS = (
    date(2015, 7, 10),
    date(2016, 6, 17),
    date(2016, 11, 7),
    date(2017, 9, 28),
    date(2019, 6, 11),
)
REPEATS = 3


def synthetic_history(seed: int = 2015) -> list[tuple[str, list[tuple[date, str, bool]]]]:
    """Per trajectory: its phase changes (date, phase, observed-only) over 2015-2020."""
    rng = random.Random(seed)
    mean_years = {"no_initiative": 3.0, "exploration": 4.0, "dialogue": 2.0, "negotiation": 1.0}
    history = []
    for number in range(TRAJECTORIES):
        late = number >= 24  # the last six join after the first letter
        start = FIRST_LETTER + timedelta(days=rng.randint(30, 1400)) if late else FIRST_LETTER
        phase = rng.choice(OPEN_PHASES[1:3] if late else OPEN_PHASES)
        changes = [(start, phase, not late)]
        day = start
        while phase in OPEN_PHASES and day < date(2021, 1, 1):
            day += timedelta(days=int(rng.expovariate(1 / mean_years[phase]) * 365.25) + 1)
            later = list(OPEN_PHASES[OPEN_PHASES.index(phase) + 1 :])
            phase = rng.choices([*later, "signed", "stopped"], [2] * len(later) + [3, 1])[0]
            changes.append((day, phase, False))
        history.append((f"trajectory-{number:02d}", changes))
    return history


def input_at(history, origin: date) -> ForecastInput:
    """The input as of ``origin``: every fact cut at the origin (known at the origin)."""
    trajectories, agreements, arrivals = [], [], []
    for key, changes in history:
        seen = [c for c in changes if c[0] <= origin]
        if not seen:
            continue
        spells, state, signed = [], seen[-1][1], None
        for i, (day, phase, observed) in enumerate(seen):
            if phase not in OPEN_PHASES:
                signed = day if phase == "signed" else None
                break
            nxt = seen[i + 1] if i + 1 < len(seen) else None
            spells.append(
                PhaseSpell(phase, day, observed, nxt[0] if nxt else None, nxt[1] if nxt else None)
            )
        counted = frozenset(CONVENTIONS if int(key[-2:]) % 7 else ("programme",))
        trajectories.append(TrajectoryFacts(key, tuple(spells), state, signed, counted))
        arrivals.append(seen[0][0])
        if signed is not None:
            agreements.append(Agreement(f"{key}-agreement", signed, counted))
    return ForecastInput(
        origin=origin,
        known_at=origin,
        trajectories=tuple(trajectories),
        agreements=tuple(agreements),
        arrivals=tuple(arrivals),
        arrivals_since=date(2014, 11, 24),
        conventions=CONVENTIONS,
        cohort_until=FIRST_LETTER,
    )


def open_input(origin: date, seed: int = 2017) -> ForecastInput:
    """30 trajectories open at ``origin`` (the costly case) and 8 closed ones, with history."""
    rng = random.Random(seed)
    trajectories, agreements = [], []
    for number in range(OPEN_TRAJECTORIES + 8):
        closed = number >= OPEN_TRAJECTORIES
        first = rng.randrange(len(OPEN_PHASES) - 1)
        phases = list(OPEN_PHASES[first : first + rng.randint(1, 3)])
        joined = number % 6 == 5  # one in six joined after the first letter's inventory
        day = FIRST_LETTER + timedelta(days=rng.randint(30, 400) if joined else 0)
        spells = []
        for i, phase in enumerate(phases):
            last = i == len(phases) - 1
            end = None if last and not closed else day + timedelta(days=rng.randint(60, 300))
            exit_ = None if end is None else "signed" if last else phases[i + 1]
            spells.append(PhaseSpell(phase, day, i == 0 and not joined, end, exit_))
            day = end or day
        key = f"trajectory-{number:02d}"
        counted = frozenset(CONVENTIONS if number % 7 else ("programme",))
        state = spells[-1].exit or spells[-1].phase
        signed = spells[-1].end if state == "signed" else None
        trajectories.append(TrajectoryFacts(key, tuple(spells), state, signed, counted))
        if signed is not None:
            agreements.append(Agreement(f"{key}-agreement", signed, counted))
    return ForecastInput(
        origin=origin,
        known_at=origin,
        trajectories=tuple(trajectories),
        agreements=tuple(agreements),
        arrivals=tuple(t.spells[0].start for t in trajectories),
        arrivals_since=date(2014, 11, 24),
        conventions=CONVENTIONS,
        cohort_until=FIRST_LETTER,
    )


def count(history, convention: str, day: date) -> int:
    return sum(
        1
        for key, changes in history
        for when, phase, _ in changes
        if phase == "signed" and when <= day
        if convention == "programme" or int(key[-2:]) % 7
    )


def backtest_cases(history) -> list[BacktestCase]:
    cases = []
    target = TargetSpec("target-synthetic", 10, date(2016, 12, 31), "programme")
    for origin in ORIGINS:
        horizons = tuple(date(y, 12, 31) for y in range(2016, 2020) if date(y, 12, 31) > origin)
        actual = {
            (c, h): count(history, c, h) for c in CONVENTIONS for h in (*horizons, target.deadline)
        }
        cases.append(BacktestCase(origin, input_at(history, origin), target, horizons, actual))
    return cases


def best_of(task: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    history = synthetic_history()
    data = open_input(date(2018, 1, 1))
    open_now = sum(1 for t in data.trajectories if t.state in OPEN_PHASES)
    targets = (
        TargetSpec("target-a", 15, date(2019, 12, 31), "programme"),
        TargetSpec("target-b", 25, date(2021, 12, 31), "programme"),
    )
    result = forecast(data, targets, runs=100_000, seed=0)
    head = result.targets[0]
    print(
        f"input: {len(data.trajectories)} trajectories ({open_now} open), "
        f"{len(data.agreements)} agreements, origin {data.origin}"
    )
    print(
        f"{head.target.key}: P(met)={head.p_target_met:.3f}, "
        f"count at deadline p10-p90 {head.count_at_deadline.p10}-{head.count_at_deadline.p90}"
    )
    seconds = best_of(lambda: forecast(data, targets, runs=100_000, seed=0))
    cases = backtest_cases(history)
    pairs = sum(len(c.horizons) for c in cases)
    scored = backtest(cases, conventions=CONVENTIONS, runs=10_000, seed=0)
    print(
        f"backtest: {pairs} origin-horizon pairs x {len(CONVENTIONS)} conventions, "
        f"coverage_80={scored.coverage_80['programme']:.2f}, "
        f"mean RPS model={scored.mean_rps['programme']['model']:.2f}"
    )
    backtest_seconds = best_of(lambda: backtest(cases, conventions=CONVENTIONS, runs=10_000))
    print(f"forecast_100k_runs_seconds={seconds:.3f}")
    print(f"forecast_backtest_seconds={backtest_seconds:.3f}")


if __name__ == "__main__":
    main()
