"""Django-side entry points to the Sector Risk Analysis for views and commands.

``sra_result()`` returns a cached :class:`~imvo.analysis.sra.SRAResult` (language-free). The
programme's records are the single source for two inputs: the sectors' NACE codes (which
divisions a programme sector covers) and the existing initiatives with their coverage estimates
("extent already addressed"). The cache key includes the state of the user-data directory and
of those records, so an ``imvo data import`` or an edit in the admin shows on the next call.
The page selectors (``sra_heatmap_page``, ``sra_division_page``) return plain data: the
result and explanations (codes and numbers) with the programme's records the pages show, in
the language asked for; :mod:`imvo.reports.sra` turns them into template data (names, notes
and the heat-map colours). This module imports no exporter (the layers, see
docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.utils import translation
from django.utils.translation import gettext

from imvo.analysis.sra import (
    Explanation,
    Mitigation,
    SRAResult,
    default_model,
    explain,
    mitigations_from_records,
    run_sra,
)
from imvo.core.errors import NotFound
from imvo.initiatives.models import Initiative
from imvo.opendata.userdata import load_user_data
from imvo.sectors.models import Sector
from imvo.trajectories.models import Trajectory

HEATMAP_ROWS = 30  # rows of the heat-map page unless all are asked for


def userdata_dir() -> Path:
    """Where user imports live: ``settings.VAR_DIR / "userdata"`` (outside the package)."""
    return Path(settings.VAR_DIR) / "userdata"


def nace_divisions() -> list[str]:
    """The NACE Rev.2 divisions the analysis scores (two digits), in their shipped order."""
    return list(default_model().sectors["nace"])


def programme_nace() -> dict[str, list[str]]:
    """Programme sector slug → its NACE codes, as the database records them."""
    return {s.slug: list(s.nace_codes) for s in Sector.objects.all()}


def recorded_initiatives() -> dict[str, list[Mitigation]]:
    """Sector slug → recorded initiatives that carry a coverage estimate, citing their source."""
    records = [
        {
            "name": i.name_nl,
            "sectors": [s.slug for s in i.sectors.all()],
            "risk_themes": i.risk_themes,
            "coverage": i.coverage,
            "source": f"{i.source}, {i.source_locator}",
        }
        for i in Initiative.objects.select_related("source").prefetch_related("sectors")
    ]
    return mitigations_from_records(records)


def compute_sra(*, initiatives: Mapping[str, Sequence[Mitigation]] | None = None) -> SRAResult:
    """Run the analysis now on shipped data, the user's imports and the programme's records."""
    return run_sra(
        model=default_model(),
        user_data=load_user_data(directory=userdata_dir()),
        programme=programme_nace(),
        initiatives=recorded_initiatives() if initiatives is None else initiatives,
    )


def _records_state() -> tuple[Any, ...]:
    """Changes whenever a sector or initiative is written (their audit history grows)."""
    state = []
    for model in (Sector, Initiative):
        history = model.history.aggregate(n=Count("pk"), last=Max("history_date"))  # type: ignore[attr-defined]
        state.append((history["n"], history["last"]))
    return tuple(state)


def _userdata_state(directory: Path) -> tuple[tuple[str, int, int], ...]:
    if not directory.is_dir():
        return ()
    return tuple(
        sorted(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size)
            for p in directory.iterdir()
            if p.suffix in (".csv", ".json")
        )
    )


@lru_cache(maxsize=4)
def _cached(state: tuple[Any, ...]) -> SRAResult:
    return compute_sra()


def sra_result() -> SRAResult:
    """The cached analysis result (recomputed after an import or an edit of the records)."""
    return _cached((_userdata_state(userdata_dir()), _records_state()))


def division_summaries(*, naces: Sequence[str], lang: str) -> list[dict[str, Any]]:
    """Rank, scores and top theme of the given NACE divisions (for sector and trajectory pages)."""
    result = sra_result()
    sectors = result.model.sector_names(lang)
    themes = result.model.theme_names(lang)
    frame = result.sectors[result.sectors["nace"].isin(list(naces))]
    return [
        {
            "nace": row.nace,
            "sector": sectors[row.nace],
            "rank": int(row.rank),
            "score": float(row.score),
            "residual_score": float(row.residual_score),
            "top_theme": themes.get(row.top_theme, row.top_theme),
        }
        for row in frame.itertuples()
    ]


def sra_explanation(*, nace: str, lang: str, theme: str | None = None) -> Explanation:
    """Explanation of one NACE division (and theme); ``lang`` is the language of the error.

    Raises :class:`~imvo.core.errors.NotFound` for an unknown division or theme.
    """
    result = sra_result()
    with translation.override(lang):
        if nace not in set(result.sectors["nace"]):
            message = gettext("No NACE division '%(nace)s' in the analysis.") % {"nace": nace}
            raise NotFound(message, field="nace")
        if theme is not None and theme not in result.model.theme_codes:
            raise NotFound(gettext("No risk theme '%(theme)s'.") % {"theme": theme}, field="theme")
    return explain(result=result, nace=nace, theme=theme)


@dataclass(frozen=True)
class HeatmapPage:
    """The heat-map page: the result, how many rows to show and the programme sector names."""

    result: SRAResult
    top: int | None
    programme_names: dict[str, str]


def sra_heatmap_page(*, lang: str, show_all: bool) -> HeatmapPage:
    """The heat-map page's data: all divisions, or the top ``HEATMAP_ROWS``."""
    with translation.override(lang):
        names = {s.slug: s.name for s in Sector.objects.all()}
    return HeatmapPage(sra_result(), None if show_all else HEATMAP_ROWS, names)


@dataclass(frozen=True)
class DivisionPage:
    """A division page: its explanation (and one theme's), and the programme's records."""

    result: SRAResult
    explanation: Explanation
    detail: Explanation | None
    initiatives: list[dict[str, Any]]
    sectors: list[dict[str, str]]
    trajectories: list[dict[str, str]]


def sra_division_page(*, nace: str, lang: str, theme: str | None = None) -> DivisionPage:
    """Everything a division page shows: the explanation (all themes, and one theme if asked),
    the programme sectors and trajectories it belongs to and the recorded initiatives.

    Raises :class:`~imvo.core.errors.NotFound` for an unknown division or theme.
    """
    result = sra_result()
    explanation = sra_explanation(nace=nace, lang=lang)
    detail = sra_explanation(nace=nace, lang=lang, theme=theme) if theme else None
    slugs = explanation.programme_sectors
    names = result.model.theme_names(lang)
    with translation.override(lang):
        initiatives = [
            {
                "name": i.name,
                "coverage_rationale": i.coverage_rationale,
                "themes": [names.get(code, code) for code in i.risk_themes],
                "coverage": i.coverage,
                "source": str(i.source),
                "source_locator": i.source_locator,
            }
            for i in Initiative.objects.filter(sectors__slug__in=slugs, coverage__isnull=False)
            .select_related("source")
            .distinct()
        ]
        sectors = [{"slug": s.slug, "name": s.name} for s in Sector.objects.filter(slug__in=slugs)]
        trajectories = [
            {"slug": t.slug, "name": t.name}
            for t in Trajectory.objects.filter(sectors__slug__in=slugs).distinct()
        ]
    return DivisionPage(result, explanation, detail, initiatives, sectors, trajectories)
