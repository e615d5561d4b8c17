"""Numbers in Dutch and English covenant text: number words, percentages, amounts, fractions.

Everything here is a transparent rule: a regular expression or a word list. The functions
return :class:`Span` objects so that later steps can quote the exact words that justify a
verdict and can rule out numbers that sit inside a date, a period or a reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from imvo.analysis.assessment.model import Lang


@dataclass(frozen=True)
class Span:
    """A matched piece of a sentence: its words, offsets and what kind of thing it is."""

    text: str
    start: int
    end: int
    kind: str
    value: float | None = None


_UNITS_NL = {
    "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14,
    "vijftien": 15, "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19,
}  # fmt: skip
_TENS_NL = {
    "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
    "tachtig": 80, "negentig": 90, "honderd": 100, "duizend": 1000,
}  # fmt: skip
_UNITS_EN = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS_EN = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
}  # fmt: skip

_SMALL_NL = "|".join(sorted([*_UNITS_NL, "een"], key=len, reverse=True))
_NUMBER_WORD = {
    "nl": (
        rf"(?:(?:{_SMALL_NL})en(?:{'|'.join(_TENS_NL)})"
        rf"|{'|'.join(sorted([*_TENS_NL, *_UNITS_NL], key=len, reverse=True))})"
    ),
    "en": (
        rf"(?:(?:{'|'.join(_TENS_EN)})[- ](?:{'|'.join(_UNITS_EN)})"
        rf"|{'|'.join(sorted([*_TENS_EN, *_UNITS_EN], key=len, reverse=True))})"
    ),
}
DIGITS = r"\d{1,3}(?:[.,\u202f]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"


def number_pattern(lang: Lang) -> str:
    """A regular expression (no groups) for a number in digits or words in ``lang``."""
    return rf"(?:{DIGITS}|{_NUMBER_WORD[lang]})"


def word_value(word: str) -> float | None:
    """The value of a number written in digits or in Dutch or English words, else None."""
    text = word.strip().lower()
    digits = text.replace("\u202f", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", digits):
        return float(re.sub(r"[.,]", "", digits))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", digits):
        return float(digits.replace(",", "."))
    for units, tens in ((_UNITS_NL, _TENS_NL), (_UNITS_EN, _TENS_EN)):
        if text in units:
            return float(units[text])
        if text in tens:
            return float(tens[text])
    compound_nl = re.fullmatch(r"(\w+?)en(\w+)", text)
    if compound_nl and compound_nl.group(2) in _TENS_NL:
        unit = {"een": 1, **_UNITS_NL}.get(compound_nl.group(1))
        if unit:
            return float(_TENS_NL[compound_nl.group(2)] + unit)
    compound_en = re.fullmatch(r"(\w+)[- ](\w+)", text)
    if compound_en and compound_en.group(1) in _TENS_EN and compound_en.group(2) in _UNITS_EN:
        return float(_TENS_EN[compound_en.group(1)] + _UNITS_EN[compound_en.group(2)])
    return None


_MULTIPLIERS = {
    "duizend": 1e3, "thousand": 1e3, "k": 1e3, "miljoen": 1e6, "mln": 1e6, "million": 1e6,
    "miljard": 1e9, "mld": 1e9, "billion": 1e9, "bn": 1e9,
}  # fmt: skip
_MULT = r"(?:duizend|thousand|miljoen|mln\.?|million|miljard|mld\.?|billion|bn)"
_CURRENCY = r"(?:€|eur\b|euro\b|usd\b|us\$|\$|£)"


def _percent_re(lang: Lang) -> re.Pattern[str]:
    num = number_pattern(lang)
    unit = r"(?:%|procentpunten|procentpunt|procent|percentage\s+points?|per\s*cent|percent)"
    return re.compile(rf"(?<![\w.,])(?P<n>{num})\s*{unit}(?!\w)", re.IGNORECASE)


def _money_re(lang: Lang) -> re.Pattern[str]:
    num = number_pattern(lang)
    before = rf"{_CURRENCY}\s*(?P<n1>{num})(?:\s*(?P<m1>{_MULT}))?"
    after = rf"(?P<n2>{num})(?:\s*(?P<m2>{_MULT}))?\s*(?:euro|eur|dollars?|usd)\b"
    return re.compile(rf"(?:{before}|(?<![\w.,]){after})", re.IGNORECASE)


_FRACTIONS = {
    "nl": (
        (r"\b(?:de\s+)?helft\b", 0.5),
        (r"\bhalver\w*|\bgehalveerd\b", 0.5),
        (r"\b(?:een|één)\s*derde\b", 1 / 3),
        (r"\btwee\s*derde\b", 2 / 3),
        (r"\b(?:drie\s*kwart|driekwart)\b", 0.75),
        (r"\b(?:een|één)\s+kwart\b", 0.25),
        (r"\bverdubbel\w*|\bverdrievoudig\w*", 2.0),
    ),
    "en": (
        (r"\bhalf\s+(?:of|the)\b", 0.5),
        (r"\bhalv(?:e|es|ed|ing)\b", 0.5),
        (r"\b(?:one|a)[\s-]third\b", 1 / 3),
        (r"\btwo[\s-]thirds\b", 2 / 3),
        (r"\bthree[\s-]quarters\b", 0.75),
        (r"\b(?:one|a)[\s-]quarter\s+of\b", 0.25),
        (r"\b(?:double[sd]?|doubling|triple[sd]?|tripling)\b", 2.0),
    ),
}

_ZERO_TARGET = re.compile(
    r"\b(?:geen|no|zero|nul)\s+(?:\w+\s+){0,2}?"
    r"(?:kinderarbeid|dwangarbeid|child\s+labou?r|forced\s+labou?r|arbeidsongevallen|ongevallen"
    r"|accidents|fatalities|dodelijke\s+ongevallen|ontbossing|deforestation|landroof"
    r"|land\s+grabbing|incidenten|incidents)\b",
    re.IGNORECASE,
)

# A number right after one of these words names a part of a text or an instrument.
_REFERENCE_WORDS = (
    r"artikel|artikelen|art\.|paragraaf|par\.|hoofdstuk|bijlage|lid|sectie|onderdeel|verdrag"
    r"|conventie|article|articles|section|chapter|annex|appendix|paragraph|clause|convention"
    r"|principle|principe|beginsel|nr\.|no\.|nummer|number|versie|version|fase|phase|stap|step"
)
# A number right before one of these words names a set of standards, not a target.
_REFERENCE_NOUNS = (
    r"principes|principles|beginselen|kernverdragen|core\s+conventions|conventions|verdragen"
    r"|richtlijnen|guidelines|sdg'?s|duurzame\s+ontwikkelingsdoelen|sustainable\s+development"
    r"|goals|doelen|rechten|rights"
)


def reference_spans(text: str, *, lang: Lang) -> list[Span]:
    """Numbers that refer to articles, chapters, conventions or named sets of standards."""
    num = number_pattern(lang)
    roman = r"[IVXLC]+\b"
    spans = [
        Span(m.group(0), m.start(), m.end(), "reference")
        for m in re.finditer(
            rf"(?<!\w)(?:{_REFERENCE_WORDS})\s*(?:{DIGITS}(?:\.\d+)*[a-z]?|{roman})",
            text,
            re.IGNORECASE,
        )
    ]
    spans += [
        Span(m.group(0), m.start(), m.end(), "reference")
        for m in re.finditer(
            rf"(?<![\w.,]){num}\s+(?:\w+\s+)?(?:{_REFERENCE_NOUNS})\b", text, re.IGNORECASE
        )
    ]
    return spans


def percent_spans(text: str, *, lang: Lang) -> list[Span]:
    return [
        Span(m.group(0), m.start(), m.end(), "percentage", word_value(m.group("n")))
        for m in _percent_re(lang).finditer(text)
    ]


def money_spans(text: str, *, lang: Lang) -> list[Span]:
    spans = []
    for m in _money_re(lang).finditer(text):
        number = m.group("n1") or m.group("n2")
        multiplier = (m.group("m1") or m.group("m2") or "").lower().rstrip(".")
        value = word_value(number)
        if value is not None:
            value *= _MULTIPLIERS.get(multiplier, 1.0)
        spans.append(Span(m.group(0).strip(), m.start(), m.end(), "amount", value))
    return spans


def fraction_spans(text: str, *, lang: Lang) -> list[Span]:
    spans = []
    for pattern, value in _FRACTIONS[lang]:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            spans.append(Span(m.group(0), m.start(), m.end(), "fraction", value))
    spans += [
        Span(m.group(0), m.start(), m.end(), "zero target", 0.0)
        for m in _ZERO_TARGET.finditer(text)
    ]
    return spans


_ORDINARY_ONE = {"een", "one", "a", "an"}


def count_spans(text: str, *, lang: Lang) -> list[Span]:
    """Numbers followed by a word: candidate counts (the caller removes years, periods, refs)."""
    num = number_pattern(lang)
    extra = r"|tweemaal|driemaal|twice" if lang in ("nl", "en") else ""
    pattern = re.compile(
        rf"(?<![\w.,\-/€$£])(?P<n>{num}{extra})(?![\w.,]\d)(?=\s+[^\W\d])", re.IGNORECASE
    )
    spans = []
    for m in pattern.finditer(text):
        word = m.group("n")
        if word.lower() in _ORDINARY_ONE:
            continue
        value = {"tweemaal": 2.0, "twice": 2.0, "driemaal": 3.0}.get(word.lower())
        spans.append(Span(word, m.start(), m.end(), "count", value or word_value(word)))
    return spans


def overlaps(span: Span, others: list[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in others)
