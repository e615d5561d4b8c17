"""Explain a sector's score: the products, countries and indicators that drive it (pure).

The explanation holds codes, numbers and sources; names and labels in Dutch or English are
added by :func:`imvo.reports.sra.explanation_payload`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from imvo.analysis.sra.countryrisk import IMPUTE_RULES
from imvo.analysis.sra.mitigation import Mitigation
from imvo.analysis.sra.result import SRAResult


@dataclass(frozen=True)
class Explanation:
    """Plain-data explanation of one sector (optionally one theme); shares add up to 1."""

    nace: str
    rank: int
    theme: str | None
    score: float
    residual_score: float
    severity: float | None
    likelihood: float | None
    imputed_share: float
    estimate_share: float
    products: list[dict[str, Any]] = field(default_factory=list)
    countries: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    themes: list[dict[str, Any]] = field(default_factory=list)
    initiatives: list[Mitigation] = field(default_factory=list)
    programme_sectors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            key: getattr(self, key)
            for key in (
                "nace",
                "rank",
                "theme",
                "score",
                "residual_score",
                "severity",
                "likelihood",
                "imputed_share",
                "estimate_share",
                "products",
                "countries",
                "indicators",
                "lines",
                "themes",
                "initiatives",
                "programme_sectors",
            )
        }


def explain(*, result: SRAResult, nace: str, theme: str | None = None, top: int = 8) -> Explanation:
    """Break a sector's score (all themes, or one) down to products, countries, indicators."""
    model = result.model
    codes = model.theme_codes
    if theme is not None and theme not in codes:
        raise KeyError(theme)
    sector = result.sector(nace)  # raises KeyError for an unknown division
    s_idx = int(np.flatnonzero(model.sectors["nace"].to_numpy() == nace)[0])
    mask = result.lines.sector_idx == s_idx
    frame = result.lines.frame.loc[mask]
    t_cols = [codes.index(theme)] if theme else list(range(len(codes)))
    contrib = result.contrib[mask][:, t_cols]
    imputed = result.imputed_contrib[mask][:, t_cols]
    evidence = result.evidence_used[mask][:, t_cols]
    line_points = contrib.sum(axis=1)
    total = float(line_points.sum()) or 1.0

    data = frame.assign(points=line_points, imputed_points=imputed.sum(axis=1))
    data["evidence"] = evidence.any(axis=1)

    products = []
    by_product = data.groupby("product", sort=False).agg(
        points=("points", "sum"), weight=("weight", "sum"), estimate=("estimate", "any")
    )
    for product, rec in by_product.sort_values("points", ascending=False).head(top).iterrows():
        meta = model.products.loc[product]
        listed = sorted(set(data.loc[(data["product"] == product) & data["evidence"], "iso3"]))
        products.append(
            {
                "product": product,
                "hs_code": meta["hs_code"] or None,
                "share": float(rec["points"]) / total,
                "points": float(rec["points"]),
                "value_chain_weight": float(rec["weight"]),
                "authored_estimate": bool(rec["estimate"]),
                "ilab_listed_in": listed,
                "rationale": meta["rationale"],
                "source": "products.csv (authored hazard levels)"
                + ("; ilab_goods_2022 (2022)" if listed else ""),
            }
        )

    countries = []
    by_country = data.groupby("iso3", sort=False).agg(
        points=("points", "sum"),
        imputed_points=("imputed_points", "sum"),
        weight=("weight", "sum"),
        estimate=("estimate", "any"),
    )
    crisk = result.country_risk
    c_index = {c: i for i, c in enumerate(crisk.countries)}
    for iso3, rec in by_country.sort_values("points", ascending=False).head(top).iterrows():
        rules = sorted({IMPUTE_RULES[int(crisk.rule[c_index[iso3], j])] for j in t_cols})
        countries.append(
            {
                "iso3": iso3,
                "share": float(rec["points"]) / total,
                "points": float(rec["points"]),
                "value_chain_weight": float(rec["weight"]),
                "imputed_share": float(rec["imputed_points"]) / float(rec["points"] or 1.0),
                "data": rules,
                "sourcing_basis": sorted(set(data.loc[data["iso3"] == iso3, "basis"])),
                "authored_estimate": bool(rec["estimate"]),
            }
        )

    indicators = _indicator_breakdown(result, mask, t_cols, total)

    lines = []
    top_lines = data.sort_values("points", ascending=False).head(top)
    for rec in top_lines.itertuples(index=False):
        lines.append(
            {
                "product": rec.product,
                "iso3": rec.iso3,
                "share": float(rec.points) / total,
                "value_chain_weight": float(rec.weight),
                "sourcing_basis": rec.basis,
                "authored_estimate": bool(rec.estimate),
                "ilab_evidence": bool(rec.evidence),
                "via": rec.via or None,
                "rationale": rec.rationale,
            }
        )

    scores = result.scores.loc[result.scores["nace"] == nace].set_index("theme")
    themes = [
        {
            "theme": code,
            "severity": float(scores.loc[code, "severity"]),
            "likelihood": float(scores.loc[code, "likelihood"]),
            "score": float(scores.loc[code, "score"]),
            "residual_score": float(scores.loc[code, "residual_score"]),
            "imputed_share": float(scores.loc[code, "imputed_share"]),
            "sources": scores.loc[code, "sources"],
        }
        for code in codes
    ]
    themes.sort(key=lambda item: item["score"], reverse=True)
    if theme:
        row = scores.loc[theme]
        score, residual = float(row["score"]), float(row["residual_score"])
        severity, likelihood = float(row["severity"]), float(row["likelihood"])
        imputed_share = float(row["imputed_share"])
        estimate_share = float(row["estimate_share"])
    else:
        score, residual = float(sector["score"]), float(sector["residual_score"])
        severity = likelihood = None
        imputed_share = float(sector["imputed_share"])
        estimate_share = float(sector["estimate_share"])
    return Explanation(
        nace=nace,
        rank=int(sector["rank"]),
        theme=theme,
        score=score,
        residual_score=residual,
        severity=severity,
        likelihood=likelihood,
        imputed_share=imputed_share,
        estimate_share=estimate_share,
        products=products,
        countries=countries,
        indicators=indicators,
        lines=lines,
        themes=themes,
        initiatives=list(sector["initiatives"]),
        programme_sectors=list(sector["programme_sectors"]),
    )


def _indicator_breakdown(
    result: SRAResult, mask: np.ndarray, t_cols: list[int], total: float
) -> list[dict[str, Any]]:
    """Split each line's points over ILAB evidence, the indicators and imputation."""
    model = result.model
    crisk = result.country_risk
    c = result.lines.country_idx[mask]
    contrib = result.contrib[mask]
    evidence = result.evidence_used[mask]
    raw = crisk.raw[c]  # (n_l, n_i)
    available = ~np.isnan(raw)
    filled = np.where(available, raw, 0.0)
    points: dict[str, float] = {}
    for j in t_cols:
        col = contrib[:, j]
        ev = evidence[:, j]
        points["ilab_goods_2022"] = points.get("ilab_goods_2022", 0.0) + float(col[ev].sum())
        measured = col * (1.0 - crisk.imputed[c, j]) * ~ev
        imputed = col * crisk.imputed[c, j] * ~ev
        weighted = filled * crisk.weights[:, j][None, :]
        denom = weighted.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            parts = np.where(denom[:, None] > 0, weighted / denom[:, None], 0.0)
        per_indicator = (parts * measured[:, None]).sum(axis=0)
        for i, key in enumerate(crisk.indicator_ids):
            if per_indicator[i] > 0:
                points[key] = points.get(key, 0.0) + float(per_indicator[i])
        for rule in np.unique(crisk.rule[c, j]):
            sel = crisk.rule[c, j] == rule
            value = float(imputed[sel].sum())
            if value > 0:
                label = f"imputed:{IMPUTE_RULES[int(rule)]}"
                points[label] = points.get(label, 0.0) + value
    out = []
    for key, value in sorted(points.items(), key=lambda kv: kv[1], reverse=True):
        if value <= 0:
            continue
        if key == "ilab_goods_2022":
            desc = model.pack["ilab_goods_2022"].descriptor
            source = f"{desc.id} ({desc.edition}), {desc.publisher}"
        elif key.startswith("imputed:"):
            source = "imputation rule (docs/methodology/sra.md)"
        else:
            ind = model.indicators[key]
            if ind.dataset:
                desc = model.pack[ind.dataset].descriptor
                source = f"{desc.id}.{ind.column} ({desc.edition})"
                if ind.fallback:
                    fb = model.indicators[ind.fallback]
                    source += f"; fallback {fb.column} where blank"
            else:
                source = f"user:{ind.user} (user import)"
        out.append({"indicator": key, "source": source, "share": value / total})
    return out


def explanation_frame(explanation: Explanation) -> pd.DataFrame:
    """Top lines as a DataFrame (handy for CSV output of an explanation)."""
    return pd.DataFrame(explanation.lines)
