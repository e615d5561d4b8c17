"""Output formats of the Sector Risk Analysis: text, CSV, JSON, HTML and SVG/PNG heat maps.

Pure functions from an :class:`~imvo.analysis.sra.SRAResult` to ``str``/``bytes``; the command
layer decides where they go. The result holds codes and numbers only: this module adds the
names, labels and notes in Dutch or English (``lang``) and joins lists into text. Matplotlib is
used with the Agg backend (no display). :func:`heat_colours` is the one colour rule of the heat
map, shared by the HTML tables (web page and ``--format html``) and the SVG/PNG images: fixed
steps on the 0-100 score (:data:`HEAT_STEPS`), light yellow for low to dark red for high, with
black or white text, whichever contrasts more (at least 4.5:1 on every step).
"""

from __future__ import annotations

import csv
import html
import io
import json
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from imvo.analysis.sra import Mitigation, SRAModel, SRAResult
from imvo.analysis.sra.countryrisk import REST_OF_WORLD
from imvo.core.bilingual import Text, decimal, label, labels_in
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
SOURCE_SEPARATOR = "; "
ILAB_LABEL = {
    "nl": "ILAB-lijst van goederen met kinder- of dwangarbeid",
    "en": "ILAB List of Goods Produced by Child Labor or Forced Labor",
}
REST_OF_WORLD_NAME = {
    "nl": "overige landen (niet toegewezen)",
    "en": "rest of world (unassigned)",
}
#: Dutch country names (the shipped ISO list holds the English ones); see data/README.md.
COUNTRY_NAMES_NL = Path(__file__).parent / "data" / "country_names_nl.csv"

#: Short theme labels for table headers and the picture, per theme code in both languages.
#: Each is the start of the theme's full name (a soft hyphen, U+00AD, may mark where a long
#: word can break), so that the visible label is part of the header's accessible name: the
#: page prints the rest of the name for screen readers only.
THEME_SHORT: dict[str, Text] = {
    "child_labour": {"nl": "Kinder\u00adarbeid", "en": "Child labour"},
    "forced_labour": {"nl": "Dwang\u00adarbeid", "en": "Forced labour"},
    "working_conditions": {"nl": "Arbeids\u00adomstandig\u00adheden", "en": "Working conditions"},
    "freedom_of_association": {
        "nl": "Vrijheid van vak\u00advereniging",
        "en": "Freedom of association",
    },
    "discrimination_women": {"nl": "Discrimi\u00adnatie", "en": "Discrimi\u00adnation"},
    "land_rights": {"nl": "Land\u00adrechten", "en": "Land rights"},
    "human_rights_conflict": {
        "nl": "Mensen\u00adrechten en conflict",
        "en": "Human rights and conflict",
    },
    "corruption": {"nl": "Corruptie", "en": "Corruption"},
    "deforestation_biodiversity": {"nl": "Ont\u00adbossing", "en": "Defores\u00adtation"},
    "climate": {"nl": "Klimaat", "en": "Climate"},
    "pollution_water": {"nl": "Milieu\u00advervuiling", "en": "Pollution"},
}
SOFT_HYPHEN = "\u00ad"

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

#: The heat-map scale: the lowest whole score of each step on the 0-100 score. The steps are
#: narrow at the low end because most sector x theme scores are low (median about 6, 95th
#: percentile about 23 on the shipped data) and fixed, so that a colour means the same score
#: whatever the data and the page (top 30, all divisions, sorted or filtered).
HEAT_STEPS: tuple[int, ...] = (0, 5, 10, 15, 20, 30, 40)
SCORE_MAX = 100
#: Background of each step: ColorBrewer YlOrRd (7 classes), light yellow (low) to dark red
#: (high); its lightness falls step by step, so it reads with colour-vision deficiencies too.
HEAT_PALETTE: tuple[str, ...] = (
    "#ffffb2",
    "#fed976",
    "#feb24c",
    "#fd8d3c",
    "#fc4e2a",
    "#e31a1c",
    "#b10026",
)
TEXT_COLOURS = ("#000000", "#ffffff")


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a ``#rrggbb`` colour."""
    channels = []
    for i in (1, 3, 5):
        value = int(colour[i : i + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@cache
def _text_colour(background: str) -> str:
    return max(TEXT_COLOURS, key=lambda text: contrast_ratio(background, text))


def shown_score(value: float) -> int:
    """The whole number a cell prints for ``value`` (half up, as Django's ``floatformat``)."""
    if value != value:  # NaN: no score
        return 0
    rounded = int(Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(max(rounded, 0), SCORE_MAX)


def heat_step(value: float) -> int:
    """The step (index into :data:`HEAT_PALETTE`) of a score, by the number the cell prints."""
    return bisect_right(HEAT_STEPS, shown_score(value)) - 1


def heat_colours(value: float) -> tuple[str, str]:
    """Background and text colour (``#rrggbb``) of a heat-map cell holding ``value``."""
    background = HEAT_PALETTE[heat_step(value)]
    return background, _text_colour(background)


def heat_cell(value: float) -> dict[str, Any]:
    """A heat-map cell for a template: the value, the number it prints, its step and colours."""
    background, text = heat_colours(value)
    return {
        "value": value,
        "text": shown_score(value),
        "step": heat_step(value),
        "bg": background,
        "fg": text,
    }


def heat_legend() -> list[dict[str, Any]]:
    """The steps of the scale: lowest and highest whole score, ``label`` ("0–4") and colours."""
    highs = [low - 1 for low in HEAT_STEPS[1:]] + [SCORE_MAX]
    return [
        {
            "low": low,
            "high": high,
            "label": f"{low}\u2013{high}",
            "bg": background,
            "fg": _text_colour(background),
        }
        for low, high, background in zip(HEAT_STEPS, highs, HEAT_PALETTE, strict=True)
    ]


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


def theme_short_names(model: SRAModel, *, lang: str) -> dict[str, str]:
    """Theme code → its short label in ``lang`` (:data:`THEME_SHORT`; else the full name)."""
    names = theme_names(model, lang=lang)
    return {
        code: label(THEME_SHORT, code, lang) if code in THEME_SHORT else name
        for code, name in names.items()
    }


@cache
def _dutch_country_names() -> dict[str, str]:
    with COUNTRY_NAMES_NL.open(encoding="utf-8", newline="") as handle:
        return {row["iso3"]: row["name_nl"] for row in csv.DictReader(handle)}


def country_names(model: SRAModel, *, lang: str) -> dict[str, str]:
    """ISO3 code → country name in ``lang`` (and the rest-of-world pseudo-country)."""
    frame = model.pack["iso3_codes"].frame
    names = dict(zip(frame["iso3"], frame["name"], strict=True))
    if _check_lang(lang) == "nl":
        dutch = _dutch_country_names()
        names = {code: dutch.get(code, name) for code, name in names.items()}
    names[REST_OF_WORLD] = REST_OF_WORLD_NAME[lang]
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


#: The notes of the files and the command line (they name the files' columns).
NOTES: tuple[Text, ...] = (
    {
        "nl": "Inkoopaandelen per land zijn geschatte waarden (authored estimates), afgerond op "
        "hoofdproducenten, tenzij eigen importstatistiek is ingelezen.",
        "en": "Sourcing shares are authored estimates rounded to the main producing countries, "
        "unless user import statistics were imported.",
    },
    {
        "nl": "Ontbrekende gegevens zijn nooit stilzwijgend nul: ze worden volgens een "
        "gedocumenteerde regel geïmputeerd; imputed_share toont het aandeel van de score.",
        "en": "Missing data is never silently zero: it is imputed by a documented rule; "
        "imputed_share shows how much of the score rests on it.",
    },
    {
        "nl": "De restscore (residual_score) staat naast de inherente score en vervangt die niet.",
        "en": "The residual score is shown beside the inherent score, never instead of it.",
    },
)
#: The notes of the web page: the same facts in the words of the page (its column names, no
#: field names of the files); that the residual score stands beside the score is in its lead.
PAGE_NOTES: tuple[Text, ...] = (
    {
        "nl": "Inkoopaandelen per land zijn schattingen van de auteurs, afgerond op de "
        "belangrijkste producerende landen, tenzij eigen importstatistiek is ingelezen.",
        "en": "Sourcing shares per country are the authors' estimates, rounded to the main "
        "producing countries, unless user import statistics were imported.",
    },
    {
        "nl": "Ontbrekende gegevens tellen nooit stilzwijgend als nul: ze worden volgens een "
        "vaste, beschreven regel aangevuld (geïmputeerd); de kolom Geïmputeerd toont welk deel "
        "van de score daarop berust.",
        "en": "Missing data never silently counts as zero: it is filled in (imputed) by a fixed, "
        "documented rule; the Imputed column shows how much of the score rests on it.",
    },
)
#: A note per kind of user data that replaces shipped data (files, then the page).
USER_DATA_NOTES: dict[str, tuple[Text, Text]] = {
    "imports": (
        {
            "nl": "Eigen importstatistiek vervangt de geschatte inkoopaandelen.",
            "en": "User import statistics replace the authored sourcing shares.",
        },
        {
            "nl": "Eigen importstatistiek vervangt de geschatte inkoopaandelen.",
            "en": "User import statistics replace the authors' estimated sourcing shares.",
        },
    ),
    "portfolio": (
        {
            "nl": "Een eigen portefeuille vervangt de standaardmix van de financiële sector.",
            "en": "A user portfolio replaces the default financed mix.",
        },
    )
    * 2,
}


def notes(result: SRAResult, *, lang: str, page: bool = False) -> list[str]:
    """The notes that go with every output: estimates, imputation, user data used.

    ``page`` gives the web page's wording (:data:`PAGE_NOTES`) instead of the files'."""
    lang = _check_lang(lang)
    out = [note[lang] for note in (PAGE_NOTES if page else NOTES)]
    for kind, texts in USER_DATA_NOTES.items():
        if kind in result.user_data.imports:
            out.append(texts[1 if page else 0][lang])
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
                f"{_cut(rec.theme_name, 34):<34} {decimal(rec.severity, 3, lang):>6} "
                f"{decimal(rec.likelihood, 3, lang):>6} {decimal(rec.score, 1, lang):>6} "
                f"{decimal(rec.residual_score, 1, lang):>6} {rec.imputed_share:>6.0%}"
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
                f"{rec.rank:>4}  {rec.nace:<4}  {_cut(rec.sector, 50):<50} "
                f"{decimal(rec.score, 1, lang):>6} {decimal(rec.residual_score, 1, lang):>8} "
                f"{rec.imputed_share:>6.0%}  {names[rec.top_theme]}"
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


def _row_labels(sectors: pd.DataFrame) -> list[str]:
    return [f"{r.rank}. {r.nace} {_cut(r.sector, 48)}" for r in sectors.itertuples(index=False)]


#: Type sizes of the picture (points): it is shown scaled to the page's width, so they are set
#: for a reader at that size (about 11-12 px for the labels on a 1280 px screen).
IMAGE_FONT = {"title": 12.0, "ticks": 9.5, "cells": 9.0, "legend": 9.0}


def heatmap(
    result: SRAResult,
    *,
    fmt: str,
    lang: str,
    theme: str | None = None,
    sector: str | None = None,
    top: int | None = None,
) -> bytes:
    """A sectors x themes heat map as SVG or PNG bytes: the steps and colours of
    :func:`heat_colours`, the printed number in every cell, short theme labels."""
    if fmt not in ("svg", "png"):
        raise ValueError(f"unsupported image format {fmt!r}")
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.figure import Figure

    matrix, sectors, codes, _names = heat_matrix(
        result, lang=lang, theme=theme, sector=sector, top=top
    )
    short = theme_short_names(result.model, lang=lang)
    names = [short[code].replace(SOFT_HYPHEN, "") for code in codes]
    labels = _row_labels(sectors)
    lab = labels_in(LABELS, lang)
    shown = np.vectorize(shown_score, otypes=[float])(matrix) if matrix.size else matrix
    height = max(3.0, 0.3 * len(labels) + 2.6)
    width = max(7.0, 0.85 * len(names) + 5.2)
    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_subplot()
    steps = heat_legend()
    bounds = [step["low"] - 0.5 for step in steps] + [SCORE_MAX + 0.5]
    cmap = ListedColormap(list(HEAT_PALETTE))
    image = ax.imshow(shown, cmap=cmap, norm=BoundaryNorm(bounds, cmap.N), aspect="auto")
    ax.set_xticks(
        range(len(names)),
        labels=names,
        rotation=40,
        ha="right",
        rotation_mode="anchor",
        fontsize=IMAGE_FONT["ticks"],
    )
    ax.set_yticks(range(len(labels)), labels=labels, fontsize=IMAGE_FONT["ticks"])
    for (i, j), value in np.ndenumerate(matrix):
        _background, colour = heat_colours(float(value))
        ax.text(
            j,
            i,
            str(shown_score(float(value))),
            ha="center",
            va="center",
            fontsize=IMAGE_FONT["cells"],
            color=colour,
        )
    ax.set_title(lab["title"], fontsize=IMAGE_FONT["title"])
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02, spacing="uniform")
    bar.set_ticks([(low + high) / 2 for low, high in pairwise(bounds)])
    bar.set_ticklabels([step["label"] for step in steps], fontsize=IMAGE_FONT["legend"])
    bar.set_label(lab["legend"], fontsize=IMAGE_FONT["legend"])
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
    """A standalone, accessible HTML heat-map table (values in every cell, the colour steps
    written out, sources listed)."""
    matrix, sectors, _codes, names = heat_matrix(
        result, lang=lang, theme=theme, sector=sector, top=top
    )
    lab = labels_in(LABELS, lang)
    esc = html.escape
    rows = []
    for row_label, values in zip(_row_labels(sectors), matrix, strict=True):
        cells = []
        for value in values:
            background, text = heat_colours(float(value))
            cells.append(f'<td style="background:{background};color:{text}">{value:.1f}</td>')
        rows.append(f'<tr><th scope="row">{esc(row_label)}</th>{"".join(cells)}</tr>')
    head = "".join(f'<th scope="col">{esc(name)}</th>' for name in names)
    steps = "".join(
        f'<li style="background:{step["bg"]};color:{step["fg"]}">{esc(step["label"])}</li>'
        for step in heat_legend()
    )
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
        "th[scope=row]{text-align:left;font-weight:normal}"
        ".steps{display:flex;list-style:none;padding:0;gap:2px}.steps li{padding:2px 8px}"
        "</style></head>\n<body>\n"
        f"<h1>{esc(lab['title'])}</h1>\n"
        f'<p>{esc(lab["legend"])}:</p><ul class="steps">{steps}</ul>\n'
        f"<table>\n<caption>{esc(lab['legend'])}</caption>\n"
        f'<thead><tr><th scope="col">{esc(lab["sector"])}</th>{head}</tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody></table>\n"
        f"<h2>{esc(lab['notes'])}</h2><ul>{note_items}</ul>\n"
        f"<h2>{esc(lab['sources'])}</h2><ul>{sources}</ul>\n"
        f"<p>{esc(result.method_version)}</p>\n</body></html>\n"
    )


# --------------------------------------------------------------------------- explanations


def _printed(value: float, digits: int) -> Decimal:
    """``value`` as a page prints it: rounded half up to ``digits`` decimals."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def heatmap_context(
    result: SRAResult,
    *,
    lang: str,
    top: int | None,
    programme_names: Mapping[str, str],
    sort: str | None = None,
    theme: str | None = None,
    minimum: float | None = None,
    programme_only: bool = False,
) -> dict[str, Any]:
    """Template data of the heat-map page: rows with coloured cells (one colour rule,
    :func:`heat_colours`), themes with their short labels, the legend, notes and datasets.

    ``programme_names`` maps programme sector slugs to their names in ``lang``. The rows are
    the ranked divisions, kept when ``programme_only`` is false or they belong to a programme
    sector and when their score on ``theme`` (a theme code, else the overall score) is at least
    ``minimum`` as the page prints it (whole numbers for themes, one decimal for the overall
    score); ordered by ``sort`` (a theme code, highest first; else by rank); the first ``top``.
    """
    codes = result.model.theme_codes
    for name, code in (("sort", sort), ("theme", theme)):
        if code and code not in codes:
            raise ValueError(f"{name} must be a theme code, not {code!r}")
    sectors = sectors_table(result, lang=lang)
    pivot = result.scores.pivot(index="nace", columns="theme", values="score")
    if programme_only:
        sectors = sectors[[bool(slugs) for slugs in sectors["programme_sectors"]]]
    if minimum is not None:
        if theme:
            printed = [shown_score(pivot.at[nace, theme]) for nace in sectors["nace"]]
        else:
            printed = [_printed(score, 1) for score in sectors["score"]]
        sectors = sectors[[value >= _printed(minimum, 1) for value in printed]]
    if sort:
        order = [-float(pivot.at[nace, sort]) for nace in sectors["nace"]]
        sectors = sectors.assign(_order=order).sort_values("_order", kind="stable")
    matched = len(sectors)
    if top:
        sectors = sectors.head(top)
    names = theme_names(result.model, lang=lang)
    short = theme_short_names(result.model, lang=lang)
    rows = [
        {
            "rank": int(s.rank),
            "nace": s.nace,
            "sector": s.sector,
            "score": s.score,
            "residual": s.residual_score,
            "imputed": s.imputed_share,
            "programme": [programme_names.get(p, p) for p in s.programme_sectors],
            "cells": [
                {**heat_cell(float(pivot.at[s.nace, code])), "theme": code} for code in codes
            ],
        }
        for s in sectors.itertuples()
    ]
    themes = []
    for code in codes:
        visible = short[code].replace(SOFT_HYPHEN, "")
        full = names[code]
        rest = full[len(visible) :] if full.startswith(visible) else None
        themes.append({"code": code, "name": full, "short": short[code], "rest": rest})
    return {
        "themes": themes,
        "rows": rows,
        "total": len(result.sectors),
        "matched": matched,
        "shown": len(rows),
        "sort": sort or "",
        "sort_name": names[sort] if sort else None,
        "filter_theme": theme or "",
        "filter_name": names[theme] if theme else None,
        "minimum": minimum,
        "filtered": minimum is not None or programme_only,
        "programme_only": programme_only,
        "datasets": result.datasets,
        "notes": notes(result, lang=lang, page=True),
        "top": top,
        "legend": heat_legend(),
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
