"""Reads of sectors: one sector's page with its trajectories, initiatives and SRA divisions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from imvo.analysis.sra import divisions_of
from imvo.core.errors import NotFound
from imvo.core.i18n import active_language
from imvo.risks.selectors import division_summaries
from imvo.sectors.models import Sector


@dataclass(frozen=True)
class SectorPage:
    sector: Sector
    divisions: list[dict[str, Any]]


def sector_page(*, slug: str) -> SectorPage:
    """The sector ``slug`` with its SRA divisions; :class:`NotFound` for an unknown slug."""
    sector = (
        Sector.objects.filter(slug=slug)
        .select_related("parent", "source")
        .prefetch_related("children", "trajectories", "initiatives__source")
        .first()
    )
    if sector is None:
        raise NotFound(f"No sector with slug '{slug}'.", field="slug")
    naces = divisions_of(sector.nace_codes)
    return SectorPage(sector, division_summaries(naces=naces, lang=active_language()))
