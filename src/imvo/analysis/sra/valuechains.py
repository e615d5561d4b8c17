"""Value chains: sourcing countries per product and the expansion into sector x product x
country lines (shared profiles, sector references and user portfolios resolved recursively)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from imvo.analysis.sra.countryrisk import REST_OF_WORLD
from imvo.analysis.sra.model import SRAModel
from imvo.core.errors import DataError
from imvo.opendata.userdata import FINANCIAL, UserData


@dataclass(frozen=True)
class Lines:
    """Expanded value-chain lines: one row per sector x product x country."""

    frame: pd.DataFrame  # sector_idx, nace, product, iso3, weight, basis, estimate, via
    sector_idx: np.ndarray
    product_idx: np.ndarray
    country_idx: np.ndarray
    weight: np.ndarray


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
            raise DataError(f"value_chains.csv: circular sector reference via {nace}")
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
