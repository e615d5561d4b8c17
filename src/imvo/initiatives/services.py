"""Writes to existing initiatives: every channel (admin, reference loader, commands) calls these.

Validation and the audit trail live in :mod:`imvo.core.services`; a delete is refused while
other records refer to the record.
"""

from __future__ import annotations

from django.db import transaction

from imvo.core.audit import Actor
from imvo.core.services import Data, model_create, model_delete, model_update
from imvo.initiatives.models import Initiative


@transaction.atomic
def initiative_create(*, data: Data, actor: Actor) -> Initiative:
    """Create an existing initiative."""
    return model_create(model=Initiative, data=data, actor=actor)


@transaction.atomic
def initiative_update(
    *, initiative: Initiative, data: Data, actor: Actor
) -> tuple[Initiative, bool]:
    """Change an existing initiative; return it and whether anything changed."""
    return model_update(instance=initiative, data=data, actor=actor)


@transaction.atomic
def initiative_delete(*, initiative: Initiative, actor: Actor) -> None:
    """Delete an existing initiative (refused while other records refer to it)."""
    model_delete(instance=initiative, actor=actor)
