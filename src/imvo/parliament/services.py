"""Writes to the register of commitments and motions: every channel calls these."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from imvo.core.audit import Actor
from imvo.core.services import Data, model_correct, model_create, model_retract
from imvo.parliament.models import Commitment, PublishedLetter


@transaction.atomic
def commitment_create(*, data: Data, actor: Actor) -> Commitment:
    """Record a commitment or motion."""
    return model_create(model=Commitment, data=data, actor=actor)


@transaction.atomic
def commitment_update(
    *, commitment: Commitment, data: Data, actor: Actor, recorded_at: dt.datetime | None = None
) -> tuple[Commitment, bool]:
    """Correct a commitment (e.g. record the letter that answered it): a superseding record."""
    return model_correct(instance=commitment, data=data, actor=actor, recorded_at=recorded_at)


@transaction.atomic
def commitment_delete(*, commitment: Commitment, actor: Actor) -> None:
    """Retract a commitment recorded in error."""
    model_retract(instance=commitment, actor=actor)


@transaction.atomic
def published_letter_create(*, data: Data, actor: Actor) -> PublishedLetter:
    """Keep a progress letter as published (all formats, exactly); audited like every write."""
    return model_create(
        model=PublishedLetter, data={**data, "published_by": actor.user}, actor=actor
    )
