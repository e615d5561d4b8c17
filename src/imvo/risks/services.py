"""Writes to risk themes and the advice on them: every channel calls these.

Validation and the audit trail live in :mod:`imvo.core.services`; a delete is refused while
other records refer to the record.
"""

from __future__ import annotations

from django.db import transaction

from imvo.core.audit import Actor
from imvo.core.services import Data, model_create, model_delete, model_update
from imvo.risks.models import Theme, ThemeAdvice


@transaction.atomic
def theme_create(*, data: Data, actor: Actor) -> Theme:
    """Create an IRBC risk theme."""
    return model_create(model=Theme, data=data, actor=actor)


@transaction.atomic
def theme_update(*, theme: Theme, data: Data, actor: Actor) -> tuple[Theme, bool]:
    """Change an IRBC risk theme; return it and whether anything changed."""
    return model_update(instance=theme, data=data, actor=actor)


@transaction.atomic
def theme_delete(*, theme: Theme, actor: Actor) -> None:
    """Delete an IRBC risk theme (refused while other records refer to it)."""
    model_delete(instance=theme, actor=actor)


@transaction.atomic
def theme_advice_create(*, data: Data, actor: Actor) -> ThemeAdvice:
    """Create who advises on a cross-sector theme."""
    return model_create(model=ThemeAdvice, data=data, actor=actor)


@transaction.atomic
def theme_advice_update(
    *, theme_advice: ThemeAdvice, data: Data, actor: Actor
) -> tuple[ThemeAdvice, bool]:
    """Change who advises on a cross-sector theme; return it and whether anything changed."""
    return model_update(instance=theme_advice, data=data, actor=actor)


@transaction.atomic
def theme_advice_delete(*, theme_advice: ThemeAdvice, actor: Actor) -> None:
    """Delete who advises on a cross-sector theme (refused while other records refer to it)."""
    model_delete(instance=theme_advice, actor=actor)
