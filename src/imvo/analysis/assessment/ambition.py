"""Ambitious and realistic: judged only from a baseline and a target ("van 20% in 2016 naar 50%
in 2020"). Ambitious when the change is large enough; realistic when the yearly pace it needs is
modest — never "no", because realism depends on context, a steep pace is left for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from imvo.analysis.assessment.model import CriterionResult, Lang, reason
from imvo.analysis.assessment.numbers import DIGITS, number_pattern, word_value
from imvo.analysis.assessment.timeexpr import YEAR

AMBITION_POINTS = 10.0  # percentage points of change that count as ambitious
AMBITION_SHARE = 0.25  # or this share of the baseline
REALISTIC_POINTS_PER_YEAR = 15.0
REALISTIC_SHARE_PER_YEAR = 0.25


@dataclass(frozen=True)
class BaselineTarget:
    baseline: float
    target: float
    percent: bool
    baseline_year: int | None
    target_year: int | None
    words: str


def _value_pattern(lang: Lang) -> str:
    num = number_pattern(lang)
    return (
        rf"(?:(?:€|eur|euro|usd|\$)\s*)?{num}(?:\s*(?:duizend|thousand|miljoen|million|miljard"
        rf"|billion))?(?:\s*(?:%|procent|percent|per\s*cent))?"
    )


def find_baseline_target(text: str, *, lang: Lang) -> BaselineTarget | None:
    """A 'from X (in year) to Y (in year)' pattern, with values parsed, or None."""
    value = _value_pattern(lang)
    pattern = re.compile(
        rf"\b(?:van|from)\s+(?P<b>{value})(?:\s+(?:in|per|op|nu|now)\s*(?P<by>{YEAR})?)?"
        rf"\s+(?:naar|tot|to)\s+(?P<t>{value})"
        rf"(?:\s+(?:in|by|per|voor|vóór|uiterlijk(?:\s+in)?|eind|end\s+of)\s+(?P<ty>{YEAR}))?",
        re.IGNORECASE,
    )
    for m in pattern.finditer(text):
        baseline, base_pct = _parse_value(m.group("b"))
        target, target_pct = _parse_value(m.group("t"))
        if baseline is None or target is None:
            continue
        if re.fullmatch(YEAR, m.group("b").strip()):
            continue  # "van 2017 tot 2021" is a period, not a baseline
        return BaselineTarget(
            baseline,
            target,
            base_pct or target_pct,
            int(m.group("by")) if m.group("by") else None,
            int(m.group("ty")) if m.group("ty") else None,
            m.group(0),
        )
    return None


def _parse_value(text: str) -> tuple[float | None, bool]:
    lowered = text.lower()
    percent = bool(re.search(r"%|procent|percent|per\s*cent", lowered))
    number = re.search(rf"{DIGITS}|[a-zé-]+", re.sub(r"€|eur\b|euro|usd|\$", "", lowered).strip())
    value = word_value(number.group(0)) if number else None
    if value is None:
        return None, percent
    for word, factor in (("duizend", 1e3), ("thousand", 1e3), ("miljoen", 1e6),
                         ("million", 1e6), ("miljard", 1e9), ("billion", 1e9)):  # fmt: skip
        if word in lowered:
            value *= factor
    return value, percent


def check_ambitious(found: BaselineTarget | None, *, relative: bool) -> CriterionResult:
    if found is None:
        if relative:
            return CriterionResult(
                "ambitious",
                "review",
                (),
                reason(
                    "Relatief doel zonder uitgangsniveau: ambitie niet te beoordelen uit de tekst.",
                    "Relative target without a baseline level: ambition cannot be judged.",
                ),
            )
        return CriterionResult(
            "ambitious",
            "review",
            (),
            reason(
                "Geen nulmeting en streefwaarde: ambitie vraagt menselijk oordeel.",
                "No baseline and target value: ambition needs human judgement.",
            ),
        )
    change = abs(found.target - found.baseline)
    share = change / found.baseline if found.baseline else float("inf")
    big = (found.percent and change >= AMBITION_POINTS) or share >= AMBITION_SHARE
    unit_nl, unit_en = ("procentpunt", "percentage points") if found.percent else ("", "")
    measure_nl = f"{change:g} {unit_nl} ({share:.0%} van de nulmeting)".replace("  ", " ")
    measure_en = f"{change:g} {unit_en} ({share:.0%} of the baseline)".replace("  ", " ")
    if big:
        return CriterionResult(
            "ambitious",
            "yes",
            (found.words,),
            reason(
                f"Verandering van {measure_nl} ten opzichte van de nulmeting.",
                f"Change of {measure_en} against the baseline.",
            ),
        )
    return CriterionResult(
        "ambitious",
        "no",
        (found.words,),
        reason(
            f"Kleine verandering: {measure_nl}; drempel is {AMBITION_POINTS:g} procentpunt of"
            f" {AMBITION_SHARE:.0%}.",
            f"Small change: {measure_en}; threshold is {AMBITION_POINTS:g} percentage points or"
            f" {AMBITION_SHARE:.0%}.",
        ),
    )


def check_realistic(found: BaselineTarget | None) -> CriterionResult:
    if found is None or not found.baseline_year or not found.target_year:
        return CriterionResult(
            "realistic",
            "review",
            (found.words,) if found else (),
            reason(
                "Zonder nulmeting, streefwaarde en beide jaartallen is haalbaarheid niet te"
                " beoordelen.",
                "Without baseline, target and both years, feasibility cannot be judged.",
            ),
        )
    years = found.target_year - found.baseline_year
    if years <= 0:
        return CriterionResult(
            "realistic",
            "review",
            (found.words,),
            reason("Doeljaar ligt niet na het basisjaar.", "Target year is not after base year."),
        )
    change = abs(found.target - found.baseline)
    if found.percent:
        pace = change / years
        modest = pace <= REALISTIC_POINTS_PER_YEAR
        pace_nl, pace_en = f"{pace:.1f} procentpunt per jaar", f"{pace:.1f} points a year"
    else:
        pace = (change / found.baseline if found.baseline else float("inf")) / years
        modest = pace <= REALISTIC_SHARE_PER_YEAR
        pace_nl, pace_en = f"{pace:.0%} van de nulmeting per jaar", f"{pace:.0%} of baseline a year"
    if modest:
        return CriterionResult(
            "realistic",
            "yes",
            (found.words,),
            reason(
                f"Benodigd tempo {pace_nl} over {years} jaar lijkt haalbaar.",
                f"Required pace of {pace_en} over {years} years looks feasible.",
            ),
        )
    return CriterionResult(
        "realistic",
        "review",
        (found.words,),
        reason(
            f"Benodigd tempo {pace_nl} is hoog: haalbaarheid hangt af van de context.",
            f"Required pace of {pace_en} is steep: feasibility depends on context.",
        ),
    )
