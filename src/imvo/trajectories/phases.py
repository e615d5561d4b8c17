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


#: Position of each phase: a higher number is further along.
PHASE_ORDER: dict[str, int] = {phase.value: index for index, phase in enumerate(Phase)}
