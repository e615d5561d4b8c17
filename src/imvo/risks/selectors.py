"""Django-side entry points to the Sector Risk Analysis for views and commands.

``sra_result(lang=...)`` returns a cached :class:`~imvo.risks.sra.engine.SRAResult`; the cache
key includes the state of the user-data directory, so an ``imvo data import`` is picked up on
the next call. Initiatives come from the shipped default mapping until the database is wired
in (pass ``initiatives=`` to :func:`compute_sra` to use others).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from imvo.risks.datapack.userdata import load_user_data
from imvo.risks.sra import (
    Explanation,
    Initiative,
    SRAResult,
    default_model,
    explain,
    load_default_initiatives,
    run_sra,
)
from imvo.risks.sra.render import to_payload


def userdata_dir() -> Path:
    """Where user imports live: ``settings.VAR_DIR / "userdata"`` (outside the package)."""
    return Path(settings.VAR_DIR) / "userdata"


def compute_sra(
    *, lang: str, initiatives: Mapping[str, Sequence[Initiative]] | None = None
) -> SRAResult:
    """Run the analysis now on shipped data plus the user's imports (no cache)."""
    return run_sra(
        model=default_model(),
        user_data=load_user_data(directory=userdata_dir()),
        initiatives=load_default_initiatives() if initiatives is None else initiatives,
        lang=lang,
    )


def _userdata_state(directory: Path) -> tuple[tuple[str, int, int], ...]:
    if not directory.is_dir():
        return ()
    return tuple(
        sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in directory.glob("*.csv"))
    )


@lru_cache(maxsize=8)
def _cached(lang: str, state: tuple[tuple[str, int, int], ...]) -> SRAResult:
    return compute_sra(lang=lang)


def sra_result(*, lang: str) -> SRAResult:
    """The cached analysis result for ``lang`` ('nl' or 'en')."""
    return _cached(lang, _userdata_state(userdata_dir()))


def sra_payload(
    *, lang: str, theme: str | None = None, sector: str | None = None
) -> dict[str, Any]:
    """Template-friendly plain data (same shape as ``imvo sra --format json``)."""
    return to_payload(sra_result(lang=lang), theme=theme, sector=sector)


def sra_explanation(*, nace: str, lang: str, theme: str | None = None) -> Explanation:
    """Explanation of one NACE division (raises KeyError for an unknown division or theme)."""
    return explain(result=sra_result(lang=lang), nace=nace, theme=theme)
