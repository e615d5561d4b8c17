"""Checks on a forecast's input: nothing dated after the origin, spells that fit together.

The engine refuses rather than cuts: a date after the origin means the selector let a later
fact through (knowledge from after T, or valid after D), and silently cutting it would hide
that. Every message names the field, so a channel can show it as one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from imvo.analysis.forecast.data import (
    CLOSED,
    OPEN_PHASES,
    STATES,
    ForecastInput,
    TargetSpec,
    TrajectoryFacts,
)

MAX_RUNS = 10_000_000


def check_runs(runs: int) -> None:
    """``runs`` must be an integer from 1 to 10,000,000."""
    if isinstance(runs, bool) or not isinstance(runs, int):
        raise ValueError(f"runs must be a whole number (got {runs!r})")
    if not 1 <= runs <= MAX_RUNS:
        raise ValueError(f"runs must be between 1 and {MAX_RUNS:,} (got {runs:,})")


def _not_after(value: date | None, origin: date, where: str) -> None:
    if value is not None and value > origin:
        raise ValueError(
            f"{where} {value.isoformat()} is after the origin {origin.isoformat()}: "
            "a fact from after the forecast date"
        )


def _check_trajectory(index: int, facts: TrajectoryFacts, origin: date) -> None:
    where = f"trajectories[{index}] ({facts.key})"
    if facts.state not in STATES:
        raise ValueError(f"{where}.state: unknown state {facts.state!r}")
    previous_end: date | None = None
    for number, spell in enumerate(facts.spells):
        at = f"{where}.spells[{number}]"
        if spell.phase not in OPEN_PHASES:
            raise ValueError(f"{at}.phase: {spell.phase!r} is not an open phase")
        _not_after(spell.start, origin, f"{at}.start")
        _not_after(spell.end, origin, f"{at}.end")
        if spell.end is not None and spell.end < spell.start:
            raise ValueError(f"{at}.end: {spell.end.isoformat()} is before its start")
        if (spell.end is None) != (spell.exit is None):
            raise ValueError(f"{at}.exit: give both end and exit, or neither (censored)")
        if spell.exit is not None:
            later = OPEN_PHASES[OPEN_PHASES.index(spell.phase) + 1 :] + CLOSED
            if spell.exit not in later:
                raise ValueError(
                    f"{at}.exit: {spell.exit!r} does not follow {spell.phase!r} "
                    "(a later open phase, 'signed' or 'stopped')"
                )
        if previous_end is not None and spell.start < previous_end:
            raise ValueError(f"{at}.start: overlaps the spell before it")
        last = number == len(facts.spells) - 1
        if spell.end is None and not last:
            raise ValueError(f"{at}.end: only the last spell may be censored")
        if not last and spell.exit != facts.spells[number + 1].phase:
            raise ValueError(f"{at}.exit: {spell.exit!r} but the next spell is another phase")
        previous_end = spell.end
    _not_after(facts.signed, origin, f"{where}.signed")
    if facts.state == "signed" and facts.signed is None and not facts.spells:
        raise ValueError(f"{where}.signed: a signed trajectory without spells needs its date")
    if facts.spells:
        final = facts.spells[-1]
        expected = final.phase if final.exit is None else final.exit
        if facts.state != expected:
            raise ValueError(f"{where}.state: {facts.state!r} but its last spell says {expected!r}")
    elif facts.state in OPEN_PHASES:
        raise ValueError(f"{where}.spells: an open trajectory needs its current spell")


def check_input(data: ForecastInput) -> None:
    """Raise ``ValueError`` naming the field for anything after the origin or inconsistent."""
    origin = data.origin
    _not_after(data.arrivals_since, origin, "arrivals_since")
    _not_after(data.cohort_until, origin, "cohort_until")
    keys = [t.key for t in data.trajectories]
    if len(set(keys)) != len(keys):
        raise ValueError("trajectories: a key occurs twice")
    for index, facts in enumerate(data.trajectories):
        _check_trajectory(index, facts, origin)
    for index, agreement in enumerate(data.agreements):
        _not_after(agreement.signed, origin, f"agreements[{index}] ({agreement.key}).signed")
    for index, arrival in enumerate(data.arrivals):
        _not_after(arrival, origin, f"arrivals[{index}]")
    if not data.conventions:
        raise ValueError("conventions: give at least one counting convention")


def check_targets(targets: Sequence[TargetSpec]) -> None:
    if not targets:
        raise ValueError("targets: give at least one target")
    for index, target in enumerate(targets):
        if target.value < 0:
            raise ValueError(f"targets[{index}] ({target.key}).value must be >= 0")
