"""The explanation of one division's score, in words: for ``imvo sra explain`` and the
division page. Adds names and labels in Dutch or English to the engine's
:class:`~imvo.analysis.sra.Explanation`, which holds codes and numbers only.

The division page (:func:`division_context`) is in one language: the engine's English words
(how a country value was obtained, the source of an indicator) are replaced by labels in the
page's language, and :func:`score_summary` says in words how the overall score comes about.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from imvo.analysis.sra import Explanation, SRAModel, SRAResult
from imvo.analysis.sra.countryrisk import (
    IMPUTE_GOVERNANCE,
    IMPUTE_NONE,
    IMPUTE_PARTIAL,
    IMPUTE_PRECAUTIONARY,
    IMPUTE_REST_OF_WORLD,
    IMPUTE_RULES,
)
from imvo.core.bilingual import Text, decimal, label, labels_in, pick
from imvo.reports.sra import (
    ILAB_LABEL,
    LABELS,
    country_names,
    initiative_lines,
    joined_sources,
    sector_names,
    shown_score,
    theme_names,
)

#: How a country's value on a theme was obtained (the engine's IMPUTE_RULES), in words.
RULE_LABELS: dict[int, Text] = {
    IMPUTE_NONE: {"nl": "gemeten", "en": "measured"},
    IMPUTE_PARTIAL: {
        "nl": "deels geïmputeerd: ontbrekende indicatoren vervangen door het gemiddelde van de "
        "andere",
        "en": "partly imputed: missing indicators replaced by the mean of the others",
    },
    IMPUTE_GOVERNANCE: {
        "nl": "geïmputeerd: het gemiddelde bestuursrisico van het land (WGI)",
        "en": "imputed: the country's mean governance risk (WGI)",
    },
    IMPUTE_PRECAUTIONARY: {
        "nl": "geïmputeerd: 75e percentiel van alle landen (uit voorzorg)",
        "en": "imputed: 75th percentile of all countries (precautionary)",
    },
    IMPUTE_REST_OF_WORLD: {
        "nl": "geïmputeerd: mediaan van alle landen (overige landen)",
        "en": "imputed: median of all countries (rest of world)",
    },
}
_RULE_BY_TEXT = {IMPUTE_RULES[code]: text for code, text in RULE_LABELS.items()}
#: Words in the source of an indicator on the page.
SOURCE_WORDS: dict[str, Text] = {
    "imputation": {
        "nl": "imputatieregel (methode van de sectorrisicoanalyse, § 4)",
        "en": "imputation rule (method of the Sector Risk Analysis, § 4)",
    },
    "fallback": {"nl": "bij ontbreken {column}", "en": "fallback {column} where blank"},
    "user": {"nl": "eigen import", "en": "user import"},
}


#: How a sourcing share was obtained (``basis`` in product_sources.csv), in words.
BASIS_LABELS: dict[str, Text] = {
    "authored_estimate": {"nl": "schatting van de auteurs", "en": "authors' estimate"},
    "location_assumption": {"nl": "aanname over de locatie", "en": "location assumption"},
    "rest_of_world": {"nl": "overige landen", "en": "rest of the world"},
}
#: The engine's description of its product hazard levels, in words.
PRODUCT_SOURCE_WORDS: dict[str, Text] = {
    "products.csv (authored hazard levels)": {
        "nl": "products.csv (risiconiveaus geschat door de auteurs)",
        "en": "products.csv (hazard levels estimated by the authors)",
    },
}


def _sources_in(text: str, lang: str) -> str:
    for engine, words in PRODUCT_SOURCE_WORDS.items():
        text = text.replace(engine, pick(words, lang))
    return text


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

    def num(value: float, places: int) -> str:
        return decimal(value, places, lang)

    line = f"{lab['score']} {num(e['score'], 1)}, {lab['residual'].lower()} "
    line += num(e["residual_score"], 1)
    if e["severity"] is not None and e["likelihood"] is not None:
        line += f"; {lab['severity'].lower()} {num(e['severity'], 3)}, "
        line += f"{lab['likelihood'].lower()} {num(e['likelihood'], 3)}"
    line += f"; {lab['imputed'].lower()} {e['imputed_share']:.0%}"
    line += f"; {lab['estimate']} {e['estimate_share']:.0%}"
    out.append(line)
    if not e["theme"]:
        out += ["", lab["theme"] + ":"]
        for t in e["themes"][:5]:
            out.append(
                f"  {t['name']:<45} {num(t['score'], 1):>6}  ({lab['severity'].lower()} "
                f"{num(t['severity'], 3)}, {lab['likelihood'].lower()} {num(t['likelihood'], 3)})"
            )
    estimate = pick(BASIS_LABELS["authored_estimate"], lang)
    out += ["", lab["products"] + ":"]
    for p in e["products"]:
        flag = " [ILAB: " + ", ".join(p["ilab_listed_in"]) + "]" if p["ilab_listed_in"] else ""
        est = f" ({estimate})" if p["authored_estimate"] else ""
        source = _sources_in(p["source"], lang)
        out.append(f"  {p['share']:>5.0%}  {p['name']}{flag}{est} — {source}")
    out += ["", lab["countries"] + ":"]
    for c in e["countries"]:
        data = "; ".join(rule_label(rule, lang=lang) for rule in c["data"])
        basis = ", ".join(label(BASIS_LABELS, b, lang) for b in c["sourcing_basis"])
        out.append(f"  {c['share']:>5.0%}  {c['iso3']} {c['name']} — {data}; {basis}")
    out += ["", lab["indicators"] + ":"]
    for i in e["indicators"]:
        name = i["label"]
        if i["indicator"].startswith("imputed:"):
            name = rule_label(name, lang=lang)
        out.append(f"  {i['share']:>5.0%}  {name} — {i['source']}")
    out += ["", lab["lines"] + ":"]
    for ln in e["lines"]:
        via = f" via {ln['via']}" if ln["via"] else ""
        basis = label(BASIS_LABELS, ln["sourcing_basis"], lang)
        out.append(
            f"  {ln['share']:>5.0%}  {ln['product']} × {ln['iso3']} "
            f"(w={num(ln['value_chain_weight'], 3)}, {basis}{via}): {ln['rationale']}"
        )
    if e["initiatives"]:
        out += ["", lab["initiatives"] + ":"] + [f"  - {i}" for i in e["initiatives"]]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- web pages


def rule_label(rule: str, *, lang: str) -> str:
    """How a country value was obtained (an engine IMPUTE_RULES text), in ``lang``."""
    text = _RULE_BY_TEXT.get(rule)
    return pick(text, lang) if text else rule


def indicator_source(model: SRAModel, key: str, *, lang: str) -> str:
    """The source of an indicator in an explanation (an indicator id, ``ilab_goods_2022`` or
    ``imputed:<rule>``) in ``lang``: dataset, column and edition, as the engine gives it."""
    if key == "ilab_goods_2022":
        desc = model.pack["ilab_goods_2022"].descriptor
        return f"{desc.id} ({desc.edition}), {desc.publisher}"
    if key.startswith("imputed:"):
        return pick(SOURCE_WORDS["imputation"], lang)
    indicator = model.indicators[key]
    if not indicator.dataset:
        return f"user:{indicator.user} ({pick(SOURCE_WORDS['user'], lang)})"
    desc = model.pack[indicator.dataset].descriptor
    source = f"{desc.id}.{indicator.column} ({desc.edition})"
    if indicator.fallback:
        column = model.indicators[indicator.fallback].column
        source += "; " + pick(SOURCE_WORDS["fallback"], lang).format(column=column)
    return source


def percent(share: float) -> int:
    """A share (0-1) as the whole percentage a page prints."""
    return shown_score(100.0 * share)


def _page_labels(data: dict[str, Any], *, model: SRAModel, lang: str) -> dict[str, Any]:
    """``data`` (an explanation payload) with the engine's English words in ``lang``."""
    out = dict(data)
    out["countries"] = [
        {**c, "data_labels": [rule_label(rule, lang=lang) for rule in c["data"]]}
        for c in data["countries"]
    ]
    indicators = []
    for item in data["indicators"]:
        key = item["indicator"]
        name = (
            rule_label(key.removeprefix("imputed:"), lang=lang)
            if key.startswith("imputed:")
            else item["label"]
        )
        source = indicator_source(model, key, lang=lang)
        indicators.append({**item, "label": name, "source": source})
    out["indicators"] = indicators
    out["themes"] = [{**t, "imputed_percent": percent(t["imputed_share"])} for t in data["themes"]]
    out["imputed_percent"] = percent(data["imputed_share"])
    out["estimate_percent"] = percent(data["estimate_share"])
    return out


def score_summary(data: Mapping[str, Any], *, total: int, lang: str) -> list[list[str]]:
    """The overall score of a division explained in words, in ``lang``: two paragraphs of
    sentences. The first gives the rank, that the score is the mean of the theme scores (the
    engine's formula), the highest themes and the residual score; the second how much of the
    score rests on estimated sourcing shares and on imputed data (the two may overlap).

    ``data`` is the page's explanation of all themes (:func:`division_context`'s ``e``)."""
    from django.template.defaultfilters import floatformat
    from django.utils import translation
    from django.utils.translation import gettext, ngettext

    def number(value: float) -> str:
        return str(floatformat(value, 1))

    themes: Sequence[Mapping[str, Any]] = sorted(
        data["themes"], key=lambda t: t["score"], reverse=True
    )
    highest = [t for t in themes if t["score"] >= 0.05][:2]  # printed as more than 0.0
    with translation.override(lang):
        out = [
            gettext("Rank %(rank)s of %(total)s divisions.")
            % {"rank": data["rank"], "total": total},
            ngettext(
                "The overall score %(score)s is the mean of the scores on the %(count)s theme.",
                "The overall score %(score)s is the mean of the scores on the %(count)s themes.",
                len(themes),
            )
            % {"score": number(data["score"]), "count": len(themes)},
        ]
        if highest:
            names = [f"{t['name']} ({number(t['score'])})" for t in highest]
            joined = (
                names[0]
                if len(names) == 1
                else gettext("%(first)s and %(second)s")
                % {
                    "first": names[0],
                    "second": names[1],
                }
            )
            out.append(
                ngettext(
                    "The highest score is on %(themes)s.",
                    "The highest scores are on %(themes)s.",
                    len(highest),
                )
                % {"themes": joined}
            )
        if number(data["residual_score"]) == number(data["score"]):
            out.append(gettext("No recorded initiative lowers the score."))
        else:
            out.append(
                gettext("After existing initiatives a residual score of %(residual)s remains.")
                % {"residual": number(data["residual_score"])}
            )
        basis = []
        basis.append(
            gettext(
                "%(share)s%% of the score rests on estimated sourcing shares (the authors' "
                "assumptions about the countries the products come from)."
            )
            % {"share": percent(data["estimate_share"])}
        )
        basis.append(
            gettext(
                "%(share)s%% rests on missing data that was filled in by a fixed rule (imputed: "
                "countries without data, and supply not assigned to a country)."
            )
            % {"share": percent(data["imputed_share"])}
        )
    return [out, basis]


def division_context(
    result: SRAResult, *, explanation: Explanation, detail: Explanation | None, lang: str
) -> dict[str, Any]:
    """Template data of a division page: the explanation (all themes, and one theme if asked)
    with names and labels in ``lang``, the score in words, its themes by score, the number of
    divisions and the datasets."""
    model = result.model
    data = _page_labels(
        explanation_payload(explanation, model=model, lang=lang), model=model, lang=lang
    )
    total = len(result.sectors)
    return {
        "e": data,
        "summary": score_summary(data, total=total, lang=lang),
        "themes": sorted(data["themes"], key=lambda t: t["score"], reverse=True),
        "theme_detail": (
            _page_labels(
                explanation_payload(detail, model=model, lang=lang), model=model, lang=lang
            )
            if detail
            else None
        ),
        "total": total,
        "datasets": result.datasets,
    }
