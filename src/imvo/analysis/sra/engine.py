"""The Sector Risk Analysis run (pure, vectorised with NumPy/pandas, no Django).

:func:`run_sra` wires the steps together: country risk and evidence
(:mod:`~imvo.analysis.sra.countryrisk`), value-chain lines
(:mod:`~imvo.analysis.sra.valuechains`), mitigation by existing initiatives
(:mod:`~imvo.analysis.sra.mitigation`) and the score arithmetic
(:mod:`~imvo.analysis.sra.scoring`). See docs/methodology/sra.md for the method.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from imvo.analysis.sra.countryrisk import CountryRisk, country_risk, evidence_matrix
from imvo.analysis.sra.mitigation import (
    Mitigation,
    mitigation_matrix,
    programme_divisions,
    slugs_per_division,
)
from imvo.analysis.sra.model import SRAModel
from imvo.analysis.sra.result import METHOD_VERSION, SRAResult
from imvo.analysis.sra.scoring import combine
from imvo.analysis.sra.valuechains import build_lines
from imvo.opendata.userdata import UserData

EVIDENCE_DATASETS = ("ilab_goods_2022", "hs_codes")


def run_sra(
    *,
    model: SRAModel,
    user_data: UserData | None = None,
    programme: Mapping[str, Iterable[str]] | None = None,
    initiatives: Mapping[str, Sequence[Mitigation]] | None = None,
) -> SRAResult:
    """Compute sector x theme severity, likelihood, inherent and residual scores.

    ``programme`` maps programme sector slugs to their NACE codes (each code counts for the
    division it lies in); ``initiatives`` maps a slug or a NACE division to the initiatives
    that address part of its risk. Both come from the programme's records.
    """
    user_data = user_data or UserData()
    codes = model.theme_codes
    n_s, n_t = len(model.sectors), len(codes)
    naces = model.sectors["nace"].to_numpy()
    divisions = programme_divisions(programme=programme, divisions=naces)

    crisk = country_risk(model=model, user_data=user_data)
    evidence = evidence_matrix(model=model, countries=crisk.countries)
    lines = build_lines(model=model, user_data=user_data, countries=crisk.countries)
    p, c = lines.product_idx, lines.country_idx
    mitigation, per_sector = mitigation_matrix(
        model=model, programme=divisions, initiatives=initiatives
    )
    scores = combine(
        gravity=np.array([t.gravity for t in model.themes]),
        hazard=model.hazards[p],
        country_risk=crisk.risk[c],
        country_imputed=crisk.imputed[c],
        evidence=evidence[p, c],
        weight=lines.weight,
        estimate=lines.frame["estimate"].to_numpy(dtype=bool),
        sector_idx=lines.sector_idx,
        n_sectors=n_s,
        mitigation=mitigation,
    )

    sectors = pd.DataFrame(
        {
            "rank": scores.rank,
            "nace": naces,
            "section": model.sectors["section"].to_numpy(),
            "score": scores.overall,
            "residual_score": scores.overall_residual,
            "imputed_share": scores.overall_imputed,
            "estimate_share": scores.overall_estimate,
            "top_theme": [codes[i] for i in scores.score.argmax(axis=1)],
            "programme_sectors": slugs_per_division(divisions, list(naces)),
            "initiatives": [tuple(per_sector.get(n, ())) for n in naces],
        }
    ).sort_values(["rank", "nace"], kind="stable", ignore_index=True)

    sources = theme_sources(model, crisk)
    table = pd.DataFrame(
        {
            "nace": np.repeat(naces, n_t),
            "theme": np.tile(np.array(codes, dtype=object), n_s),
            "severity": scores.severity.ravel(),
            "likelihood": scores.likelihood.ravel(),
            "score": scores.score.ravel(),
            "residual_score": scores.residual.ravel(),
            "rank": np.repeat(scores.rank, n_t),
            "imputed_share": scores.imputed_share.ravel(),
            "exposure": scores.exposure.ravel(),
            "mitigation": mitigation.ravel(),
            "estimate_share": scores.estimate_share.ravel(),
            "sources": [sources[t] for _ in range(n_s) for t in codes],
        }
    ).sort_values(["rank", "nace"], kind="stable", ignore_index=True)

    used = {i.dataset for i in model.indicators.values() if i.dataset} | set(EVIDENCE_DATASETS)
    datasets = [model.pack[d].descriptor.as_dict() for d in sorted(used)]
    datasets += [stored.as_dict() for stored in user_data.imports.values()]
    return SRAResult(
        method_version=METHOD_VERSION,
        scores=table,
        sectors=sectors,
        datasets=datasets,
        lines=lines,
        contrib=scores.contrib,
        imputed_contrib=scores.imputed_contrib,
        evidence_used=scores.evidence_used,
        country_risk=crisk,
        model=model,
        user_data=user_data,
    )


def theme_sources(model: SRAModel, crisk: CountryRisk) -> dict[str, tuple[str, ...]]:
    """Theme code → the datasets (with edition) and authored files its scores rest on."""
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
        out[theme.code] = tuple(ids)
    return out
