"""Splitting a document into sentences and list items, and finding the commitments."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from imvo.analysis.assessment import lexicon
from imvo.analysis.assessment.model import Block, Location, Sentence

_ABBREVIATIONS = (
    "o.a", "bijv", "bv", "m.b.t", "t.a.v", "i.v.m", "d.w.z", "e.d", "enz", "art", "nr", "par",
    "e.g", "i.e", "etc", "cf", "no", "vs", "mr", "dr", "st", "jan", "feb", "mrt", "apr", "jun",
    "jul", "aug", "sep", "sept", "okt", "oct", "nov", "dec", "t.o.v", "incl", "excl", "resp",
)  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?](?:[\"')\]]+)?\s+(?=[\"'(\[]?[A-ZÀ-Ý0-9•])")
_LIST_ITEM = re.compile(
    r"^\s*(?:[-*•\u2013·▪]|\(?[0-9]{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s+", re.IGNORECASE
)
_ABBREV_END = re.compile(
    r"(?:^|[\s(])(?:" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r")\.$", re.IGNORECASE
)


def _is_heading(line: str, following: str | None) -> bool:
    """A short line without closing punctuation followed by a capitalised line (PDF headings)."""
    stripped = line.strip()
    return (
        following is not None
        and 0 < len(stripped) <= 70
        and stripped[-1] not in ".;:,!?"
        and following.strip()[:1].isupper()
    )


def _split_lines_into_items(text: str) -> Iterator[tuple[int, str]]:
    """Group the lines of a block into list items, headings and running text, with offsets."""
    current: list[str] = []
    start = 0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _LIST_ITEM.match(line) and current:
            yield start, "\n".join(current)
            current, start = [], index
        following = lines[index + 1] if index + 1 < len(lines) else None
        after_sentence = not current or current[-1].rstrip()[-1:] in ".;:!?"
        if after_sentence and _is_heading(line, following):
            if current:
                yield start, "\n".join(current)
                current = []
            yield index, line
            continue
        if not current:
            start = index
        current.append(line)
    if current:
        yield start, "\n".join(current)


def split_sentences(text: str) -> Iterator[tuple[int, str]]:
    """Sentences of ``text`` with the character offset where each starts."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        candidate = text[start : m.start() + 1]
        if _ABBREV_END.search(candidate) or re.search(r"\b\d{1,2}\.$", candidate.strip()):
            continue
        yield start, candidate
        start = m.end()
    if text[start:].strip():
        yield start, text[start:]


def sentences(blocks: Iterable[Block]) -> Iterator[Sentence]:
    """Every sentence and list item of the blocks, each with page, paragraph and line."""
    for block in blocks:
        for line_offset, item in _split_lines_into_items(block.text):
            for char_offset, raw in split_sentences(item):
                text = " ".join(_LIST_ITEM.sub("", raw, count=1).split())
                if len(text) < 12:
                    continue
                line = block.location.line + line_offset + item[:char_offset].count("\n")
                yield Sentence(text, Location(line, block.location.paragraph, block.location.page))


_HEADING = re.compile(r"^(?:artikel|article|hoofdstuk|chapter|bijlage|annex)\s+\S+\s*$", re.I)
_DEFINITION = re.compile(
    r"\b(?:wordt\s+verstaan\s+onder|is\s+defined\s+as|means|betekent|wordt\s+bedoeld)\b", re.I
)


def commitment_trigger(text: str) -> str | None:
    """The words that make ``text`` a commitment, or None.

    A sentence commits when it uses a committing phrase ("zullen", "verplichten zich",
    "will", "commit to", ...) or when a party opens it and it names a concrete act in the
    present tense, as Dutch covenants often do ("De bedrijven publiceren jaarlijks ...");
    sentences that report the past are not commitments.
    """
    if _HEADING.match(text) or _DEFINITION.search(text) or text.endswith("?"):
        return None
    m = lexicon.TRIGGERS.search(text)
    if m:
        return m.group(0)
    if lexicon.PAST.search(text):
        return None
    opening = " ".join(text.split()[:12])
    for pattern in lexicon.PARTY_RE.values():
        party = pattern.search(opening)
        if party:
            action = lexicon.CONCRETE.search(text, party.end())
            if action:
                return action.group(0)
    return None
