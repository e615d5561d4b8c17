"""The SMART check for one commitment: five verdicts, each with the words that justify it.

specific    an identifiable actor and a concrete action, deliverable or quantity
measurable  a number, percentage, fraction, amount or zero target that is not a reference,
            a date, a period or a past fact
time_bound  a date, target year, period, deadline or frequency
ambitious   judged only from a baseline and a target value ("van 20% in 2016 naar 50% in 2020")
realistic   judged only from baseline, target and both years: a modest yearly pace is "yes",
            a steep one is left for review; never "no", because realism depends on context
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from imvo.analysis.assessment import lexicon
from imvo.analysis.assessment.ambition import (
    check_ambitious,
    check_realistic,
    find_baseline_target,
)
from imvo.analysis.assessment.model import CriterionResult, Lang, Party, reason
from imvo.analysis.assessment.numbers import (
    Span,
    count_spans,
    fraction_spans,
    money_spans,
    overlaps,
    percent_spans,
    reference_spans,
)
from imvo.analysis.assessment.timeexpr import YEAR, time_spans, vague_time_spans

_TIME_KINDS = {"date", "period", "frequency", "deadline", "year"}
_DURATION_AFTER = re.compile(
    r"^\s*(?:werkdagen|werkdag|dagen|dag|weken|week|maanden|maand|jaren|jaar|uur|uren|kwartalen"
    r"|working\s+days|days|day|weeks|week|months|month|years|year|hours|hour)\b",
    re.IGNORECASE,
)


def _unique(texts: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in texts if t.strip()))


def mask_past_clauses(text: str) -> str:
    """Blank out clauses that report the past ("in 2015 tekenden 13 banken"), keeping offsets."""
    out = []
    for clause in re.split(r"(?<=;)|(?<=:)", text):
        if lexicon.PAST.search(clause) and not lexicon.FUTURE.search(clause):
            out.append(" " * len(clause))
        else:
            out.append(clause)
    return "".join(out)


def find_party(text: str) -> Party | None:
    """The earliest party named in ``text`` and its group, or None."""
    best: tuple[int, Party] | None = None
    for group, pattern in lexicon.PARTY_RE.items():
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), Party(m.group(0), group))
    return best[1] if best else None


@dataclass(frozen=True)
class _Quantities:
    targets: list[Span]
    ignored: list[Span]


def _quantities(text: str, lang: Lang, times: list[Span]) -> _Quantities:
    refs = reference_spans(text, lang=lang)
    strong = percent_spans(text, lang=lang) + money_spans(text, lang=lang)
    strong += [f for f in fraction_spans(text, lang=lang) if not overlaps(f, times)]
    targets = [s for s in strong if not overlaps(s, refs)]
    ignored = list(refs)
    for span in count_spans(text, lang=lang):
        is_year = span.value is not None and re.fullmatch(YEAR, span.text) is not None
        if (
            is_year
            or overlaps(span, times)
            or overlaps(span, refs)
            or overlaps(span, strong)
            or _DURATION_AFTER.match(text[span.end :])
        ):
            if overlaps(span, refs) or overlaps(span, times):
                continue
            ignored.append(span)
            continue
        targets.append(span)
    return _Quantities(targets, ignored)


def check_measurable(text: str, *, lang: Lang, times: list[Span]) -> CriterionResult:
    quantities = _quantities(text, lang, times)
    if quantities.targets:
        words = _unique([s.text for s in sorted(quantities.targets, key=lambda s: s.start)])
        return CriterionResult(
            "measurable",
            "yes",
            words,
            reason(
                "Bevat een te meten doel: " + ", ".join(words) + ".",
                "Contains a target to measure: " + ", ".join(words) + ".",
            ),
        )
    if quantities.ignored:
        words = _unique([s.text for s in quantities.ignored])
        return CriterionResult(
            "measurable",
            "no",
            words,
            reason(
                "Alleen getallen die geen doel zijn (verwijzing, jaartal of feit): "
                + ", ".join(words)
                + ".",
                "Only numbers that are not targets (reference, year or fact): "
                + ", ".join(words)
                + ".",
            ),
        )
    return CriterionResult(
        "measurable",
        "no",
        (),
        reason(
            "Geen getal, percentage, bedrag of indicator met streefwaarde.",
            "No number, percentage, amount or indicator with a target value.",
        ),
    )


def check_time_bound(text: str, *, times: list[Span]) -> CriterionResult:
    found = sorted((s for s in times if s.kind in _TIME_KINDS), key=lambda s: s.start)
    if found:
        words = _unique([s.text for s in found])
        return CriterionResult(
            "time_bound",
            "yes",
            words,
            reason(
                "Tijdgebonden: " + ", ".join(words) + ".",
                "Time-bound: " + ", ".join(words) + ".",
            ),
        )
    vague = _unique([s.text for s in vague_time_spans(text)])
    if vague:
        return CriterionResult(
            "time_bound",
            "no",
            vague,
            reason(
                "Alleen een vage termijn: " + ", ".join(vague) + ".",
                "Only vague timing: " + ", ".join(vague) + ".",
            ),
        )
    refs = _unique([s.text for s in times if s.kind == "reference year"])
    if refs:
        return CriterionResult(
            "time_bound",
            "no",
            refs,
            reason(
                "Jaartal is een referentie of nulmeting, geen termijn: " + ", ".join(refs) + ".",
                "Year is a reference or baseline, not a deadline: " + ", ".join(refs) + ".",
            ),
        )
    return CriterionResult(
        "time_bound",
        "no",
        (),
        reason(
            "Geen datum, jaartal, termijn of frequentie.",
            "No date, year, period or frequency.",
        ),
    )


def check_specific(text: str, *, party: Party | None, measurable: bool) -> CriterionResult:
    if party is None or (lexicon.NO_AGENT.search(text) and not _agent_named(text)):
        return CriterionResult(
            "specific",
            "no",
            (),
            reason(
                "Geen herkenbare partij die de afspraak uitvoert.",
                "No identifiable party that carries out the commitment.",
            ),
        )
    concrete = [m.group(0) for m in lexicon.CONCRETE.finditer(text)]
    concrete += [m.group(0) for m in lexicon.DELIVERABLE.finditer(text)]
    if concrete or measurable:
        words = _unique([party.text, *concrete[:3]])
        return CriterionResult(
            "specific",
            "yes",
            words,
            reason(
                f"Partij ({party.text}) en concrete handeling of doel.",
                f"Party ({party.text}) and a concrete action or target.",
            ),
        )
    vague = [m.group(0) for m in lexicon.VAGUE.finditer(text)]
    vague += [m.group(0) for m in lexicon.DIRECTIONAL.finditer(text)]
    if vague:
        words = _unique([party.text, *vague[:3]])
        return CriterionResult(
            "specific",
            "no",
            words,
            reason(
                "Alleen een intentie of richting (" + ", ".join(words[1:]) + "), geen concrete"
                " handeling of resultaat.",
                "Only an intention or direction (" + ", ".join(words[1:]) + "), no concrete"
                " action or result.",
            ),
        )
    return CriterionResult(
        "specific",
        "review",
        (party.text,),
        reason(
            f"Partij ({party.text}) gevonden, maar de handeling is niet herkend: lees na.",
            f"Party ({party.text}) found but the action was not recognised: please review.",
        ),
    )


def _agent_named(text: str) -> bool:
    for pattern in lexicon.PARTY_RE.values():
        if re.search(rf"\b(?:door|by)\s+(?:de\s+|het\s+|the\s+)?{pattern.pattern}", text, re.I):
            return True
    return False


_RELATIVE = re.compile(
    r"(?<!\w)(?:met|by)\s+\S+\s*(?:%|procent|percent)|helft|halve\w*|halver\w*|verdubbel\w*"
    r"|double\w*|triple\w*",
    re.IGNORECASE,
)


def assess_commitment(text: str, *, lang: Lang) -> tuple[Party | None, tuple[CriterionResult, ...]]:
    """Run the five SMART checks on one commitment; return its party and results."""
    current = mask_past_clauses(text)
    times = time_spans(current, lang=lang)
    party = find_party(current)
    measurable = check_measurable(current, lang=lang, times=times)
    time_bound = check_time_bound(current, times=times)
    specific = check_specific(current, party=party, measurable=measurable.verdict == "yes")
    found = find_baseline_target(current, lang=lang)
    ambitious = check_ambitious(found, relative=bool(_RELATIVE.search(current)))
    realistic = check_realistic(found)
    return party, (specific, measurable, ambitious, realistic, time_bound)
