"""Country x theme risk from the indicators, with documented imputation, and ILAB evidence.

Each indicator value (latest year per country) becomes a risk in [0, 1] by a fixed linear
transform; a theme's country risk is the weighted mean of its available indicators. Missing
data is never silently zero: every imputed value carries its rule (``IMPUTE_*``) and the share
of the value that rests on it. See docs/methodology/sra.md, sections 3 and 4.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from imvo.analysis.sra.model import SRAModel
from imvo.opendata.userdata import UserData

REST_OF_WORLD = "ROW"  # pseudo-country for the part of a product's supply not attributed
DERIVED_FORCED_LABOUR_EVIDENCE = 0.75  # ILAB "produced with inputs made with forced labour"
PRECAUTIONARY_QUANTILE = 0.75  # imputation where a country has no data at all
GOVERNANCE_INDICATORS = (
    "wgi_control_of_corruption",
    "wgi_government_effectiveness",
    "wgi_political_stability",
    "wgi_regulatory_quality",
    "wgi_rule_of_law",
    "wgi_voice_accountability",
)

# How a country x theme value was obtained (for explain output).
IMPUTE_NONE = 0
IMPUTE_PARTIAL = 1  # some indicators of the theme missing: mean of the others
IMPUTE_GOVERNANCE = 2  # none of the theme's indicators: the country's mean WGI risk
IMPUTE_PRECAUTIONARY = 3  # no data at all: 75th percentile of all countries
IMPUTE_REST_OF_WORLD = 4  # unattributed supply: median of all countries
IMPUTE_RULES = {
    IMPUTE_NONE: "measured",
    IMPUTE_PARTIAL: "partly imputed: missing indicators replaced by the mean of the others",
    IMPUTE_GOVERNANCE: "imputed: the country's mean governance risk (WGI)",
    IMPUTE_PRECAUTIONARY: "imputed: 75th percentile of all countries (precautionary)",
    IMPUTE_REST_OF_WORLD: "imputed: median of all countries (rest of world)",
}


@dataclass(frozen=True)
class CountryRisk:
    """Country x theme risk with the indicator values behind it."""

    countries: tuple[str, ...]  # incl. REST_OF_WORLD as the last entry
    indicator_ids: tuple[str, ...]
    raw: np.ndarray  # (n_c, n_i) indicator risk in [0, 1], NaN = missing
    years: np.ndarray  # (n_c, n_i) data year, NaN = missing
    substituted: np.ndarray  # (n_c, n_i) bool: value comes from the indicator's fallback
    weights: np.ndarray  # (n_i, n_t)
    risk: np.ndarray  # (n_c, n_t) in [0, 1]
    imputed: np.ndarray  # (n_c, n_t) share of the value that is imputed, 0..1
    rule: np.ndarray  # (n_c, n_t) IMPUTE_* code


def _latest(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Latest non-missing value per country (with its year, if the data have years)."""
    cols = ["iso3", column] + (["year"] if "year" in frame.columns else [])
    data = frame[cols].dropna(subset=[column])
    if "year" in data.columns:
        data = data.sort_values(["iso3", "year"]).groupby("iso3", sort=False).tail(1)
    else:
        data = data.assign(year=np.nan)
    return data.set_index("iso3")


def _indicator_values(
    model: SRAModel, user_data: UserData, indicator_id: str, index: pd.Index
) -> tuple[np.ndarray, np.ndarray] | None:
    ind = model.indicators[indicator_id]
    if ind.dataset:
        frame = model.pack[ind.dataset].frame
    else:
        user_frame = user_data.get(str(ind.user))
        if user_frame is None:
            return None
        frame = user_frame
    latest = _latest(frame, ind.column).reindex(index)
    values = ind.transform(latest[ind.column].to_numpy(dtype=float))
    return values, latest["year"].to_numpy(dtype=float)


def country_risk(*, model: SRAModel, user_data: UserData) -> CountryRisk:
    """Country x theme risk in [0, 1] from the indicators, with documented imputation."""
    countries = (*model.countries, REST_OF_WORLD)
    index = pd.Index(countries)
    n_c = len(countries)
    active: list[str] = []
    columns: list[np.ndarray] = []
    years: list[np.ndarray] = []
    substituted: list[np.ndarray] = []
    for theme in model.themes:
        for key in theme.indicators:
            if key in active:
                continue
            got = _indicator_values(model, user_data, key, index)
            if got is None:  # a user index that was not imported
                continue
            values, year = got
            sub = np.zeros(n_c, dtype=bool)
            fallback = model.indicators[key].fallback
            if fallback:
                fb = _indicator_values(model, user_data, fallback, index)
                if fb is not None:
                    sub = np.isnan(values) & ~np.isnan(fb[0])
                    values = np.where(sub, fb[0], values)
                    year = np.where(sub, fb[1], year)
            active.append(key)
            columns.append(values)
            years.append(year)
            substituted.append(sub)
    raw = np.column_stack(columns)
    yrs = np.column_stack(years)
    subs = np.column_stack(substituted)
    raw[-1, :] = np.nan  # rest of world has no measured values
    weights = np.zeros((len(active), len(model.themes)))
    for j, theme in enumerate(model.themes):
        for key, weight in theme.indicators.items():
            if key in active:
                weights[active.index(key), j] = weight

    available = ~np.isnan(raw)
    filled = np.where(available, raw, 0.0)
    num = filled @ weights
    den = available.astype(float) @ weights
    total = weights.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        risk = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    imputed = np.where(den > 0, 1.0 - den / total, 1.0)
    rule = np.where(den >= total - 1e-12, IMPUTE_NONE, IMPUTE_PARTIAL)

    gov_idx = [active.index(k) for k in GOVERNANCE_INDICATORS if k in active]
    gov = raw[:, gov_idx]
    gov_ok = (~np.isnan(gov)).any(axis=1)
    gov_sum = np.where(np.isnan(gov), 0.0, gov).sum(axis=1)
    gov_count = (~np.isnan(gov)).sum(axis=1)
    gov_mean = np.where(gov_ok, gov_sum / np.maximum(gov_count, 1), np.nan)
    measured = den > 0
    measured[-1, :] = False
    precaution = np.array(
        [
            np.quantile(risk[measured[:, j], j], PRECAUTIONARY_QUANTILE)
            if measured[:, j].any()
            else 0.5
            for j in range(len(model.themes))
        ]
    )
    median = np.array(
        [
            np.median(risk[measured[:, j], j]) if measured[:, j].any() else 0.5
            for j in range(len(model.themes))
        ]
    )
    missing = ~(den > 0)
    use_gov = missing & gov_ok[:, None]
    risk = np.where(use_gov, gov_mean[:, None], risk)
    rule = np.where(use_gov, IMPUTE_GOVERNANCE, rule)
    still = np.isnan(risk)
    risk = np.where(still, precaution[None, :], risk)
    rule = np.where(still, IMPUTE_PRECAUTIONARY, rule)
    risk[-1, :] = median
    imputed[-1, :] = 1.0
    rule[-1, :] = IMPUTE_REST_OF_WORLD
    return CountryRisk(
        countries=countries,
        indicator_ids=tuple(active),
        raw=raw,
        years=yrs,
        substituted=subs,
        weights=weights,
        risk=risk,
        imputed=imputed,
        rule=rule,
    )


def evidence_matrix(*, model: SRAModel, countries: Sequence[str]) -> np.ndarray:
    """(n_products, n_countries, n_themes) documented product x country evidence in [0, 1].

    A good on the ILAB 2022 List for a country sets likelihood 1 for child or forced labour;
    goods produced with inputs made with forced labour set 0.75 for forced labour.
    """
    codes = model.theme_codes
    evidence = np.zeros((len(model.products), len(countries), len(codes)))
    ilab = model.pack["ilab_goods_2022"].frame
    c_index = {c: i for i, c in enumerate(countries)}
    good_to_products: dict[str, list[int]] = {}
    for p_i, goods in enumerate(model.products["ilab_goods"]):
        for good in goods:
            good_to_products.setdefault(good, []).append(p_i)
    child = codes.index("child_labour")
    forced = codes.index("forced_labour")
    for rec in ilab.itertuples(index=False):
        for p_i in good_to_products.get(rec.good, ()):
            c_i = c_index[rec.iso3]
            if rec.child_labor or rec.forced_child_labor:
                evidence[p_i, c_i, child] = 1.0
            if rec.forced_labor or rec.forced_child_labor:
                evidence[p_i, c_i, forced] = 1.0
            if rec.derived_labor_exploitation:
                evidence[p_i, c_i, forced] = max(
                    evidence[p_i, c_i, forced], DERIVED_FORCED_LABOUR_EVIDENCE
                )
    return evidence
