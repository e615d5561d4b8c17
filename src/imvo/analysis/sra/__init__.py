"""Sector Risk Analysis (SRA): an open, reproducible IRBC risk heat map of the Dutch economy.

Pure engine (no Django, no language). Typical use::

    from imvo.analysis.sra import default_model, mitigations_from_records, run_sra, explain
    result = run_sra(
        model=default_model(),
        programme={"textile": ["13", "14"]},            # slug -> NACE codes
        initiatives=mitigations_from_records(records),  # slug or NACE -> Mitigation
    )
    result.scores      # one row per NACE division x theme
    explain(result=result, nace="14", theme="forced_labour")

Names, notes and labels in Dutch or English are added by :mod:`imvo.reports.sra`. The
programme's sectors and initiatives come from its records (:mod:`imvo.risks.selectors`).
See docs/methodology/sra.md for the method.
"""

from __future__ import annotations

from imvo.analysis.sra.engine import run_sra
from imvo.analysis.sra.explain import Explanation, explain
from imvo.analysis.sra.mitigation import MAX_MITIGATION, Mitigation, mitigations_from_records
from imvo.analysis.sra.model import (
    THEME_CODES,
    RiskTheme,
    SRAModel,
    default_model,
    divisions_of,
    load_model,
)
from imvo.analysis.sra.result import METHOD_VERSION, SRAResult

__all__ = [
    "MAX_MITIGATION",
    "METHOD_VERSION",
    "THEME_CODES",
    "Explanation",
    "Mitigation",
    "RiskTheme",
    "SRAModel",
    "SRAResult",
    "default_model",
    "divisions_of",
    "explain",
    "load_model",
    "mitigations_from_records",
    "run_sra",
]
