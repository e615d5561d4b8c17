"""Writes to trajectories, their participations, events and government actions, and the phase
history. Phase history is append-only: corrections supersede, never overwrite, and no phase
record is ever deleted. Every channel (admin, reference loader, commands) calls these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from imvo.core.audit import Actor, audited_save
from imvo.core.services import (
    Data,
    model_correct,
    model_create,
    model_delete,
    model_retract,
    model_supersede,
    model_update,
)
from imvo.trajectories.models import Event, GovernmentAction, Participation, PhaseRecord, Trajectory

#: When a correction became known (None: now).
When = dt.datetime | None

#: Fields a correction may change; everything else of a phase record is identity or bookkeeping.
CORRECTABLE = (
    "phase",
    "valid_from",
    "valid_from_precision",
    "date_basis",
    "date_text",
    "note_nl",
    "note_en",
    "certainty",
    "source",
    "source_locator",
)


@transaction.atomic
def phase_record_create(
    *, trajectory: Trajectory, key: str, values: dict[str, Any], actor: Actor
) -> PhaseRecord:
    """Record that ``trajectory`` entered a phase (a new fact, not a correction)."""
    if PhaseRecord.objects.current().filter(trajectory=trajectory, key=key).exists():
        raise ValidationError(
            {"key": f"trajectory '{trajectory.slug}' already has a record '{key}'"}
        )
    record = PhaseRecord(trajectory=trajectory, key=key, **values)
    return audited_save(record, actor=actor)  # type: ignore[return-value]


@transaction.atomic
def phase_record_correct(
    *, record: PhaseRecord, values: dict[str, Any], actor: Actor
) -> PhaseRecord:
    """Replace ``record`` by a corrected copy. The old record keeps its content and gets
    ``superseded_at``; the new one points to it through ``supersedes``."""
    record = PhaseRecord.objects.select_for_update().get(pk=record.pk)
    if record.superseded_at is not None:
        raise ValidationError("this record was already superseded; correct the current record")
    unknown = set(values) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(f"cannot correct field(s): {', '.join(sorted(unknown))}")
    return model_supersede(instance=record, data=values, actor=actor)


@transaction.atomic
def trajectory_create(*, data: Data, actor: Actor) -> Trajectory:
    """Create a trajectory."""
    return model_create(model=Trajectory, data=data, actor=actor)


@transaction.atomic
def trajectory_update(
    *, trajectory: Trajectory, data: Data, actor: Actor
) -> tuple[Trajectory, bool]:
    """Change a trajectory; return it and whether anything changed."""
    return model_update(instance=trajectory, data=data, actor=actor)


@transaction.atomic
def trajectory_delete(*, trajectory: Trajectory, actor: Actor) -> None:
    """Delete a trajectory (refused while it has a phase history, participations or events)."""
    model_delete(instance=trajectory, actor=actor)


# Participations, events and government actions are bitemporal: an update is a correction that
# supersedes the record, a delete a retraction; what was known before stays answerable.


@transaction.atomic
def participation_create(*, data: Data, actor: Actor) -> Participation:
    """Record an organisation's role in a trajectory."""
    return model_create(model=Participation, data=data, actor=actor)


@transaction.atomic
def participation_update(
    *, participation: Participation, data: Data, actor: Actor, recorded_at: When = None
) -> tuple[Participation, bool]:
    """Correct a participation; return the current record and whether anything changed."""
    return model_correct(instance=participation, data=data, actor=actor, recorded_at=recorded_at)


@transaction.atomic
def participation_delete(*, participation: Participation, actor: Actor) -> None:
    """Retract a participation recorded in error (an organisation leaving: set ``valid_until``)."""
    model_retract(instance=participation, actor=actor)


@transaction.atomic
def event_create(*, data: Data, actor: Actor) -> Event:
    """Record an event (held, planned or cancelled)."""
    return model_create(model=Event, data=data, actor=actor)


@transaction.atomic
def event_update(
    *, event: Event, data: Data, actor: Actor, recorded_at: When = None
) -> tuple[Event, bool]:
    """Correct an event (e.g. planned → held); return the current record and whether it changed."""
    return model_correct(instance=event, data=data, actor=actor, recorded_at=recorded_at)


@transaction.atomic
def event_delete(*, event: Event, actor: Actor) -> None:
    """Retract an event recorded in error."""
    model_retract(instance=event, actor=actor)


@transaction.atomic
def government_action_create(*, data: Data, actor: Actor) -> GovernmentAction:
    """Record a government action."""
    return model_create(model=GovernmentAction, data=data, actor=actor)


@transaction.atomic
def government_action_update(
    *, government_action: GovernmentAction, data: Data, actor: Actor, recorded_at: When = None
) -> tuple[GovernmentAction, bool]:
    """Correct a government action; return the current record and whether it changed."""
    return model_correct(
        instance=government_action, data=data, actor=actor, recorded_at=recorded_at
    )


@transaction.atomic
def government_action_delete(*, government_action: GovernmentAction, actor: Actor) -> None:
    """Retract a government action recorded in error."""
    model_retract(instance=government_action, actor=actor)
