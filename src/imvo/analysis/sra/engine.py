"""The Sector Risk Analysis computation (pure, vectorised with NumPy/pandas, no Django).

Per value-chain line l = (sector s, product p, country c, weight w) and theme t:

    hazard      h = H[p, t]                  product hazard level / 3, authored (products.csv)
    likelihood  λ = max(C[c, t], E[p, c, t])  country indicator risk, or documented evidence
    contrib     g_t · w · h · λ               g_t = theme gravity (scale + irremediability) / 2

    exposure[s,t]   = Σ w·h                  (scope x intensity of hazardous products)
    severity[s,t]   = g_t · exposure[s,t]
    likelihood[s,t] = Σ w·h·λ / exposure[s,t]
    score[s,t]      = 100 · severity · likelihood = 100 · Σ contrib
    residual[s,t]   = score · (1 - mitigation[s,t])

The cost is linear in the number of lines. See docs/methodology/sra.md for the rules on missing
data (never silently zero), normalisation and the limitations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from imvo.analysis.sra.model import Initiative, SRAModel
from imvo.opendata.userdata import FINANCIAL, USER_KINDS, UserData

METHOD_VERSION = "sra-1.0"
REST_OF_WORLD = "ROW"  # pseudo-country for the part of a product's supply not attributed
MAX_MITIGATION = 0.5  # initiatives never remove more than half of the inherent score
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


@dataclass(frozen=True)
class Lines:
    """Expanded value-chain lines: one row per sector x product x country."""

    frame: pd.DataFrame  # sector_idx, nace, product, iso3, weight, basis, estimate, via
    sector_idx: np.ndarray
    product_idx: np.ndarray
    country_idx: np.ndarray
    weight: np.ndarray


@dataclass(frozen=True)
class SRAResult:
    """Everything an output format or the web layer needs; plain data only."""

    lang: str
    method_version: str
    themes: list[dict[str, Any]]
    scores: pd.DataFrame  # one row per sector x theme
    sectors: pd.DataFrame  # one row per sector, ranked
    datasets: list[dict[str, Any]]
    notes: list[str]
    lines: Lines = field(repr=False)
    contrib: np.ndarray = field(repr=False)  # (n_lines, n_t), score points (0-100 scale)
    imputed_contrib: np.ndarray = field(repr=False)
    evidence_used: np.ndarray = field(repr=False)  # (n_lines, n_t) bool
    country_risk: CountryRisk = field(repr=False)
    model: SRAModel = field(repr=False)
    user_data: UserData = field(repr=False)

    def sector(self, nace: str) -> pd.Series:
        match = self.sectors.loc[self.sectors["nace"] == nace]
        if match.empty:
            raise KeyError(nace)
        return match.iloc[0]


# --------------------------------------------------------------------------- country risk


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


# --------------------------------------------------------------------------- evidence


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


# --------------------------------------------------------------------------- sourcing


def product_sources(*, model: SRAModel, user_data: UserData) -> pd.DataFrame:
    """Sourcing shares per product; user import statistics replace authored estimates.

    Any part of a product's supply not attributed to a country becomes a REST_OF_WORLD line
    whose country risk is imputed (and counted as such).
    """
    sources = model.sources[["product", "iso3", "share", "basis", "rationale"]].copy()
    sources["estimate"] = sources["basis"] == "authored_estimate"
    imports = user_data.get("imports")
    if imports is not None and len(imports):
        replaced = []
        frames = [sources]
        hs_of = model.products["hs_code"]
        for product, hs in hs_of.items():
            if not hs:
                continue
            match = imports[
                imports["hs_code"].str.len().ge(len(hs)) & imports["hs_code"].str.startswith(hs)
            ]
            if match.empty:
                continue
            year = int(match["year"].max())
            match = match[match["year"] == year]
            by_country = match.groupby("partner_iso3")["value_eur"].sum()
            total = float(by_country.sum())
            if total <= 0:
                continue
            replaced.append(product)
            frames.append(
                pd.DataFrame(
                    {
                        "product": product,
                        "iso3": by_country.index.astype(str),
                        "share": by_country.to_numpy() / total,
                        "basis": f"user:imports {year}",
                        "rationale": f"share of import value, HS {hs}, {year}",
                        "estimate": False,
                    }
                )
            )
        frames[0] = sources[~sources["product"].isin(replaced)]
        sources = pd.concat(frames, ignore_index=True)
    totals = sources.groupby("product", sort=False)["share"].sum()
    rest = totals[totals < 1 - 1e-9]
    if len(rest):
        estimate = sources.groupby("product", sort=False)["estimate"].any()
        sources = pd.concat(
            [
                sources,
                pd.DataFrame(
                    {
                        "product": rest.index,
                        "iso3": REST_OF_WORLD,
                        "share": 1.0 - rest.to_numpy(),
                        "basis": "rest_of_world",
                        "rationale": "supply not attributed to a listed country",
                        "estimate": estimate.reindex(rest.index).to_numpy(),
                    }
                ),
            ],
            ignore_index=True,
        )
    return sources


# --------------------------------------------------------------------------- value chains


def _portfolio_lines(portfolio: pd.DataFrame | None, nace: str) -> pd.DataFrame | None:
    if portfolio is None or portfolio.empty or nace not in FINANCIAL:
        return None
    frame = portfolio
    if "financial_nace" in frame.columns:
        target = frame["financial_nace"]
        frame = frame[target.isna() | (target == nace)]
    if frame.empty or float(frame["weight"].sum()) <= 0:
        return None
    return frame


def expand_value_chains(*, model: SRAModel, user_data: UserData) -> pd.DataFrame:
    """Resolve profiles and sector references into (nace, product, weight, country, via).

    Weights are normalised per sector. ``country`` overrides the sourcing countries (used for
    the own operations of a sector financed in a given country through a user portfolio).
    """
    chains = dict(iter(model.chains.groupby("nace", sort=False)))
    profiles = dict(iter(model.profiles.groupby("profile", sort=False)))
    portfolio = user_data.get("portfolio")
    memo: dict[str, list[tuple[str, float, str | None, str]]] = {}

    def expand_items(
        rows: pd.DataFrame, stack: tuple[str, ...]
    ) -> list[tuple[str, float, str | None, str]]:
        out: list[tuple[str, float, str | None, str]] = []
        total = float(rows["weight"].sum())
        for item, weight in zip(rows["item"], rows["weight"], strict=True):
            share = float(weight) / total
            kind, _, ref = item.partition(":")
            if not ref:
                out.append((item, share, None, ""))
                continue
            if kind == "profile":
                sub = expand_items(profiles[ref], (*stack, item))
            else:
                sub = expand_sector(ref, stack)
            for product, w, country, via in sub:
                out.append((product, share * w, country, item + (" > " + via if via else "")))
        return out

    def expand_sector(
        nace: str, stack: tuple[str, ...]
    ) -> list[tuple[str, float, str | None, str]]:
        if nace in memo:
            return memo[nace]
        if f"sector:{nace}" in stack:
            raise ValueError(f"value_chains.csv: circular sector reference via {nace}")
        stack = (*stack, f"sector:{nace}")
        folio = _portfolio_lines(portfolio, nace)
        if folio is not None:
            own = chains[nace][chains[nace]["item"].str.startswith("profile:office")]
            lines = expand_items(own, stack) if not own.empty else []
            own_share = float(own["weight"].sum()) if not own.empty else 0.0
            lines = [(p, w * own_share, c, v) for p, w, c, v in lines]
            total = float(folio["weight"].sum())
            for ref, iso3, weight in zip(
                folio["nace"], folio["iso3"], folio["weight"], strict=True
            ):
                share = (1.0 - own_share) * float(weight) / total
                for product, w, country, via in expand_sector(ref, stack):
                    if product == "own_operations" and country is None:
                        country = iso3
                    label = f"portfolio:{ref}/{iso3}" + (" > " + via if via else "")
                    lines.append((product, share * w, country, label))
        else:
            lines = expand_items(chains[nace], stack)
        memo[nace] = lines
        return lines

    records = []
    for nace in model.sectors["nace"]:
        for product, weight, country, via in expand_sector(nace, ()):
            records.append((nace, product, weight, country, via))
    frame = pd.DataFrame.from_records(
        records, columns=["nace", "product", "weight", "country", "via"]
    )
    return (
        frame.groupby(["nace", "product", "country", "via"], dropna=False, sort=False)["weight"]
        .sum()
        .reset_index()
    )


def build_lines(*, model: SRAModel, user_data: UserData, countries: Sequence[str]) -> Lines:
    """Cross the value chains with the sourcing countries into sector x product x country."""
    chain = expand_value_chains(model=model, user_data=user_data)
    sources = product_sources(model=model, user_data=user_data)
    fixed = chain[chain["country"].notna()].copy()
    free = chain[chain["country"].isna()].drop(columns="country")
    merged = free.merge(sources, on="product", how="left", validate="many_to_many")
    merged["weight"] = merged["weight"] * merged["share"]
    fixed = fixed.rename(columns={"country": "iso3"})
    fixed["share"] = 1.0
    fixed["basis"] = "user:portfolio"
    fixed["rationale"] = "country of the financed activity (user portfolio)"
    fixed["estimate"] = False
    frame = pd.concat([merged, fixed], ignore_index=True)
    sector_index = pd.Index(model.sectors["nace"])
    product_index = pd.Index(model.products.index)
    country_index = pd.Index(countries)
    frame["sector_idx"] = sector_index.get_indexer(frame["nace"])
    frame = frame.sort_values(["sector_idx", "weight"], ascending=[True, False], kind="stable")
    frame = frame.reset_index(drop=True)
    return Lines(
        frame=frame,
        sector_idx=frame["sector_idx"].to_numpy(),
        product_idx=product_index.get_indexer(frame["product"]),
        country_idx=country_index.get_indexer(frame["iso3"]),
        weight=frame["weight"].to_numpy(dtype=float),
    )


# --------------------------------------------------------------------------- initiatives


def mitigation_matrix(
    *,
    model: SRAModel,
    initiatives: Mapping[str, Sequence[Initiative]] | None,
) -> tuple[np.ndarray, dict[str, list[Initiative]]]:
    """(n_sectors, n_themes) share of inherent risk addressed, capped at MAX_MITIGATION."""
    codes = model.theme_codes
    naces = list(model.sectors["nace"])
    remaining = np.ones((len(naces), len(codes)))
    per_sector: dict[str, list[Initiative]] = {}
    for key, items in (initiatives or {}).items():
        if key in model.programme:
            targets = model.programme[key].nace
        elif key in naces:
            targets = (key,)
        else:
            raise ValueError(f"initiatives: unknown sector slug or NACE division {key!r}")
        for item in items:
            if not 0 <= item.strength <= 1:
                raise ValueError(f"initiative {item.name!r}: strength outside [0, 1]")
            unknown = [t for t in item.themes if t not in codes]
            if unknown:
                raise ValueError(f"initiative {item.name!r}: unknown theme(s) {unknown}")
            cols = [codes.index(t) for t in item.themes]
            for nace in targets:
                remaining[naces.index(nace), cols] *= 1.0 - item.strength
                per_sector.setdefault(nace, []).append(item)
    return np.minimum(1.0 - remaining, MAX_MITIGATION), per_sector


# --------------------------------------------------------------------------- run


def _group_sum(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros((size, values.shape[1]))
    np.add.at(out, index, values)
    return out


def run_sra(
    *,
    model: SRAModel,
    user_data: UserData | None = None,
    initiatives: Mapping[str, Sequence[Initiative]] | None = None,
    lang: str = "nl",
) -> SRAResult:
    """Compute sector x theme severity, likelihood, inherent and residual scores."""
    if lang not in ("nl", "en"):
        raise ValueError(f"lang must be 'nl' or 'en', not {lang!r}")
    user_data = user_data or UserData()
    codes = model.theme_codes
    n_s, n_t = len(model.sectors), len(codes)

    crisk = country_risk(model=model, user_data=user_data)
    evidence = evidence_matrix(model=model, countries=crisk.countries)
    lines = build_lines(model=model, user_data=user_data, countries=crisk.countries)
    p, c, s, w = lines.product_idx, lines.country_idx, lines.sector_idx, lines.weight

    gravity = np.array([t.gravity for t in model.themes])
    hazard = model.hazards[p]  # (n_l, n_t)
    base = crisk.risk[c]
    ev = evidence[p, c]
    evidence_used = ev > base
    likelihood_line = np.where(evidence_used, ev, base)
    imputed_line = np.where(evidence_used, 0.0, crisk.imputed[c])
    wh = w[:, None] * hazard
    contrib = 100.0 * gravity[None, :] * wh * likelihood_line
    imputed_contrib = contrib * imputed_line
    estimate_contrib = contrib * lines.frame["estimate"].to_numpy(dtype=bool)[:, None]

    exposure = _group_sum(s, wh, n_s)
    score = _group_sum(s, contrib, n_s)
    imputed_sum = _group_sum(s, imputed_contrib, n_s)
    estimate_sum = _group_sum(s, estimate_contrib, n_s)
    severity = gravity[None, :] * exposure
    with np.errstate(invalid="ignore", divide="ignore"):
        likelihood = np.where(exposure > 0, score / (100.0 * gravity[None, :] * exposure), 0.0)
        imputed_share = np.where(score > 0, imputed_sum / score, 0.0)
        estimate_share = np.where(score > 0, estimate_sum / score, 0.0)
    mitigation, per_sector = mitigation_matrix(model=model, initiatives=initiatives)
    residual = score * (1.0 - mitigation)

    overall = score.mean(axis=1)
    overall_residual = residual.mean(axis=1)
    total = score.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        overall_imputed = np.where(total > 0, imputed_sum.sum(axis=1) / total, 0.0)
        overall_estimate = np.where(total > 0, estimate_sum.sum(axis=1) / total, 0.0)
    rank = pd.Series(overall).rank(method="min", ascending=False).astype(int).to_numpy()

    name_col = "name_nl" if lang == "nl" else "name_en"
    naces = model.sectors["nace"].to_numpy()
    theme_sources = _theme_sources(model, crisk)
    sectors = pd.DataFrame(
        {
            "rank": rank,
            "nace": naces,
            "sector": model.sectors[name_col].to_numpy(),
            "section": model.sectors["section"].to_numpy(),
            "score": overall,
            "residual_score": overall_residual,
            "imputed_share": overall_imputed,
            "estimate_share": overall_estimate,
            "top_theme": [codes[i] for i in score.argmax(axis=1)],
            "programme_sectors": [";".join(model.slugs_for(n)) for n in naces],
            "initiatives": [
                "; ".join(
                    f"{i.name} [coverage {i.strength:.2f} (estimate) on {', '.join(i.themes)}"
                    f" — {i.source}]"
                    for i in per_sector.get(n, ())
                )
                for n in naces
            ],
        }
    ).sort_values(["rank", "nace"], kind="stable", ignore_index=True)

    scores = pd.DataFrame(
        {
            "nace": np.repeat(naces, n_t),
            "sector": np.repeat(model.sectors[name_col].to_numpy(), n_t),
            "theme": np.tile(np.array(codes, dtype=object), n_s),
            "theme_name": np.tile(np.array([t.name(lang) for t in model.themes]), n_s),
            "severity": severity.ravel(),
            "likelihood": likelihood.ravel(),
            "score": score.ravel(),
            "residual_score": residual.ravel(),
            "rank": np.repeat(rank, n_t),
            "imputed_share": imputed_share.ravel(),
            "exposure": exposure.ravel(),
            "mitigation": mitigation.ravel(),
            "estimate_share": estimate_share.ravel(),
            "sources": np.tile(np.array([theme_sources[t] for t in codes], dtype=object), n_s),
        }
    )
    scores = scores.sort_values(["rank", "nace"], kind="stable", ignore_index=True)

    datasets = [
        model.pack[d].descriptor.as_dict()
        for d in sorted(
            {i.dataset for i in model.indicators.values() if i.dataset}
            | {"ilab_goods_2022", "hs_codes"}
        )
    ]
    datasets += [stored.as_dict() for stored in user_data.imports.values()]
    notes = _notes(lang, user_data)
    themes = [
        {
            "code": t.code,
            "name": t.name(lang),
            "name_nl": t.name_nl,
            "name_en": t.name_en,
            "scale": t.scale,
            "irremediability": t.irremediability,
            "gravity": t.gravity,
            "indicators": [
                {
                    "id": k,
                    "weight": v,
                    "label": model.indicators[k].label(lang),
                    "source": model.indicators[k].source_id,
                    "active": k in crisk.indicator_ids,
                }
                for k, v in t.indicators.items()
            ],
            "evidence": "ilab_goods_2022" if t.evidence else None,
        }
        for t in model.themes
    ]
    return SRAResult(
        lang=lang,
        method_version=METHOD_VERSION,
        themes=themes,
        scores=scores,
        sectors=sectors,
        datasets=datasets,
        notes=notes,
        lines=lines,
        contrib=contrib,
        imputed_contrib=imputed_contrib,
        evidence_used=evidence_used,
        country_risk=crisk,
        model=model,
        user_data=user_data,
    )


def _theme_sources(model: SRAModel, crisk: CountryRisk) -> dict[str, str]:
    out = {}
    for theme in model.themes:
        ids: list[str] = []
        for key in theme.indicators:
            if key not in crisk.indicator_ids:
                continue
            ind = model.indicators[key]
            for ref in (ind, model.indicators.get(ind.fallback or "")):
                if ref is None:
                    continue
                label = ref.source_id
                if ref.dataset:
                    label += f" ({model.pack[ref.dataset].descriptor.edition})"
                if label not in ids:
                    ids.append(label)
        if theme.evidence:
            ids.append(f"ilab_goods_2022 ({model.pack['ilab_goods_2022'].descriptor.edition})")
        ids.append("products.csv hazard levels (authored)")
        out[theme.code] = "; ".join(ids)
    return out


def _notes(lang: str, user_data: UserData) -> list[str]:
    has_imports = "imports" in user_data.imports
    has_portfolio = "portfolio" in user_data.imports
    if lang == "nl":
        notes = [
            "Inkoopaandelen per land zijn geschatte waarden (authored estimates), afgerond op "
            "hoofdproducenten, tenzij eigen importstatistiek is ingelezen.",
            "Ontbrekende gegevens zijn nooit stilzwijgend nul: ze worden volgens een "
            "gedocumenteerde regel geïmputeerd; imputed_share toont het aandeel van de score.",
            "De restscore (residual_score) staat naast de inherente score en vervangt die niet.",
        ]
        if has_imports:
            notes.append("Eigen importstatistiek vervangt de geschatte inkoopaandelen.")
        if has_portfolio:
            notes.append(
                "Een eigen portefeuille vervangt de standaardmix van de financiële sector."
            )
    else:
        notes = [
            "Sourcing shares are authored estimates rounded to the main producing countries, "
            "unless user import statistics were imported.",
            "Missing data is never silently zero: it is imputed by a documented rule; "
            "imputed_share shows how much of the score rests on it.",
            "The residual score is shown beside the inherent score, never instead of it.",
        ]
        if has_imports:
            notes.append("User import statistics replace the authored sourcing shares.")
        if has_portfolio:
            notes.append("A user portfolio replaces the default financed mix.")
    for name in ("ti_cpi", "ituc_rights"):
        if name in user_data.imports:
            title = USER_KINDS[name].title_nl if lang == "nl" else USER_KINDS[name].title_en
            notes.append(("Gebruikt: " if lang == "nl" else "Used: ") + title)
    return notes
