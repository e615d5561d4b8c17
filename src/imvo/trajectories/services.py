"""Writes to trajectories, their participations, events and government actions, and the phase
history. Phase history is append-only: corrections supersede, never overwrite, and no phase
record is ever deleted. Every channel (admin, reference loader, commands) calls these.

"Signed" is one step with its agreement: a person cannot record (or correct a record to) the
phase ``signed`` unless a current agreement of the trajectory was signed by then and had not
ended (:func:`signed_phase_check`), so that the phase board never shows a signing the target
cannot count.
The editors' signing proposal creates the agreement, its parties' participations and the phase
record in one transaction (:mod:`imvo.proposals.services`). Reference loads (the system
account) write a file's phases before its agreements in one transaction; the reference data is
held to the same rule by a test.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from imvo.agreements.models import Agreement
from imvo.core.audit import SYSTEM_USERNAME, Actor, audited_save
from imvo.core.dates import PartialDate
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
from imvo.trajectories.phases import Phase

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


def by_a_person(actor: Actor) -> bool:
    """Whether ``actor`` is a person (not the system account of reference loads)."""
    return actor.user is not None and actor.user.get_username() != SYSTEM_USERNAME


def signing_agreement(
    *, trajectory: Trajectory, valid_from: dt.date, precision: str
) -> Agreement | None:
    """The current agreement of ``trajectory`` that stands behind a phase 'signed' from
    ``valid_from``: signed by the end of that date's period ("2014-11-17" stands behind
    "2014-11") and not ended before it began; None when there is none. From the phase's date
    on, the board's "signed" then always has an agreement the target can count."""
    phase = PartialDate.of(valid_from, precision or "day")
    for agreement in Agreement.objects.current().filter(trajectory=trajectory):
        if agreement.signed_partial.start > phase.end:
            continue
        if agreement.ended is not None and agreement.ended < phase.start:
            continue
        return agreement
    return None


def signed_phase_check(*, trajectory: Trajectory, values: dict[str, Any], actor: Actor) -> None:
    """Refuse a phase record ``signed`` (written by a person) without its agreement."""
    if values.get("phase") != Phase.SIGNED or not by_a_person(actor):
        return
    valid_from = values.get("valid_from")
    if valid_from is None:
        return  # full_clean names the missing date
    precision = values.get("valid_from_precision") or "day"
    if signing_agreement(trajectory=trajectory, valid_from=valid_from, precision=precision):
        return
    raise ValidationError(
        {
            "phase": _(
                "'%(trajectory)s' cannot be recorded as signed on %(date)s without its "
                "agreement: record the signing with the agreement and its parties (the "
                "editors' page 'phase change' does both in one step), or record the agreement "
                "first."
            )
            % {
                "trajectory": trajectory.name,
                "date": PartialDate.of(valid_from, precision).iso(),
            }
        },
        code="signed_without_agreement",
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
    signed_phase_check(trajectory=trajectory, values=values, actor=actor)
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
    if set(values) & {"phase", "valid_from", "valid_from_precision"}:
        merged = {name: getattr(record, name) for name in CORRECTABLE if name != "source"}
        signed_phase_check(trajectory=record.trajectory, values={**merged, **values}, actor=actor)
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
