"""Reads of the register of commitments and motions."""

from __future__ import annotations

import datetime as dt

from imvo.core.errors import NotFound
from imvo.parliament.models import Commitment, PublishedLetter


def commitment_list(*, known_at: dt.datetime, made_by: dt.date | None = None) -> list[Commitment]:
    """The commitments and motions as known at ``known_at`` (made by ``made_by``), oldest
    first."""
    found = Commitment.objects.known_at(known_at).select_related("source", "answered_by")
    if made_by is not None:
        found = found.filter(made__lte=made_by)
    return list(found.order_by("made", "key"))


def published_letters() -> list[PublishedLetter]:
    """The progress letters as published, newest first (without their bytes)."""
    return list(
        PublishedLetter.objects.defer("article", "html", "md", "json", "pdf", "docx").order_by(
            "-as_of", "-published_at"
        )
    )


def published_letter_get(*, pk: int) -> PublishedLetter:
    """One published letter with its content; :class:`NotFound` when there is none."""
    letter = PublishedLetter.objects.filter(pk=pk).first()
    if letter is None:
        raise NotFound(f"No published letter {pk}.", field="pk")
    return letter
