"""Reads of trajectories: phase states at a date as known at a moment, and the overview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from imvo.core.dates import PartialDate
from imvo.trajectories.models import Participation, PhaseRecord, Trajectory
from imvo.trajectories.phases import PHASE_ORDER, Phase
from imvo.trajectories.timeline import PhaseFact, states_at


@dataclass(frozen=True)
class TrajectoryState:
    """A trajectory's phase on a date. ``record`` is None when nothing was recorded by then;
    the phase is then ``no_initiative`` and ``since`` is unknown."""

    trajectory: Trajectory
    phase: str
    since: PartialDate | None
    basis: str
    record: PhaseRecord | None

    @property
    def slug(self) -> str:
        return self.trajectory.slug

    @property
    def phase_label(self) -> str:
        return str(Phase(self.phase).label)


@dataclass(frozen=True)
class PhaseGroup:
    phase: str
    states: list[TrajectoryState]

    @property
    def label(self) -> str:
        return str(Phase(self.phase).label)


def _fact(record: PhaseRecord) -> PhaseFact:
    return PhaseFact(
        record_id=record.pk,
        trajectory=record.trajectory.slug,
        phase=record.phase,
        valid_from=record.valid_from_partial,
        basis=record.date_basis,
        recorded_at=record.recorded_at,
        superseded_at=record.superseded_at,
    )


def trajectory_list() -> QuerySet[Trajectory]:
    return Trajectory.objects.prefetch_related("sectors").order_by("slug")


def trajectory_states(
    *, as_of: dt.date, known_at: dt.datetime | None = None, slugs: list[str] | None = None
) -> list[TrajectoryState]:
    """Every trajectory's phase on ``as_of`` by what was recorded at ``known_at`` (default: now)."""
    known_at = known_at or timezone.now()
    trajectories = list(trajectory_list())
    if slugs is not None:
        trajectories = [t for t in trajectories if t.slug in slugs]
    records = {
        r.pk: r
        for r in PhaseRecord.objects.select_related("trajectory", "source").filter(
            trajectory__in=trajectories
        )
    }
    facts = states_at([_fact(r) for r in records.values()], as_of=as_of, known_at=known_at)
    states = []
    for trajectory in trajectories:
        fact = facts.get(trajectory.slug)
        if fact is None:
            states.append(TrajectoryState(trajectory, Phase.NO_INITIATIVE.value, None, "", None))
        else:
            states.append(
                TrajectoryState(
                    trajectory, fact.phase, fact.valid_from, fact.basis, records[fact.record_id]
                )
            )
    return states


def phase_overview(*, as_of: dt.date, known_at: dt.datetime | None = None) -> list[PhaseGroup]:
    """Trajectories grouped by phase, furthest phase first (signed, negotiation, dialogue, ...)."""
    states = trajectory_states(as_of=as_of, known_at=known_at)
    groups = []
    for phase in sorted(PHASE_ORDER, key=PHASE_ORDER.__getitem__, reverse=True):
        members = sorted((s for s in states if s.phase == phase), key=lambda s: s.trajectory.name)
        groups.append(PhaseGroup(phase, members))
    return groups


def phase_history(*, trajectory: Trajectory) -> list[PhaseRecord]:
    """All phase records of a trajectory, superseded ones included, in valid-time order."""
    return list(
        trajectory.phase_records.select_related("source", "supersedes").order_by(
            "valid_from", "recorded_at"
        )
    )


def trajectory_get(*, slug: str) -> Trajectory | None:
    return (
        Trajectory.objects.filter(slug=slug)
        .select_related("source")
        .prefetch_related(
            "sectors",
            "initiatives",
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("organisation", "source"),
            ),
            "events__source",
            "events__organisations",
            "government_actions",
            "agreements",
        )
        .first()
    )
