"""Reads of sources: the list every fact cites, with how often each is cited."""

from __future__ import annotations

from django.db.models import Count, F

from imvo.sources.models import Source


def source_list() -> list[Source]:
    """Every source, oldest first (undated ones first, on every database), with
    ``phase_count`` and ``event_count`` citations."""
    return list(
        Source.objects.annotate(
            phase_count=Count("trajectories_phaserecord_set", distinct=True),
            event_count=Count("trajectories_event_set", distinct=True),
        ).order_by(F("date").asc(nulls_first=True), "title")
    )
