"""Writes to agreements, counting conventions, targets and target versions.

Agreements and target versions are bitemporal: an update is a correction that supersedes the
record (known from ``recorded_at``: the source's date for reference data, now for a person),
a delete a retraction; what was known before stays answerable.

A correction or retraction by a person that would leave a trajectory's current phase record
``signed`` without its agreement is refused (the phase board and the target count never
disagree; see :func:`imvo.trajectories.services.signed_phase_check`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from imvo.agreements.models import Agreement, Convention, Target, TargetVersion
from imvo.core.audit import Actor
from imvo.core.services import (
    Data,
    model_correct,
    model_create,
    model_delete,
    model_retract,
    model_update,
)

When = dt.datetime | None


def _signed_phases_keep_their_agreement(*, trajectory_id: int | None, actor: Actor) -> None:
    """After a change of an agreement: every current 'signed' phase record of its trajectory
    still has an agreement signed in its period (checked for writes by a person)."""
    from imvo.trajectories.models import PhaseRecord
    from imvo.trajectories.services import by_a_person, signing_agreement

    if trajectory_id is None or not by_a_person(actor):
        return
    signed = PhaseRecord.objects.current().filter(trajectory_id=trajectory_id, phase="signed")
    for record in signed.select_related("trajectory"):
        if signing_agreement(
            trajectory=record.trajectory,
            valid_from=record.valid_from,
            precision=record.valid_from_precision,
        ):
            continue
        raise ValidationError(
            _(
                "This change would leave '%(trajectory)s' signed on %(date)s without its "
                "agreement; correct the phase record first."
            )
            % {"trajectory": record.trajectory.name, "date": record.valid_from_partial.iso()},
            code="signed_without_agreement",
        )


@transaction.atomic
def agreement_create(*, data: Data, actor: Actor) -> Agreement:
    """Record an agreement."""
    return model_create(model=Agreement, data=data, actor=actor)


@transaction.atomic
def agreement_update(
    *, agreement: Agreement, data: Data, actor: Actor, recorded_at: When = None
) -> tuple[Agreement, bool]:
    """Correct an agreement (e.g. its end, learned later); return the current record."""
    before = agreement.trajectory_id
    corrected, changed = model_correct(
        instance=agreement, data=data, actor=actor, recorded_at=recorded_at
    )
    if changed:
        _signed_phases_keep_their_agreement(trajectory_id=before, actor=actor)
    return corrected, changed


@transaction.atomic
def agreement_delete(*, agreement: Agreement, actor: Actor) -> None:
    """Retract an agreement recorded in error."""
    model_retract(instance=agreement, actor=actor)
    _signed_phases_keep_their_agreement(trajectory_id=agreement.trajectory_id, actor=actor)


@transaction.atomic
def convention_create(*, data: Data, actor: Actor) -> Convention:
    """Create a counting convention."""
    return model_create(model=Convention, data=data, actor=actor)


@transaction.atomic
def convention_update(
    *, convention: Convention, data: Data, actor: Actor
) -> tuple[Convention, bool]:
    """Change a counting convention; return it and whether anything changed."""
    return model_update(instance=convention, data=data, actor=actor)


@transaction.atomic
def convention_delete(*, convention: Convention, actor: Actor) -> None:
    """Delete a counting convention (refused while agreements or targets use it)."""
    model_delete(instance=convention, actor=actor)


@transaction.atomic
def target_create(*, data: Data, actor: Actor) -> Target:
    """Create a target."""
    return model_create(model=Target, data=data, actor=actor)


@transaction.atomic
def target_update(*, target: Target, data: Data, actor: Actor) -> tuple[Target, bool]:
    """Change a target; return it and whether anything changed."""
    return model_update(instance=target, data=data, actor=actor)


@transaction.atomic
def target_delete(*, target: Target, actor: Actor) -> None:
    """Delete a target (refused while it has versions)."""
    model_delete(instance=target, actor=actor)


@transaction.atomic
def target_version_create(*, data: Data, actor: Actor) -> TargetVersion:
    """Record a version of a target (as set or revised on a date)."""
    return model_create(model=TargetVersion, data=data, actor=actor)


@transaction.atomic
def target_version_update(
    *, target_version: TargetVersion, data: Data, actor: Actor, recorded_at: When = None
) -> tuple[TargetVersion, bool]:
    """Correct a target version; return the current record and whether it changed."""
    return model_correct(instance=target_version, data=data, actor=actor, recorded_at=recorded_at)


@transaction.atomic
def target_version_delete(*, target_version: TargetVersion, actor: Actor) -> None:
    """Retract a target version recorded in error."""
    model_retract(instance=target_version, actor=actor)
