"""Time in Dutch and English covenant text: dates, target years, periods, frequencies.

A year counts as a time frame unless its context shows it is something else: a past event
("sinds 2013", "in 2015 tekenden"), a baseline ("ten opzichte van 2017", "compared with
2019") or a reference ("het SER-advies van 2014", "(2011)"). Vague time words ("zo snel
mogelijk", "over time") are reported so that a "no" can say why.
"""

from __future__ import annotations

import re

from imvo.analysis.assessment.model import Lang
from imvo.analysis.assessment.numbers import Span, number_pattern

YEAR = r"(?:19[5-9]\d|20\d\d|21\d\d)"
_MONTHS = (
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    r"|january|february|march|may|june|july|august|october|december|jan\.?|feb\.?|mrt\.?"
    r"|apr\.?|jun\.?|jul\.?|aug\.?|sep\.?|sept\.?|okt\.?|oct\.?|nov\.?|dec\.?"
)
_UNITS = {
    "nl": r"(?:werkdagen|werkdag|dagen|dag|weken|week|maanden|maand|kwartalen|kwartaal|jaren"
    r"|jaar|uur|uren)",
    "en": r"(?:working\s+days|business\s+days|days|day|weeks|week|months|month|quarters"
    r"|quarter|years|year|hours|hour)",
}
_PERIOD_WORDS = {
    "nl": r"(?:binnen|uiterlijk|gedurende|na|over|in|tot)",
    "en": r"(?:within|no\s+later\s+than|during|after|over|in|for|by)",
}
_ORDINALS = {
    "nl": r"(?:eerste|tweede|derde|vierde|vijfde|laatste)",
    "en": r"(?:first|second|third|fourth|fifth|final|last)",
}


def _patterns(lang: Lang) -> list[tuple[str, re.Pattern[str]]]:
    num = number_pattern(lang)
    unit = _UNITS[lang]
    one = r"(?:een|één|anderhalf)" if lang == "nl" else r"(?:a|an|one)"
    ahead = (
        r"(?:de\s+)?(?:komende|eerste|volgende)\s+"
        if lang == "nl"
        else (r"(?:the\s+)?(?:next|coming|first|following)\s+")
    )
    flags = re.IGNORECASE
    found = [
        ("date", rf"\b\d{{1,2}}\s+(?:{_MONTHS})\s+{YEAR}\b"),
        ("date", rf"\b(?:{_MONTHS})\s+(?:\d{{1,2}},?\s+)?{YEAR}\b"),
        ("date", rf"\b\d{{1,2}}[-/.]\d{{1,2}}[-/.]{YEAR}\b"),
        (
            "date",
            rf"\b(?:(?:uiterlijk\s+)?(?:eind|einde|begin|medio|halverwege|ultimo|primo)"
            rf"|(?:the\s+)?(?:end|beginning|start|middle)\s+of|late|early|mid-?"
            rf"|(?:het\s+)?{_ORDINALS['nl']}\s+kwartaal\s+van|(?:de\s+)?eerste\s+helft\s+van"
            rf"|(?:de\s+)?tweede\s+helft\s+van|(?:the\s+)?(?:first|second)\s+half\s+of"
            rf"|(?:the\s+)?{_ORDINALS['en']}\s+quarter\s+of|q[1-4])\s*-?\s*{YEAR}\b",
        ),
        (
            "period",
            rf"\b{YEAR}\s*(?:-|\u2013|\u2014|/|tot\s+en\s+met|t/m|tot|to|until|through)\s*{YEAR}\b",
        ),
        (
            "period",
            rf"\b{_PERIOD_WORDS[lang]}\s+(?:{ahead})?(?:{num}|{one})?\s*(?:half\s+)?{unit}\b"
            rf"(?:\s+tijd)?",
        ),
        ("period", rf"\b(?:in|within|during)\s+(?:het|de|the)\s+{_ORDINALS[lang]}\s+{unit}\b"),
        (
            "period",
            r"\b(?:gedurende\s+de\s+looptijd|halverwege\s+de\s+looptijd|bij\s+de\s+ondertekening"
            r"|tijdens\s+de\s+looptijd|during\s+the\s+term|halfway\s+through\s+(?:its|the)\s+term"
            r"|for\s+the\s+duration\s+of\s+(?:the|this)\s+agreement|on\s+signing)\b",
        ),
        (
            "frequency",
            r"\b(?:jaarlijks\w*|halfjaarlijks\w*|tweejaarlijks\w*|driejaarlijks\w*|maandelijks\w*"
            r"|driemaandelijks\w*|wekelijks\w*|annual(?:ly)?|yearly|biannual(?:ly)?|biennial(?:ly)?"
            r"|quarterly|monthly|weekly)\b",
        ),
        (
            "frequency",
            rf"\b(?:elk|elke|ieder|iedere|every|each)\s+(?:{num}\s+)?{unit}\b",
        ),
        ("frequency", rf"\b(?:per|a|an)\s+(?:{_UNITS['nl']}|{_UNITS['en']}|annum)\b"),
        (
            "deadline",
            r"\b(?:deadline|uiterste\s+datum|streefdatum|target\s+date|einddatum|end\s+date)\b",
        ),
    ]
    patterns = [(kind, re.compile(p, flags)) for kind, p in found]
    if lang == "en":
        # "a year" on its own is a frequency only after a count of times ("four times a year").
        patterns = [
            (
                k,
                re.compile(
                    p.pattern.replace(r"\b(?:per|a|an)\s+", r"\b(?:per|times\s+a)\s+"), flags
                ),
            )
            if k == "frequency" and p.pattern.startswith(r"\b(?:per|a|an)")
            else (k, p)
            for k, p in patterns
        ]
    else:
        patterns = [
            (k, re.compile(p.pattern.replace(r"\b(?:per|a|an)\s+", r"\bper\s+"), flags))
            if k == "frequency" and p.pattern.startswith(r"\b(?:per|a|an)")
            else (k, p)
            for k, p in patterns
        ]
    return patterns


_CACHE: dict[str, list[tuple[str, re.Pattern[str]]]] = {}

_YEAR_RE = re.compile(rf"(?<![\w.,/-]){YEAR}(?![\w.,]\d|-\d)")
_NOT_A_DEADLINE_BEFORE = re.compile(
    r"(?:sinds|since|ten\s+opzichte\s+van|t\.o\.v\.|vergeleken\s+met|in\s+vergelijking\s+met"
    r"|compared\s+(?:to|with)|relative\s+to|versus|vs\.?|baseline|nulmeting|referentiejaar"
    r"|base\s+year|(?<!\d\s)van|of|uit|\()\s*$",
    re.IGNORECASE,
)
_RANGE_AFTER = re.compile(r"^\s*(?:tot|naar|to|until)\b", re.IGNORECASE)

VAGUE_TIME = re.compile(
    r"\b(?:zo\s+(?:snel|spoedig)\s+mogelijk|op\s+(?:korte|middellange|lange)?\s*termijn"
    r"|in\s+de\s+toekomst|in\s+de\s+komende\s+(?:periode|tijd)|te\s+zijner\s+tijd|geleidelijk"
    r"|as\s+soon\s+as\s+possible|over\s+time|in\s+due\s+course|eventually|in\s+the\s+future"
    r"|in\s+the\s+(?:long|short|medium)\s+term|in\s+the\s+coming\s+period|gradually)\b",
    re.IGNORECASE,
)


def time_spans(text: str, *, lang: Lang) -> list[Span]:
    """Dates, periods, frequencies, deadlines and target years found in ``text``."""
    patterns = _CACHE.setdefault(lang, _patterns(lang))
    spans = [
        Span(m.group(0).strip(), m.start(), m.end(), kind)
        for kind, pattern in patterns
        for m in pattern.finditer(text)
    ]
    for m in _YEAR_RE.finditer(text):
        if any(s.start <= m.start() and m.end() <= s.end for s in spans):
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        after = text[m.end() : m.end() + 12]
        if _NOT_A_DEADLINE_BEFORE.search(before) and not _RANGE_AFTER.match(after):
            spans.append(Span(m.group(0), m.start(), m.end(), "reference year"))
            continue
        spans.append(Span(m.group(0), m.start(), m.end(), "year"))
    return spans


def vague_time_spans(text: str) -> list[Span]:
    return [Span(m.group(0), m.start(), m.end(), "vague time") for m in VAGUE_TIME.finditer(text)]
