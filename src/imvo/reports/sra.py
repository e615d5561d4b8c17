"""Output formats of the Sector Risk Analysis: text, CSV, JSON, HTML and SVG/PNG heat maps.

Pure functions from an :class:`~imvo.analysis.sra.engine.SRAResult` to ``str``/``bytes``; the
command layer decides where they go. Matplotlib is used with the Agg backend (no display).
"""

from __future__ import annotations

import html
import io
import json
from typing import Any

import numpy as np
import pandas as pd

from imvo.analysis.sra.engine import SRAResult
from imvo.analysis.sra.explain import Explanation

CSV_COLUMNS = (
    "nace",
    "sector",
    "theme",
    "severity",
    "likelihood",
    "score",
    "residual_score",
    "rank",
    "imputed_share",
    "estimate_share",
    "exposure",
    "mitigation",
    "sources",
)
COLOUR_MAP = "cividis"  # perceptually uniform and readable with colour-vision deficiencies

LABELS = {
    "nl": {
        "title": "Sectorrisicoanalyse IMVO — inherente risicoscore (0-100)",
        "rank": "Rang",
        "sector": "Sector",
        "score": "Score",
        "residual": "Rest",
        "imputed": "Geïmp.",
        "top_theme": "Hoogste thema",
        "theme": "Thema",
        "severity": "Ernst",
        "likelihood": "Kans",
        "notes": "Toelichting",
        "sources": "Bronnen",
        "products": "Producten",
        "countries": "Landen",
        "indicators": "Indicatoren en bronnen",
        "lines": "Belangrijkste ketenregels (product × land)",
        "initiatives": "Bestaande initiatieven",
        "share": "aandeel",
        "estimate": "geschatte inkoopaandelen",
        "explain": "Verklaring",
        "legend": "Score (0-100, hoger = groter risico)",
    },
    "en": {
        "title": "IRBC Sector Risk Analysis — inherent risk score (0-100)",
        "rank": "Rank",
        "sector": "Sector",
        "score": "Score",
        "residual": "Residual",
        "imputed": "Imputed",
        "top_theme": "Top theme",
        "theme": "Theme",
        "severity": "Severity",
        "likelihood": "Likelihood",
        "notes": "Notes",
        "sources": "Sources",
        "products": "Products",
        "countries": "Countries",
        "indicators": "Indicators and sources",
        "lines": "Main value-chain lines (product × country)",
        "initiatives": "Existing initiatives",
        "share": "share",
        "estimate": "authored sourcing estimates",
        "explain": "Explanation",
        "legend": "Score (0-100, higher = more risk)",
    },
}


def select(
    result: SRAResult, *, theme: str | None = None, sector: str | None = None
) -> pd.DataFrame:
    """Sector x theme rows, optionally filtered to one theme and/or one NACE division."""
    rows = result.scores
    if theme:
        rows = rows[rows["theme"] == theme]
    if sector:
        rows = rows[rows["nace"] == sector]
    return rows


def to_csv(result: SRAResult, *, theme: str | None = None, sector: str | None = None) -> str:
    """One row per sector x theme, ordered by rank; floats rounded to 4 decimals."""
    rows = select(result, theme=theme, sector=sector).loc[:, list(CSV_COLUMNS)].copy()
    floats = ["severity", "likelihood", "score", "residual_score", "imputed_share"]
    floats += ["estimate_share", "exposure", "mitigation"]
    rows[floats] = rows[floats].round(4)
    out = io.StringIO()
    rows.to_csv(out, index=False, lineterminator="\n")
    return out.getvalue()


def _r(value: float, digits: int = 4) -> float:
    return round(float(value), digits)


def to_payload(
    result: SRAResult, *, theme: str | None = None, sector: str | None = None
) -> dict[str, Any]:
    """Plain-data form of a result (used for JSON output and by the web layer)."""
    rows = select(result, theme=theme, sector=sector)
    sectors = result.sectors
    if sector:
        sectors = sectors[sectors["nace"] == sector]
    by_sector: dict[str, dict[str, Any]] = {}
    for rec in rows.itertuples(index=False):
        by_sector.setdefault(rec.nace, {})[rec.theme] = {
            "severity": _r(rec.severity),
            "likelihood": _r(rec.likelihood),
            "score": _r(rec.score),
            "residual_score": _r(rec.residual_score),
            "imputed_share": _r(rec.imputed_share),
            "estimate_share": _r(rec.estimate_share),
            "sources": rec.sources,
        }
    return {
        "method_version": result.method_version,
        "lang": result.lang,
        "notes": result.notes,
        "datasets": result.datasets,
        "themes": [t for t in result.themes if not theme or t["code"] == theme],
        "sectors": [
            {
                "rank": int(rec.rank),
                "nace": rec.nace,
                "sector": rec.sector,
                "score": _r(rec.score),
                "residual_score": _r(rec.residual_score),
                "imputed_share": _r(rec.imputed_share),
                "estimate_share": _r(rec.estimate_share),
                "top_theme": rec.top_theme,
                "programme_sectors": [s for s in rec.programme_sectors.split(";") if s],
                "initiatives": [s for s in rec.initiatives.split("; ") if s],
                "themes": by_sector.get(rec.nace, {}),
            }
            for rec in sectors.itertuples(index=False)
        ],
    }


def to_json(result: SRAResult, *, theme: str | None = None, sector: str | None = None) -> str:
    return json.dumps(to_payload(result, theme=theme, sector=sector), ensure_ascii=False, indent=2)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def to_text(result: SRAResult, *, theme: str | None = None, sector: str | None = None) -> str:
    """A ranked table for the terminal."""
    lab = LABELS[result.lang]
    lines = [lab["title"], ""]
    if theme or sector:
        rows = select(result, theme=theme, sector=sector)
        head = (
            f"{lab['rank']:>4}  NACE  {lab['sector']:<42} {lab['theme']:<34} "
            f"{lab['severity']:>6} {lab['likelihood']:>6} {lab['score']:>6} "
            f"{lab['residual']:>6} {lab['imputed']:>7}"
        )
        lines.append(head)
        if theme:
            rows = rows.sort_values("score", ascending=False, kind="stable")
        for rec in rows.itertuples(index=False):
            lines.append(
                f"{rec.rank:>4}  {rec.nace:<4}  {_cut(rec.sector, 42):<42} "
                f"{_cut(rec.theme_name, 34):<34} {rec.severity:>6.3f} {rec.likelihood:>6.3f} "
                f"{rec.score:>6.1f} {rec.residual_score:>6.1f} {rec.imputed_share:>6.0%}"
            )
    else:
        names = {t["code"]: t["name"] for t in result.themes}
        head = (
            f"{lab['rank']:>4}  NACE  {lab['sector']:<50} {lab['score']:>6} "
            f"{lab['residual']:>8} {lab['imputed']:>7}  {lab['top_theme']}"
        )
        lines.append(head)
        for rec in result.sectors.itertuples(index=False):
            lines.append(
                f"{rec.rank:>4}  {rec.nace:<4}  {_cut(rec.sector, 50):<50} {rec.score:>6.1f} "
                f"{rec.residual_score:>8.1f} {rec.imputed_share:>6.0%}  {names[rec.top_theme]}"
            )
    lines += ["", lab["notes"] + ":"] + [f"- {note}" for note in result.notes]
    lines += ["", lab["sources"] + ":"]
    for d in result.datasets:
        if "edition" in d:
            lines.append(f"- {d['id']}: {d['title']}, {d['edition']} ({d['licence']})")
        else:
            lines.append(f"- {d['id']}: {d['source_file']} ({d['rows']} rows, user import)")
    return "\n".join(lines) + "\n"


def _matrix(
    result: SRAResult, *, theme: str | None, sector: str | None, top: int | None
) -> tuple[np.ndarray, list[str], list[str]]:
    sectors = result.sectors
    if sector:
        sectors = sectors[sectors["nace"] == sector]
    if top:
        sectors = sectors.head(top)
    codes = [t["code"] for t in result.themes if not theme or t["code"] == theme]
    theme_names = [t["name"] for t in result.themes if t["code"] in codes]
    pivot = result.scores.pivot(index="nace", columns="theme", values="score")
    matrix = pivot.loc[list(sectors["nace"]), codes].to_numpy(dtype=float)
    labels = [f"{r.rank}. {r.nace} {_cut(r.sector, 48)}" for r in sectors.itertuples(index=False)]
    return matrix, labels, theme_names


def heatmap(
    result: SRAResult,
    *,
    fmt: str,
    theme: str | None = None,
    sector: str | None = None,
    top: int | None = None,
) -> bytes:
    """A sectors x themes heat map as SVG or PNG bytes (cividis, values annotated)."""
    if fmt not in ("svg", "png"):
        raise ValueError(f"unsupported image format {fmt!r}")
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    matrix, labels, theme_names = _matrix(result, theme=theme, sector=sector, top=top)
    lab = LABELS[result.lang]
    height = max(2.5, 0.24 * len(labels) + 2.2)
    width = max(6.0, 0.75 * len(theme_names) + 4.5)
    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_subplot()
    vmax = max(float(np.nanmax(matrix)) if matrix.size else 1.0, 1.0)
    image = ax.imshow(matrix, cmap=COLOUR_MAP, vmin=0.0, vmax=vmax, aspect="auto")
    ax.set_xticks(range(len(theme_names)), labels=theme_names, rotation=45, ha="right", fontsize=7)
    ax.set_yticks(range(len(labels)), labels=labels, fontsize=6.5)
    for (i, j), value in np.ndenumerate(matrix):
        colour = "black" if value > 0.6 * vmax else "white"
        ax.text(j, i, f"{value:.0f}", ha="center", va="center", fontsize=5.5, color=colour)
    ax.set_title(lab["title"], fontsize=9)
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    bar.set_label(lab["legend"], fontsize=7)
    fig.tight_layout()
    out = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    fig.savefig(out, format=fmt, metadata=metadata)
    return out.getvalue()


def to_html(
    result: SRAResult,
    *,
    theme: str | None = None,
    sector: str | None = None,
    top: int | None = None,
) -> str:
    """A standalone, accessible HTML heat-map table (values in every cell, sources listed)."""
    import matplotlib

    colour_map = matplotlib.colormaps[COLOUR_MAP]
    matrix, labels, theme_names = _matrix(result, theme=theme, sector=sector, top=top)
    lab = LABELS[result.lang]
    vmax = max(float(np.nanmax(matrix)) if matrix.size else 1.0, 1.0)
    esc = html.escape
    rows = []
    for label, values in zip(labels, matrix, strict=True):
        cells = []
        for value in values:
            r, g, b, _ = colour_map(value / vmax)
            text = "#000" if value > 0.6 * vmax else "#fff"
            cells.append(
                f'<td style="background:rgb({r * 255:.0f},{g * 255:.0f},{b * 255:.0f});'
                f'color:{text}">{value:.1f}</td>'
            )
        rows.append(f'<tr><th scope="row">{esc(label)}</th>{"".join(cells)}</tr>')
    head = "".join(f'<th scope="col">{esc(name)}</th>' for name in theme_names)
    notes = "".join(f"<li>{esc(n)}</li>" for n in result.notes)
    sources = "".join(
        f"<li>{esc(d['id'])}: {esc(d.get('title', d.get('source_file', '')))}"
        f"{', ' + esc(d['edition']) if 'edition' in d else ''}"
        f"{' — ' + esc(d['attribution']) if 'attribution' in d else ''}</li>"
        for d in result.datasets
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{result.lang}">\n<head><meta charset="utf-8">'
        f"<title>{esc(lab['title'])}</title>\n<style>"
        "body{font-family:sans-serif;margin:1rem}table{border-collapse:collapse;font-size:12px}"
        "th,td{border:1px solid #ccc;padding:2px 6px;text-align:right}"
        "th[scope=row]{text-align:left;font-weight:normal}</style></head>\n<body>\n"
        f"<h1>{esc(lab['title'])}</h1>\n<table>\n<caption>{esc(lab['legend'])}</caption>\n"
        f'<thead><tr><th scope="col">{esc(lab["sector"])}</th>{head}</tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody></table>\n"
        f"<h2>{esc(lab['notes'])}</h2><ul>{notes}</ul>\n"
        f"<h2>{esc(lab['sources'])}</h2><ul>{sources}</ul>\n"
        f"<p>{esc(result.method_version)}</p>\n</body></html>\n"
    )


def explanation_text(explanation: Explanation, *, lang: str) -> str:
    """Human-readable explanation of one sector (and theme)."""
    lab = LABELS[lang]
    e = explanation
    title = f"{lab['explain']}: NACE {e.nace} {e.sector} ({lab['rank'].lower()} {e.rank})"
    if e.theme_name:
        title += f" — {e.theme_name}"
    out = [title, ""]
    line = f"{lab['score']} {e.score:.1f}, {lab['residual'].lower()} {e.residual_score:.1f}"
    if e.severity is not None and e.likelihood is not None:
        line += f"; {lab['severity'].lower()} {e.severity:.3f}, "
        line += f"{lab['likelihood'].lower()} {e.likelihood:.3f}"
    line += f"; {lab['imputed'].lower()} {e.imputed_share:.0%}"
    line += f"; {lab['estimate']} {e.estimate_share:.0%}"
    out.append(line)
    if not e.theme:
        out += ["", lab["theme"] + ":"]
        for t in e.themes[:5]:
            out.append(
                f"  {t['name']:<45} {t['score']:>6.1f}  ({lab['severity'].lower()} "
                f"{t['severity']:.3f}, {lab['likelihood'].lower()} {t['likelihood']:.3f})"
            )
    out += ["", lab["products"] + ":"]
    for p in e.products:
        flag = " [ILAB: " + ", ".join(p["ilab_listed_in"]) + "]" if p["ilab_listed_in"] else ""
        est = " (estimate)" if p["authored_estimate"] else ""
        out.append(f"  {p['share']:>5.0%}  {p['name']}{flag}{est} — {p['source']}")
    out += ["", lab["countries"] + ":"]
    for c in e.countries:
        out.append(
            f"  {c['share']:>5.0%}  {c['iso3']} {c['name']} — {'; '.join(c['data'])}; "
            f"{', '.join(c['sourcing_basis'])}"
        )
    out += ["", lab["indicators"] + ":"]
    for i in e.indicators:
        out.append(f"  {i['share']:>5.0%}  {i['label']} — {i['source']}")
    out += ["", lab["lines"] + ":"]
    for ln in e.lines:
        via = f" via {ln['via']}" if ln["via"] else ""
        out.append(
            f"  {ln['share']:>5.0%}  {ln['product']} × {ln['iso3']} "
            f"(w={ln['value_chain_weight']:.3f}, {ln['sourcing_basis']}{via}): {ln['rationale']}"
        )
    if e.initiatives:
        out += ["", lab["initiatives"] + ":"] + [f"  - {i}" for i in e.initiatives]
    return "\n".join(out) + "\n"
