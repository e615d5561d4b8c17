"""Reads of the register of commitments and motions."""

from __future__ import annotations

import datetime as dt

from imvo.parliament.models import Commitment


def commitment_list(*, known_at: dt.datetime, made_by: dt.date | None = None) -> list[Commitment]:
    """The commitments and motions as known at ``known_at`` (made by ``made_by``), oldest
    first."""
    found = Commitment.objects.known_at(known_at).select_related("source", "answered_by")
    if made_by is not None:
        found = found.filter(made__lte=made_by)
    return list(found.order_by("made", "key"))
