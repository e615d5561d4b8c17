"""The explanation of one division's score, in words: for ``imvo sra explain`` and the
division page. Adds names and labels in Dutch or English to the engine's
:class:`~imvo.analysis.sra.Explanation`, which holds codes and numbers only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from imvo.analysis.sra import Explanation, SRAModel, SRAResult
from imvo.core.bilingual import labels_in
from imvo.reports.sra import (
    ILAB_LABEL,
    LABELS,
    country_names,
    initiative_lines,
    joined_sources,
    sector_names,
    theme_names,
)


def _with(entry: Mapping[str, Any], after: str, key: str, value: Any) -> dict[str, Any]:
    """A copy of ``entry`` with ``key: value`` inserted right after ``after``."""
    out: dict[str, Any] = {}
    for k, v in entry.items():
        out[k] = v
        if k == after:
            out[key] = value
    return out


def explanation_payload(explanation: Explanation, *, model: SRAModel, lang: str) -> dict[str, Any]:
    """Plain data of an explanation with names and labels in ``lang`` (JSON, web pages)."""
    e = explanation.as_dict()
    sectors = sector_names(model, lang=lang)
    themes = theme_names(model, lang=lang)
    countries = country_names(model, lang=lang)
    name_col = "name_nl" if lang == "nl" else "name_en"
    product_names = model.products[name_col]

    def indicator_label(key: str) -> str:
        if key == "ilab_goods_2022":
            return ILAB_LABEL[lang]
        if key.startswith("imputed:"):
            return key.removeprefix("imputed:")
        return model.indicators[key].label(lang)

    out: dict[str, Any] = {}
    for key, value in e.items():
        out[key] = value
        if key == "nace":
            out["sector"] = sectors[explanation.nace]
        elif key == "theme":
            out["theme_name"] = themes[explanation.theme] if explanation.theme else None
    out["products"] = [
        _with(p, "product", "name", product_names.loc[p["product"]]) for p in e["products"]
    ]
    out["countries"] = [
        _with(c, "iso3", "name", countries.get(c["iso3"], c["iso3"])) for c in e["countries"]
    ]
    out["indicators"] = [
        _with(i, "indicator", "label", indicator_label(i["indicator"])) for i in e["indicators"]
    ]
    out["lines"] = [
        _with(ln, "iso3", "country", countries.get(ln["iso3"], ln["iso3"])) for ln in e["lines"]
    ]
    out["themes"] = [
        {**_with(t, "theme", "name", themes[t["theme"]]), "sources": joined_sources(t["sources"])}
        for t in e["themes"]
    ]
    out["initiatives"] = initiative_lines(explanation.initiatives)
    out["programme_sectors"] = list(explanation.programme_sectors)
    return out


def explanation_text(payload: Mapping[str, Any], *, lang: str) -> str:
    """Human-readable explanation of one sector (and theme), from :func:`explanation_payload`."""
    lab = labels_in(LABELS, lang)
    e = payload
    title = f"{lab['explain']}: NACE {e['nace']} {e['sector']} ({lab['rank'].lower()} {e['rank']})"
    if e["theme_name"]:
        title += f" — {e['theme_name']}"
    out = [title, ""]
    line = f"{lab['score']} {e['score']:.1f}, {lab['residual'].lower()} {e['residual_score']:.1f}"
    if e["severity"] is not None and e["likelihood"] is not None:
        line += f"; {lab['severity'].lower()} {e['severity']:.3f}, "
        line += f"{lab['likelihood'].lower()} {e['likelihood']:.3f}"
    line += f"; {lab['imputed'].lower()} {e['imputed_share']:.0%}"
    line += f"; {lab['estimate']} {e['estimate_share']:.0%}"
    out.append(line)
    if not e["theme"]:
        out += ["", lab["theme"] + ":"]
        for t in e["themes"][:5]:
            out.append(
                f"  {t['name']:<45} {t['score']:>6.1f}  ({lab['severity'].lower()} "
                f"{t['severity']:.3f}, {lab['likelihood'].lower()} {t['likelihood']:.3f})"
            )
    out += ["", lab["products"] + ":"]
    for p in e["products"]:
        flag = " [ILAB: " + ", ".join(p["ilab_listed_in"]) + "]" if p["ilab_listed_in"] else ""
        est = " (estimate)" if p["authored_estimate"] else ""
        out.append(f"  {p['share']:>5.0%}  {p['name']}{flag}{est} — {p['source']}")
    out += ["", lab["countries"] + ":"]
    for c in e["countries"]:
        out.append(
            f"  {c['share']:>5.0%}  {c['iso3']} {c['name']} — {'; '.join(c['data'])}; "
            f"{', '.join(c['sourcing_basis'])}"
        )
    out += ["", lab["indicators"] + ":"]
    for i in e["indicators"]:
        out.append(f"  {i['share']:>5.0%}  {i['label']} — {i['source']}")
    out += ["", lab["lines"] + ":"]
    for ln in e["lines"]:
        via = f" via {ln['via']}" if ln["via"] else ""
        out.append(
            f"  {ln['share']:>5.0%}  {ln['product']} × {ln['iso3']} "
            f"(w={ln['value_chain_weight']:.3f}, {ln['sourcing_basis']}{via}): {ln['rationale']}"
        )
    if e["initiatives"]:
        out += ["", lab["initiatives"] + ":"] + [f"  - {i}" for i in e["initiatives"]]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- web pages


def division_context(
    result: SRAResult, *, explanation: Explanation, detail: Explanation | None, lang: str
) -> dict[str, Any]:
    """Template data of a division page: the explanation (all themes, and one theme if asked)
    with names in ``lang``, its themes by score, the number of divisions and the datasets."""
    data = explanation_payload(explanation, model=result.model, lang=lang)
    return {
        "e": data,
        "themes": sorted(data["themes"], key=lambda t: t["score"], reverse=True),
        "theme_detail": (
            explanation_payload(detail, model=result.model, lang=lang) if detail else None
        ),
        "total": len(result.sectors),
        "datasets": result.datasets,
    }
