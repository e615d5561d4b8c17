"""Django-side entry points to the Sector Risk Analysis for views and commands.

``sra_result(lang=...)`` returns a cached :class:`~imvo.analysis.sra.engine.SRAResult`. The
programme's records are the single source for two inputs: the sectors' NACE codes (which
divisions a programme sector covers) and the existing initiatives with their coverage estimates
("extent already addressed"). The cache key includes the state of the user-data directory and
of those records, so an ``imvo data import`` or an edit in the admin shows on the next call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from imvo.analysis.sra import (
    Explanation,
    Initiative,
    SRAModel,
    SRAResult,
    default_model,
    explain,
    initiatives_from_records,
    programme_sectors,
    run_sra,
)
from imvo.initiatives.models import Initiative as InitiativeRecord
from imvo.opendata.userdata import load_user_data
from imvo.reports.sra import to_payload
from imvo.sectors.models import Sector


def userdata_dir() -> Path:
    """Where user imports live: ``settings.VAR_DIR / "userdata"`` (outside the package)."""
    return Path(settings.VAR_DIR) / "userdata"


def sra_model() -> SRAModel:
    """The shipped model with the programme sectors as the database maps them onto NACE."""
    model = default_model()
    records = [
        {"slug": s.slug, "name_nl": s.name_nl, "name_en": s.name_en, "nace": s.nace_codes}
        for s in Sector.objects.all()
    ]
    divisions = set(model.sectors["nace"])
    return replace(model, programme=programme_sectors(records=records, divisions=divisions))


def recorded_initiatives() -> dict[str, list[Initiative]]:
    """Sector slug → recorded initiatives that carry a coverage estimate, citing their source."""
    records = [
        {
            "name": i.name_nl,
            "sectors": [s.slug for s in i.sectors.all()],
            "risk_themes": i.risk_themes,
            "coverage": i.coverage,
            "source": f"{i.source}, {i.source_locator}",
        }
        for i in InitiativeRecord.objects.select_related("source").prefetch_related("sectors")
    ]
    return initiatives_from_records(records)


def compute_sra(
    *, lang: str, initiatives: Mapping[str, Sequence[Initiative]] | None = None
) -> SRAResult:
    """Run the analysis now on shipped data, the user's imports and the programme's records."""
    return run_sra(
        model=sra_model(),
        user_data=load_user_data(directory=userdata_dir()),
        initiatives=recorded_initiatives() if initiatives is None else initiatives,
        lang=lang,
    )


def _records_state() -> tuple[Any, ...]:
    """Changes whenever a sector or initiative is written (their audit history grows)."""
    state = []
    for model in (Sector, InitiativeRecord):
        history = model.history.aggregate(n=Count("pk"), last=Max("history_date"))  # type: ignore[attr-defined]
        state.append((history["n"], history["last"]))
    return tuple(state)


def _userdata_state(directory: Path) -> tuple[tuple[str, int, int], ...]:
    if not directory.is_dir():
        return ()
    return tuple(
        sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in directory.glob("*.csv"))
    )


@lru_cache(maxsize=8)
def _cached(lang: str, state: tuple[Any, ...]) -> SRAResult:
    return compute_sra(lang=lang)


def sra_result(*, lang: str) -> SRAResult:
    """The cached analysis result for ``lang`` ('nl' or 'en')."""
    return _cached(lang, (_userdata_state(userdata_dir()), _records_state()))


def division_summaries(*, naces: Sequence[str], lang: str) -> list[dict[str, Any]]:
    """Rank, scores and top theme of the given NACE divisions (for sector and trajectory pages)."""
    result = sra_result(lang=lang)
    names = {t["code"]: t["name"] for t in result.themes}
    frame = result.sectors[result.sectors["nace"].isin(list(naces))]
    return [
        {
            "nace": row.nace,
            "sector": row.sector,
            "rank": int(row.rank),
            "score": float(row.score),
            "residual_score": float(row.residual_score),
            "top_theme": names.get(row.top_theme, row.top_theme),
        }
        for row in frame.itertuples()
    ]


def sra_payload(
    *, lang: str, theme: str | None = None, sector: str | None = None
) -> dict[str, Any]:
    """Template-friendly plain data (same shape as ``imvo sra --format json``)."""
    return to_payload(sra_result(lang=lang), theme=theme, sector=sector)


def sra_explanation(*, nace: str, lang: str, theme: str | None = None) -> Explanation:
    """Explanation of one NACE division (raises KeyError for an unknown division or theme)."""
    return explain(result=sra_result(lang=lang), nace=nace, theme=theme)
