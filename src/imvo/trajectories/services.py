"""Writes to trajectories. Phase history is append-only: corrections supersede, never overwrite."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from imvo.core.audit import Actor, audited_save
from imvo.trajectories.models import PhaseRecord, Trajectory

#: Fields a correction may change; everything else of a phase record is identity or bookkeeping.
CORRECTABLE = (
    "phase",
    "valid_from",
    "valid_from_precision",
    "date_basis",
    "date_text",
    "note_nl",
    "note_en",
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
    now = timezone.now()
    fields = {name: getattr(record, name) for name in CORRECTABLE}
    fields.update(values)
    record.superseded_at = now
    audited_save(record, actor=Actor(reason=f"Superseded: {actor.reason}", user=actor.user))
    correction = PhaseRecord(
        trajectory=record.trajectory, key=record.key, recorded_at=now, supersedes=record, **fields
    )
    return audited_save(correction, actor=actor)  # type: ignore[return-value]
