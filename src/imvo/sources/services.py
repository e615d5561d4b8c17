"""Writes to sources: every channel (admin, reference loader, commands) calls these.

Validation and the audit trail live in :mod:`imvo.core.services`; a delete is refused while
other records refer to the record.
"""

from __future__ import annotations

from django.db import transaction

from imvo.core.audit import Actor
from imvo.core.services import Data, model_create, model_delete, model_update
from imvo.sources.models import Source


@transaction.atomic
def source_create(*, data: Data, actor: Actor) -> Source:
    """Create a source."""
    return model_create(model=Source, data=data, actor=actor)


@transaction.atomic
def source_update(*, source: Source, data: Data, actor: Actor) -> tuple[Source, bool]:
    """Change a source; return it and whether anything changed."""
    return model_update(instance=source, data=data, actor=actor)


@transaction.atomic
def source_delete(*, source: Source, actor: Actor) -> None:
    """Delete a source (refused while other records refer to it)."""
    model_delete(instance=source, actor=actor)
