"""Writes to organisations: every channel (admin, reference loader, commands) calls these.

Validation and the audit trail live in :mod:`imvo.core.services`; a delete is refused while
other records refer to the record.
"""

from __future__ import annotations

from django.db import transaction

from imvo.core.audit import Actor
from imvo.core.services import Data, model_create, model_delete, model_update
from imvo.organisations.models import Organisation


@transaction.atomic
def organisation_create(*, data: Data, actor: Actor) -> Organisation:
    """Create an organisation."""
    return model_create(model=Organisation, data=data, actor=actor)


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, data: Data, actor: Actor
) -> tuple[Organisation, bool]:
    """Change an organisation; return it and whether anything changed."""
    return model_update(instance=organisation, data=data, actor=actor)


@transaction.atomic
def organisation_delete(*, organisation: Organisation, actor: Actor) -> None:
    """Delete an organisation (refused while other records refer to it)."""
    model_delete(instance=organisation, actor=actor)
