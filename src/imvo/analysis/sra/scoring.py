"""The arithmetic of the scores: severity, likelihood, their combination and the ranking.

Per value-chain line l = (sector s, product p, country c, weight w) and theme t:

    hazard      h = H[p, t]                  product hazard level / 3, authored (products.csv)
    likelihood  λ = max(C[c, t], E[p, c, t])  country indicator risk, or documented evidence
    contrib     g_t · w · h · λ               g_t = theme gravity (scale + irremediability) / 2

    exposure[s,t]   = Σ w·h                  (scope x intensity of hazardous products)
    severity[s,t]   = g_t · exposure[s,t]
    likelihood[s,t] = Σ w·h·λ / exposure[s,t]
    score[s,t]      = 100 · severity · likelihood = 100 · Σ contrib
    residual[s,t]   = score · (1 - mitigation[s,t])

The cost is linear in the number of lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Scores:
    """Per-line contributions and per-sector (x theme) results, as arrays."""

    contrib: np.ndarray  # (n_lines, n_t) score points (0-100 scale)
    imputed_contrib: np.ndarray  # (n_lines, n_t)
    evidence_used: np.ndarray  # (n_lines, n_t) bool
    exposure: np.ndarray  # (n_s, n_t)
    severity: np.ndarray
    likelihood: np.ndarray
    score: np.ndarray
    residual: np.ndarray
    imputed_share: np.ndarray
    estimate_share: np.ndarray
    overall: np.ndarray  # (n_s,)
    overall_residual: np.ndarray
    overall_imputed: np.ndarray
    overall_estimate: np.ndarray
    rank: np.ndarray  # (n_s,) 1 = highest overall score


def group_sum(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Sum the rows of ``values`` per group ``index`` (0..size-1)."""
    out = np.zeros((size, values.shape[1]))
    np.add.at(out, index, values)
    return out


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole > 0, part / whole, 0.0)


def combine(
    *,
    gravity: np.ndarray,
    hazard: np.ndarray,
    country_risk: np.ndarray,
    country_imputed: np.ndarray,
    evidence: np.ndarray,
    weight: np.ndarray,
    estimate: np.ndarray,
    sector_idx: np.ndarray,
    n_sectors: int,
    mitigation: np.ndarray,
) -> Scores:
    """Combine per-line hazard, likelihood and weight into sector x theme scores.

    ``hazard``, ``country_risk``, ``country_imputed`` and ``evidence`` are per line and theme
    (n_lines, n_t); ``weight``, ``estimate`` and ``sector_idx`` per line; ``mitigation`` per
    sector and theme.
    """
    evidence_used = evidence > country_risk
    likelihood_line = np.where(evidence_used, evidence, country_risk)
    imputed_line = np.where(evidence_used, 0.0, country_imputed)
    wh = weight[:, None] * hazard
    contrib = 100.0 * gravity[None, :] * wh * likelihood_line
    imputed_contrib = contrib * imputed_line
    estimate_contrib = contrib * estimate[:, None]

    exposure = group_sum(sector_idx, wh, n_sectors)
    score = group_sum(sector_idx, contrib, n_sectors)
    imputed_sum = group_sum(sector_idx, imputed_contrib, n_sectors)
    estimate_sum = group_sum(sector_idx, estimate_contrib, n_sectors)
    severity = gravity[None, :] * exposure
    with np.errstate(invalid="ignore", divide="ignore"):
        likelihood = np.where(exposure > 0, score / (100.0 * gravity[None, :] * exposure), 0.0)
    residual = score * (1.0 - mitigation)
    overall = score.mean(axis=1)
    total = score.sum(axis=1)
    rank = pd.Series(overall).rank(method="min", ascending=False).astype(int).to_numpy()
    return Scores(
        contrib=contrib,
        imputed_contrib=imputed_contrib,
        evidence_used=evidence_used,
        exposure=exposure,
        severity=severity,
        likelihood=likelihood,
        score=score,
        residual=residual,
        imputed_share=_share(imputed_sum, score),
        estimate_share=_share(estimate_sum, score),
        overall=overall,
        overall_residual=residual.mean(axis=1),
        overall_imputed=_share(imputed_sum.sum(axis=1), total),
        overall_estimate=_share(estimate_sum.sum(axis=1), total),
        rank=rank,
    )
