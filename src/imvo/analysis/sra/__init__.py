"""Sector Risk Analysis (SRA): an open, reproducible IRBC risk heat map of the Dutch economy.

Pure engine (no Django). Typical use::

    from imvo.analysis.sra import default_model, load_reference_initiatives, run_sra, explain
    result = run_sra(model=default_model(), initiatives=load_reference_initiatives(), lang="nl")
    result.scores      # one row per NACE division x theme
    explain(result=result, nace="14", theme="forced_labour")

See docs/methodology/sra.md for the method.
"""

from __future__ import annotations

from imvo.analysis.sra.engine import METHOD_VERSION, SRAResult, run_sra
from imvo.analysis.sra.explain import Explanation, explain
from imvo.analysis.sra.model import (
    THEME_CODES,
    Initiative,
    SRADataError,
    SRAModel,
    default_model,
    initiatives_from_records,
    load_model,
    load_reference_initiatives,
    programme_sectors,
)

__all__ = [
    "METHOD_VERSION",
    "THEME_CODES",
    "Explanation",
    "Initiative",
    "SRADataError",
    "SRAModel",
    "SRAResult",
    "default_model",
    "explain",
    "initiatives_from_records",
    "load_model",
    "load_reference_initiatives",
    "programme_sectors",
    "run_sra",
]
