"""The result of a Sector Risk Analysis run: plain data, no language, no prose.

Names and labels in Dutch or English, notes and the joining of lists into text are rendering
concerns (:mod:`imvo.reports.sra`); the result holds codes, numbers and lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from imvo.analysis.sra.countryrisk import CountryRisk
from imvo.analysis.sra.model import SRAModel
from imvo.analysis.sra.valuechains import Lines
from imvo.opendata.userdata import UserData

METHOD_VERSION = "sra-1.0"


@dataclass(frozen=True)
class SRAResult:
    """Everything an output format or the web layer needs; plain data only.

    ``sectors``: one row per NACE division, ranked (rank, nace, section, score,
    residual_score, imputed_share, estimate_share, top_theme, programme_sectors: tuple of
    slugs, initiatives: tuple of :class:`~imvo.analysis.sra.mitigation.Mitigation`).
    ``scores``: one row per division x theme (nace, theme, severity, likelihood, score,
    residual_score, rank, imputed_share, exposure, mitigation, estimate_share, sources: tuple).
    """

    method_version: str
    scores: pd.DataFrame
    sectors: pd.DataFrame
    datasets: list[dict[str, Any]]
    lines: Lines = field(repr=False)
    contrib: np.ndarray = field(repr=False)  # (n_lines, n_t), score points (0-100 scale)
    imputed_contrib: np.ndarray = field(repr=False)
    evidence_used: np.ndarray = field(repr=False)  # (n_lines, n_t) bool
    country_risk: CountryRisk = field(repr=False)
    model: SRAModel = field(repr=False)
    user_data: UserData = field(repr=False)

    def sector(self, nace: str) -> pd.Series:
        """The ranked row of one division (KeyError for an unknown division)."""
        match = self.sectors.loc[self.sectors["nace"] == nace]
        if match.empty:
            raise KeyError(nace)
        return match.iloc[0]

    def theme_sources(self, code: str) -> tuple[str, ...]:
        """The sources behind a theme's scores (the same for every division)."""
        rows = self.scores.loc[self.scores["theme"] == code, "sources"]
        return tuple(rows.iloc[0]) if len(rows) else ()
