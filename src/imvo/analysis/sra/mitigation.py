"""Existing initiatives as mitigation: the share of a sector's inherent risk they address.

The programme's records (sectors with their NACE codes, initiatives with a coverage estimate)
are passed in by the caller as plain data; nothing here reads files or a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from imvo.analysis.sra.model import SRAModel, divisions_of
from imvo.core.errors import DataError

MAX_MITIGATION = 0.5  # initiatives never remove more than half of the inherent score


@dataclass(frozen=True, slots=True)
class Mitigation:
    """An existing initiative that addresses part of a sector's risk on some themes.

    (The programme's record of an initiative is ``imvo.initiatives.models.Initiative``.)
    """

    name: str
    themes: tuple[str, ...]
    strength: float  # 0-1: share of the inherent risk on those themes it plausibly addresses
    source: str = "default"


def mitigations_from_records(records: Iterable[Mapping[str, Any]]) -> dict[str, list[Mitigation]]:
    """Sector slug → the initiatives with a coverage estimate that address its risk.

    ``records`` are plain dicts with ``name``, ``sectors`` (slugs), ``risk_themes``,
    ``coverage`` (0-1 or None: not assessed) and ``source`` (a citation).
    """
    result: dict[str, list[Mitigation]] = {}
    for rec in records:
        if rec.get("coverage") is None or not rec.get("risk_themes"):
            continue
        item = Mitigation(
            name=str(rec["name"]),
            themes=tuple(rec["risk_themes"]),
            strength=float(rec["coverage"]),
            source=str(rec["source"]),
        )
        for slug in rec.get("sectors", []):
            result.setdefault(str(slug), []).append(item)
    return result


def programme_divisions(
    *, programme: Mapping[str, Iterable[str]] | None, divisions: Iterable[str]
) -> dict[str, tuple[str, ...]]:
    """Programme sector slug → the NACE divisions its NACE codes lie in ("64.19" → "64")."""
    known = set(divisions)
    out: dict[str, tuple[str, ...]] = {}
    for slug, codes in (programme or {}).items():
        mapped = tuple(divisions_of(codes))
        unknown = [d for d in mapped if d not in known]
        if unknown:
            raise DataError(f"sector '{slug}': unknown NACE division(s) {', '.join(unknown)}")
        out[slug] = mapped
    return out


def slugs_per_division(
    programme: Mapping[str, Sequence[str]], naces: Sequence[str]
) -> list[tuple[str, ...]]:
    """For each division, the programme sectors (slugs) that lie in it, in programme order."""
    return [tuple(slug for slug, divs in programme.items() if nace in divs) for nace in naces]


def mitigation_matrix(
    *,
    model: SRAModel,
    programme: Mapping[str, Sequence[str]],
    initiatives: Mapping[str, Sequence[Mitigation]] | None,
) -> tuple[np.ndarray, dict[str, list[Mitigation]]]:
    """(n_sectors, n_themes) share of inherent risk addressed, capped at MAX_MITIGATION.

    ``programme`` maps slugs to divisions (:func:`programme_divisions`); ``initiatives`` are
    keyed by programme sector slug or by NACE division.
    """
    codes = model.theme_codes
    naces = list(model.sectors["nace"])
    remaining = np.ones((len(naces), len(codes)))
    per_sector: dict[str, list[Mitigation]] = {}
    for key, items in (initiatives or {}).items():
        if key in programme:
            targets = tuple(programme[key])
        elif key in naces:
            targets = (key,)
        else:
            raise DataError(f"initiatives: unknown sector slug or NACE division {key!r}")
        for item in items:
            if not 0 <= item.strength <= 1:
                raise DataError(f"initiative {item.name!r}: strength outside [0, 1]")
            unknown = [t for t in item.themes if t not in codes]
            if unknown:
                raise DataError(f"initiative {item.name!r}: unknown theme(s) {unknown}")
            cols = [codes.index(t) for t in item.themes]
            for nace in targets:
                remaining[naces.index(nace), cols] *= 1.0 - item.strength
                per_sector.setdefault(nace, []).append(item)
    return np.minimum(1.0 - remaining, MAX_MITIGATION), per_sector
