"""Output formats of the Sector Risk Analysis: text, CSV, JSON, HTML and SVG/PNG heat maps.

Pure functions from an :class:`~imvo.analysis.sra.SRAResult` to ``str``/``bytes``; the command
layer decides where they go. The result holds codes and numbers only: this module adds the
names, labels and notes in Dutch or English (``lang``) and joins lists into text. Matplotlib is
used with the Agg backend (no display). :func:`heat_colours` is the one colour rule of the heat
map, shared by the HTML tables (web page and ``--format html``) and the SVG/PNG images.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from imvo.analysis.sra import Mitigation, SRAModel, SRAResult
from imvo.analysis.sra.countryrisk import REST_OF_WORLD
from imvo.core.bilingual import Text, labels_in
from imvo.core.csvsafe import safe_frame_csv
from imvo.opendata.userdata import USER_KINDS
from imvo.reports.exporters import Exporter, register

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
SOURCE_SEPARATOR = "; "
ILAB_LABEL = {
    "nl": "ILAB-lijst van goederen met kinder- of dwangarbeid",
    "en": "ILAB List of Goods Produced by Child Labor or Forced Labor",
}
REST_OF_WORLD_NAME = {
    "nl": "overige landen (niet toegewezen)",
    "en": "rest of world (unassigned)",
}

#: Labels of the tables and images, per key in both languages (see imvo.core.bilingual).
LABELS: dict[str, Text] = {
    "title": {
        "nl": "Sectorrisicoanalyse IMVO — inherente risicoscore (0-100)",
        "en": "IRBC Sector Risk Analysis — inherent risk score (0-100)",
    },
    "rank": {"nl": "Rang", "en": "Rank"},
    "sector": {"nl": "Sector", "en": "Sector"},
    "score": {"nl": "Score", "en": "Score"},
    "residual": {"nl": "Rest", "en": "Residual"},
    "imputed": {"nl": "Geïmp.", "en": "Imputed"},
    "top_theme": {"nl": "Hoogste thema", "en": "Top theme"},
    "theme": {"nl": "Thema", "en": "Theme"},
    "severity": {"nl": "Ernst", "en": "Severity"},
    "likelihood": {"nl": "Kans", "en": "Likelihood"},
    "notes": {"nl": "Toelichting", "en": "Notes"},
    "sources": {"nl": "Bronnen", "en": "Sources"},
    "products": {"nl": "Producten", "en": "Products"},
    "countries": {"nl": "Landen", "en": "Countries"},
    "indicators": {"nl": "Indicatoren en bronnen", "en": "Indicators and sources"},
    "lines": {
        "nl": "Belangrijkste ketenregels (product × land)",
        "en": "Main value-chain lines (product × country)",
    },
    "initiatives": {"nl": "Bestaande initiatieven", "en": "Existing initiatives"},
    "share": {"nl": "aandeel", "en": "share"},
    "estimate": {"nl": "geschatte inkoopaandelen", "en": "authored sourcing estimates"},
    "explain": {"nl": "Verklaring", "en": "Explanation"},
    "legend": {
        "nl": "Score (0-100, hoger = groter risico)",
        "en": "Score (0-100, higher = more risk)",
    },
}


# --------------------------------------------------------------------------- colours


@cache
def _colour_map() -> Any:
    import matplotlib

    return matplotlib.colormaps[COLOUR_MAP]


def heat_colours(value: float, vmax: float) -> tuple[str, str]:
    """Background and text colour (``#rrggbb``) of a heat-map cell holding ``value``.

    The background follows cividis on ``value / vmax``; the text is black on the light end
    and white on the dark end, so that it keeps at least 4.5:1 contrast.
    """
    red, green, blue, _alpha = _colour_map()(min(value / vmax, 1.0) if vmax else 0.0)
    luminance = 0.2126 * red**2.2 + 0.7152 * green**2.2 + 0.0722 * blue**2.2
    background = f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"
    return background, "#000000" if luminance > 0.18 else "#ffffff"


def heat_cell(value: float, vmax: float) -> dict[str, Any]:
    """A heat-map cell for a template: the value with its ``bg`` and ``fg`` colours."""
    background, text = heat_colours(value, vmax)
    return {"value": value, "bg": background, "fg": text}


# --------------------------------------------------------------------------- names and labels


def _check_lang(lang: str) -> str:
    if lang not in ("nl", "en"):
        raise ValueError(f"lang must be 'nl' or 'en', not {lang!r}")
    return lang


def sector_names(model: SRAModel, *, lang: str) -> dict[str, str]:
    """NACE division → its title in ``lang``."""
    return model.sector_names(_check_lang(lang))


def theme_names(model: SRAModel, *, lang: str) -> dict[str, str]:
    """Theme code → its name in ``lang``."""
    return model.theme_names(_check_lang(lang))


def country_names(model: SRAModel, *, lang: str) -> dict[str, str]:
    """ISO3 code → country name (and the rest-of-world pseudo-country in ``lang``)."""
    frame = model.pack["iso3_codes"].frame
    names = dict(zip(frame["iso3"], frame["name"], strict=True))
    names[REST_OF_WORLD] = REST_OF_WORLD_NAME[_check_lang(lang)]
    return names


def joined_sources(sources: Iterable[str]) -> str:
    return SOURCE_SEPARATOR.join(sources)


def initiative_label(item: Mitigation) -> str:
    """One initiative with its coverage estimate, themes and source, as one line of text."""
    return (
        f"{item.name} [coverage {item.strength:.2f} (estimate) on {', '.join(item.themes)}"
        f" — {item.source}]"
    )


def initiative_lines(items: Iterable[Mitigation]) -> list[str]:
    """The initiatives as lines of text, as every output has always shown them.

    The outputs joined the labels with "; " and split them again, so a label whose source
    holds "; " shows as two lines; kept so that the outputs stay byte-identical (golden files).
    """
    return [part for part in "; ".join(map(initiative_label, items)).split("; ") if part]


def notes(result: SRAResult, *, lang: str) -> list[str]:
    """The notes that go with every output: estimates, imputation, user data used."""
    has_imports = "imports" in result.user_data.imports
    has_portfolio = "portfolio" in result.user_data.imports
    if _check_lang(lang) == "nl":
        out = [
            "Inkoopaandelen per land zijn geschatte waarden (authored estimates), afgerond op "
            "hoofdproducenten, tenzij eigen importstatistiek is ingelezen.",
            "Ontbrekende gegevens zijn nooit stilzwijgend nul: ze worden volgens een "
            "gedocumenteerde regel geïmputeerd; imputed_share toont het aandeel van de score.",
            "De restscore (residual_score) staat naast de inherente score en vervangt die niet.",
        ]
        if has_imports:
            out.append("Eigen importstatistiek vervangt de geschatte inkoopaandelen.")
        if has_portfolio:
            out.append("Een eigen portefeuille vervangt de standaardmix van de financiële sector.")
    else:
        out = [
            "Sourcing shares are authored estimates rounded to the main producing countries, "
            "unless user import statistics were imported.",
            "Missing data is never silently zero: it is imputed by a documented rule; "
            "imputed_share shows how much of the score rests on it.",
            "The residual score is shown beside the inherent score, never instead of it.",
        ]
        if has_imports:
            out.append("User import statistics replace the authored sourcing shares.")
        if has_portfolio:
            out.append("A user portfolio replaces the default financed mix.")
    for name in ("ti_cpi", "ituc_rights"):
        if name in result.user_data.imports:
            title = USER_KINDS[name].title_nl if lang == "nl" else USER_KINDS[name].title_en
            out.append(("Gebruikt: " if lang == "nl" else "Used: ") + title)
    return out


def themes_payload(result: SRAResult, *, lang: str) -> list[dict[str, Any]]:
    """The themes with their names, gravity and indicators (labels in ``lang``)."""
    model = result.model
    active = result.country_risk.indicator_ids
    return [
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
                    "active": k in active,
                }
                for k, v in t.indicators.items()
            ],
            "evidence": "ilab_goods_2022" if t.evidence else None,
        }
        for t in model.themes
    ]


def sectors_table(result: SRAResult, *, lang: str) -> pd.DataFrame:
    """The ranked divisions with their title in ``lang`` (column ``sector``)."""
    names = sector_names(result.model, lang=lang)
    frame = result.sectors
    return frame.assign(sector=[names[n] for n in frame["nace"]])


def scores_table(
    result: SRAResult, *, lang: str, theme: str | None = None, sector: str | None = None
) -> pd.DataFrame:
    """Division x theme rows (optionally one theme and/or one division) with ``sector`` and
    ``theme_name`` in ``lang`` and the sources as text."""
    rows = result.scores
    if theme:
        rows = rows[rows["theme"] == theme]
    if sector:
        rows = rows[rows["nace"] == sector]
    sectors = sector_names(result.model, lang=lang)
    themes = theme_names(result.model, lang=lang)
    return rows.assign(
        sector=[sectors[n] for n in rows["nace"]],
        theme_name=[themes[t] for t in rows["theme"]],
        sources=[joined_sources(s) for s in rows["sources"]],
    )


# --------------------------------------------------------------------------- formats


def to_csv(
    result: SRAResult, *, lang: str, theme: str | None = None, sector: str | None = None
) -> str:
    """One row per sector x theme, ordered by rank; floats rounded to 4 decimals."""
    rows = scores_table(result, lang=lang, theme=theme, sector=sector).loc[:, list(CSV_COLUMNS)]
    floats = ["severity", "likelihood", "score", "residual_score", "imputed_share"]
    floats += ["estimate_share", "exposure", "mitigation"]
    rows[floats] = rows[floats].round(4)
    out = io.StringIO()
    out.write(safe_frame_csv(rows, index=False, lineterminator="\n"))
    return out.getvalue()


def _r(value: float, digits: int = 4) -> float:
    return round(float(value), digits)


def to_payload(
    result: SRAResult, *, lang: str, theme: str | None = None, sector: str | None = None
) -> dict[str, Any]:
    """Plain-data form of a result (used for JSON output and by the web layer)."""
    rows = scores_table(result, lang=lang, theme=theme, sector=sector)
    sectors = sectors_table(result, lang=lang)
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
        "lang": lang,
        "notes": notes(result, lang=lang),
        "datasets": result.datasets,
        "themes": [t for t in themes_payload(result, lang=lang) if not theme or t["code"] == theme],
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
                "programme_sectors": list(rec.programme_sectors),
                "initiatives": initiative_lines(rec.initiatives),
                "themes": by_sector.get(rec.nace, {}),
            }
            for rec in sectors.itertuples(index=False)
        ],
    }


def to_json(
    result: SRAResult, *, lang: str, theme: str | None = None, sector: str | None = None
) -> str:
    payload = to_payload(result, lang=lang, theme=theme, sector=sector)
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def to_text(
    result: SRAResult, *, lang: str, theme: str | None = None, sector: str | None = None
) -> str:
    """A ranked table for the terminal."""
    lab = labels_in(LABELS, _check_lang(lang))
    lines = [lab["title"], ""]
    if theme or sector:
        rows = scores_table(result, lang=lang, theme=theme, sector=sector)
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
        names = theme_names(result.model, lang=lang)
        head = (
            f"{lab['rank']:>4}  NACE  {lab['sector']:<50} {lab['score']:>6} "
            f"{lab['residual']:>8} {lab['imputed']:>7}  {lab['top_theme']}"
        )
        lines.append(head)
        for rec in sectors_table(result, lang=lang).itertuples(index=False):
            lines.append(
                f"{rec.rank:>4}  {rec.nace:<4}  {_cut(rec.sector, 50):<50} {rec.score:>6.1f} "
                f"{rec.residual_score:>8.1f} {rec.imputed_share:>6.0%}  {names[rec.top_theme]}"
            )
    lines += ["", lab["notes"] + ":"] + [f"- {note}" for note in notes(result, lang=lang)]
    lines += ["", lab["sources"] + ":"]
    for d in result.datasets:
        if "edition" in d:
            lines.append(f"- {d['id']}: {d['title']}, {d['edition']} ({d['licence']})")
        else:
            lines.append(f"- {d['id']}: {d['source_file']} ({d['rows']} rows, user import)")
    return "\n".join(lines) + "\n"


def heat_matrix(
    result: SRAResult,
    *,
    lang: str,
    theme: str | None = None,
    sector: str | None = None,
    top: int | None = None,
) -> tuple[np.ndarray, pd.DataFrame, list[str], list[str]]:
    """Scores as a (divisions x themes) matrix in rank order, with the ranked division rows,
    the theme codes and the theme names in ``lang``."""
    sectors = sectors_table(result, lang=lang)
    if sector:
        sectors = sectors[sectors["nace"] == sector]
    if top:
        sectors = sectors.head(top)
    names = theme_names(result.model, lang=lang)
    codes = [code for code in result.model.theme_codes if not theme or code == theme]
    pivot = result.scores.pivot(index="nace", columns="theme", values="score")
    matrix = pivot.loc[list(sectors["nace"]), codes].to_numpy(dtype=float)
    return matrix, sectors, codes, [names[c] for c in codes]


def _vmax(matrix: np.ndarray) -> float:
    return max(float(np.nanmax(matrix)) if matrix.size else 1.0, 1.0)


def _row_labels(sectors: pd.DataFrame) -> list[str]:
    return [f"{r.rank}. {r.nace} {_cut(r.sector, 48)}" for r in sectors.itertuples(index=False)]


def heatmap(
    result: SRAResult,
    *,
    fmt: str,
    lang: str,
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

    matrix, sectors, _codes, names = heat_matrix(
        result, lang=lang, theme=theme, sector=sector, top=top
    )
    labels = _row_labels(sectors)
    lab = labels_in(LABELS, lang)
    height = max(2.5, 0.24 * len(labels) + 2.2)
    width = max(6.0, 0.75 * len(names) + 4.5)
    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_subplot()
    vmax = _vmax(matrix)
    image = ax.imshow(matrix, cmap=COLOUR_MAP, vmin=0.0, vmax=vmax, aspect="auto")
    ax.set_xticks(range(len(names)), labels=names, rotation=45, ha="right", fontsize=7)
    ax.set_yticks(range(len(labels)), labels=labels, fontsize=6.5)
    for (i, j), value in np.ndenumerate(matrix):
        _background, colour = heat_colours(float(value), vmax)
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
    lang: str,
    theme: str | None = None,
    sector: str | None = None,
    top: int | None = None,
) -> str:
    """A standalone, accessible HTML heat-map table (values in every cell, sources listed)."""
    matrix, sectors, _codes, names = heat_matrix(
        result, lang=lang, theme=theme, sector=sector, top=top
    )
    lab = labels_in(LABELS, lang)
    vmax = _vmax(matrix)
    esc = html.escape
    rows = []
    for label, values in zip(_row_labels(sectors), matrix, strict=True):
        cells = []
        for value in values:
            background, text = heat_colours(float(value), vmax)
            cells.append(f'<td style="background:{background};color:{text}">{value:.1f}</td>')
        rows.append(f'<tr><th scope="row">{esc(label)}</th>{"".join(cells)}</tr>')
    head = "".join(f'<th scope="col">{esc(name)}</th>' for name in names)
    note_items = "".join(f"<li>{esc(n)}</li>" for n in notes(result, lang=lang))
    sources = "".join(
        f"<li>{esc(d['id'])}: {esc(d.get('title', d.get('source_file', '')))}"
        f"{', ' + esc(d['edition']) if 'edition' in d else ''}"
        f"{' — ' + esc(d['attribution']) if 'attribution' in d else ''}</li>"
        for d in result.datasets
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head><meta charset="utf-8">'
        f"<title>{esc(lab['title'])}</title>\n<style>"
        "body{font-family:sans-serif;margin:1rem}table{border-collapse:collapse;font-size:12px}"
        "th,td{border:1px solid #ccc;padding:2px 6px;text-align:right}"
        "th[scope=row]{text-align:left;font-weight:normal}</style></head>\n<body>\n"
        f"<h1>{esc(lab['title'])}</h1>\n<table>\n<caption>{esc(lab['legend'])}</caption>\n"
        f'<thead><tr><th scope="col">{esc(lab["sector"])}</th>{head}</tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody></table>\n"
        f"<h2>{esc(lab['notes'])}</h2><ul>{note_items}</ul>\n"
        f"<h2>{esc(lab['sources'])}</h2><ul>{sources}</ul>\n"
        f"<p>{esc(result.method_version)}</p>\n</body></html>\n"
    )


# --------------------------------------------------------------------------- explanations


def heatmap_context(
    result: SRAResult, *, lang: str, top: int | None, programme_names: Mapping[str, str]
) -> dict[str, Any]:
    """Template data of the heat-map page: ranked rows with coloured cells (one colour rule,
    :func:`heat_colours`), themes, legend, notes and datasets. ``programme_names`` maps
    programme sector slugs to their names in ``lang``."""
    sectors = sectors_table(result, lang=lang)
    if top:
        sectors = sectors.head(top)
    pivot = result.scores.pivot(index="nace", columns="theme", values="score")
    codes = result.model.theme_codes
    names = theme_names(result.model, lang=lang)
    vmax = float(result.scores["score"].max())
    rows = [
        {
            "rank": int(s.rank),
            "nace": s.nace,
            "sector": s.sector,
            "score": s.score,
            "residual": s.residual_score,
            "imputed": s.imputed_share,
            "programme": [programme_names.get(p, p) for p in s.programme_sectors],
            "cells": [heat_cell(float(pivot.at[s.nace, code]), vmax) for code in codes],
        }
        for s in sectors.itertuples()
    ]
    return {
        "themes": [{"code": code, "name": names[code]} for code in codes],
        "rows": rows,
        "total": len(result.sectors),
        "datasets": result.datasets,
        "notes": notes(result, lang=lang),
        "top": top,
        "legend": [heat_cell(vmax * i / 4, vmax) for i in range(5)],
    }


def _without_top(render: Any) -> Any:
    """Tables show every row: they take the heat maps' ``top`` and ignore it."""

    def tables(result: SRAResult, *, top: int | None = None, **options: Any) -> str:
        return render(result, **options)

    return tables


def _image(fmt: str) -> Any:
    def image(result: SRAResult, **options: Any) -> bytes:
        return heatmap(result, fmt=fmt, **options)

    return image


for _fmt, _mimetype, _renderer in (
    ("text", "text/plain; charset=utf-8", _without_top(to_text)),
    ("csv", "text/csv; charset=utf-8", _without_top(to_csv)),
    ("json", "application/json", _without_top(to_json)),
    ("html", "text/html; charset=utf-8", to_html),
    ("svg", "image/svg+xml", _image("svg")),
    ("png", "image/png", _image("png")),
):
    register(
        Exporter(
            identifier=f"sra.{_fmt}",
            label={
                "nl": f"Sectorrisicoanalyse ({_fmt.upper()})",
                "en": f"Sector Risk Analysis ({_fmt.upper()})",
            },
            mimetype=_mimetype,
            extension="txt" if _fmt == "text" else _fmt,
            renderer=_renderer,
        )
    )
