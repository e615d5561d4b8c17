"""Reads of organisations: the list with every organisation's roles in trajectories."""

from __future__ import annotations

from imvo.organisations.models import Organisation


def organisation_list() -> list[Organisation]:
    """Every organisation by kind and name, with its participations prefetched."""
    return list(
        Organisation.objects.prefetch_related("participations__trajectory").order_by(
            "kind", "name_nl"
        )
    )
