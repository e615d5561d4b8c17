"""Which phase a trajectory was in on a date, as known at a moment: plain Python, no Django.

Two time axes (bitemporal):
- valid time: a fact holds from ``valid_from`` (the first day of its period: "november 2014"
  counts from 2014-11-01) until a later fact of the same trajectory takes over;
- transaction time: a fact is known from ``recorded_at`` until ``superseded_at`` (when a
  correction replaced it).

``state_at`` answers "in which phase was the trajectory on ``as_of``, by what we knew at
``known_at``". With no known fact by then, there is no state (``None``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from imvo.core.dates import PartialDate


@dataclass(frozen=True)
class PhaseFact:
    record_id: int
    trajectory: str
    phase: str
    valid_from: PartialDate
    basis: str
    recorded_at: dt.datetime
    superseded_at: dt.datetime | None = None

    def known_at(self, moment: dt.datetime) -> bool:
        return self.recorded_at <= moment and (
            self.superseded_at is None or self.superseded_at > moment
        )


def state_at(
    facts: Iterable[PhaseFact], *, as_of: dt.date, known_at: dt.datetime
) -> PhaseFact | None:
    """The fact in force on ``as_of`` among those known at ``known_at`` (latest start wins;
    between two facts with the same start, the one recorded last)."""
    candidates = [
        fact for fact in facts if fact.known_at(known_at) and fact.valid_from.start <= as_of
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda fact: (fact.valid_from.start, fact.recorded_at))


def states_at(
    facts: Iterable[PhaseFact], *, as_of: dt.date, known_at: dt.datetime
) -> dict[str, PhaseFact]:
    """``state_at`` for every trajectory in ``facts``; those without a state are left out."""
    by_trajectory: dict[str, list[PhaseFact]] = {}
    for fact in facts:
        by_trajectory.setdefault(fact.trajectory, []).append(fact)
    states = {}
    for slug, own in by_trajectory.items():
        fact = state_at(own, as_of=as_of, known_at=known_at)
        if fact is not None:
            states[slug] = fact
    return states


@dataclass(frozen=True)
class Segment:
    """A stretch of valid time in one phase: ``start`` inclusive, ``end`` exclusive."""

    phase: str
    start: dt.date
    end: dt.date


def phase_segments(
    facts: Iterable[PhaseFact], *, known_at: dt.datetime, until: dt.date
) -> list[Segment]:
    """One trajectory's phases over valid time up to ``until``, by what was known at
    ``known_at``: each known fact holds from its start until the next one starts."""
    known = sorted(
        (f for f in facts if f.known_at(known_at) and f.valid_from.start <= until),
        key=lambda f: (f.valid_from.start, f.recorded_at),
    )
    segments: list[Segment] = []
    for index, fact in enumerate(known):
        end = known[index + 1].valid_from.start if index + 1 < len(known) else until
        if segments and segments[-1].start == fact.valid_from.start:
            segments.pop()  # a later record with the same start takes over
        if end > fact.valid_from.start or index + 1 == len(known):
            segments.append(
                Segment(fact.phase, fact.valid_from.start, max(end, fact.valid_from.start))
            )
    merged: list[Segment] = []
    for segment in segments:  # join neighbours in the same phase
        if merged and merged[-1].phase == segment.phase and merged[-1].end == segment.start:
            merged[-1] = Segment(segment.phase, merged[-1].start, segment.end)
        else:
            merged.append(segment)
    return merged
