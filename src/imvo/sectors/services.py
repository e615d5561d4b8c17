"""Writes to sectors: every channel (admin, reference loader, commands) calls these.

Validation and the audit trail live in :mod:`imvo.core.services`; a delete is refused while
other records refer to the record.
"""

from __future__ import annotations

from django.db import transaction

from imvo.core.audit import Actor
from imvo.core.services import Data, model_create, model_delete, model_update
from imvo.sectors.models import Sector


@transaction.atomic
def sector_create(*, data: Data, actor: Actor) -> Sector:
    """Create a sector of the economy."""
    return model_create(model=Sector, data=data, actor=actor)


@transaction.atomic
def sector_update(*, sector: Sector, data: Data, actor: Actor) -> tuple[Sector, bool]:
    """Change a sector of the economy; return it and whether anything changed."""
    return model_update(instance=sector, data=data, actor=actor)


@transaction.atomic
def sector_delete(*, sector: Sector, actor: Actor) -> None:
    """Delete a sector of the economy (refused while other records refer to it)."""
    model_delete(instance=sector, actor=actor)
