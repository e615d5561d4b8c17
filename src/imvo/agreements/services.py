"""Writes to agreements and targets: every channel (admin, reference loader, commands) calls these.

Validation and the audit trail live in :mod:`imvo.core.services`; a delete is refused while
other records refer to the record.
"""

from __future__ import annotations

from django.db import transaction

from imvo.agreements.models import Agreement, Target
from imvo.core.audit import Actor
from imvo.core.services import Data, model_create, model_delete, model_update


@transaction.atomic
def agreement_create(*, data: Data, actor: Actor) -> Agreement:
    """Create an agreement."""
    return model_create(model=Agreement, data=data, actor=actor)


@transaction.atomic
def agreement_update(*, agreement: Agreement, data: Data, actor: Actor) -> tuple[Agreement, bool]:
    """Change an agreement; return it and whether anything changed."""
    return model_update(instance=agreement, data=data, actor=actor)


@transaction.atomic
def agreement_delete(*, agreement: Agreement, actor: Actor) -> None:
    """Delete an agreement (refused while other records refer to it)."""
    model_delete(instance=agreement, actor=actor)


@transaction.atomic
def target_create(*, data: Data, actor: Actor) -> Target:
    """Create a target of the programme."""
    return model_create(model=Target, data=data, actor=actor)


@transaction.atomic
def target_update(*, target: Target, data: Data, actor: Actor) -> tuple[Target, bool]:
    """Change a target of the programme; return it and whether anything changed."""
    return model_update(instance=target, data=data, actor=actor)


@transaction.atomic
def target_delete(*, target: Target, actor: Actor) -> None:
    """Delete a target of the programme (refused while other records refer to it)."""
    model_delete(instance=target, actor=actor)
