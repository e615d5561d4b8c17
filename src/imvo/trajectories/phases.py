"""The phases of a trajectory towards a covenant, in the order a trajectory moves through them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    NO_INITIATIVE = "no_initiative", _("no initiative")
    EXPLORATION = "exploration", _("exploration")
    DIALOGUE = "dialogue", _("multi-stakeholder dialogue")
    NEGOTIATION = "negotiation", _("negotiation")
    SIGNED = "signed", _("signed")
    ENDED = "ended", _("ended")
    STOPPED = "stopped", _("stopped without an agreement")


#: Position of each phase: a higher number is further along. ``ended`` (the agreement ran its
#: term) and ``stopped`` (talks ended without an agreement) both close a trajectory.
PHASE_ORDER: dict[str, int] = {phase.value: index for index, phase in enumerate(Phase)}

#: The order in which overviews group trajectories: furthest along first, and the trajectories
#: whose talks stopped without an agreement last.
GROUP_ORDER: tuple[str, ...] = (
    *sorted(
        (p for p in PHASE_ORDER if p != Phase.STOPPED), key=PHASE_ORDER.__getitem__, reverse=True
    ),
    Phase.STOPPED.value,
)
