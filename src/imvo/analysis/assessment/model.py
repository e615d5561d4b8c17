"""Plain data passed between the assessment engine's steps (no Django, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Verdict = Literal["yes", "no", "review"]
Status = Literal["present", "partly", "absent"]
Lang = Literal["nl", "en"]

CRITERIA: tuple[str, ...] = ("specific", "measurable", "ambitious", "realistic", "time_bound")


@dataclass(frozen=True)
class Location:
    """Where a piece of text sits: page (PDF only), paragraph (1-based block) and line."""

    line: int
    paragraph: int | None = None
    page: int | None = None

    def as_dict(self) -> dict[str, int | None]:
        return {"page": self.page, "paragraph": self.paragraph, "line": self.line}


@dataclass(frozen=True)
class Block:
    """A paragraph or list item as read from a file, with the location of its first line."""

    text: str
    location: Location


@dataclass(frozen=True)
class Document:
    """The readable text of a covenant file."""

    source: str
    fmt: str
    blocks: tuple[Block, ...]
    pages: int | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(block.text for block in self.blocks)


@dataclass(frozen=True)
class Sentence:
    """One sentence or list item with its location."""

    text: str
    location: Location


@dataclass(frozen=True)
class Party:
    """A committing party as named in the text and the group it belongs to."""

    text: str
    group: str


def reason(nl: str, en: str) -> dict[str, str]:
    """The reason for a verdict in both languages (the convention of :mod:`imvo.core.bilingual`)."""
    return {"nl": nl, "en": en}


@dataclass(frozen=True)
class CriterionResult:
    """One SMART criterion for one commitment: verdict, justifying words and a reason."""

    criterion: str
    verdict: Verdict
    evidence: tuple[str, ...] = ()
    reason: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Commitment:
    """A committing sentence with its party and SMART results."""

    text: str
    location: Location
    lang: Lang
    party: Party | None
    trigger: str | None
    results: tuple[CriterionResult, ...]

    def result(self, criterion: str) -> CriterionResult:
        for result in self.results:
            if result.criterion == criterion:
                return result
        raise KeyError(criterion)


@dataclass(frozen=True)
class Evidence:
    """A quoted passage supporting a checklist element, with its location."""

    quote: str
    location: Location


@dataclass(frozen=True)
class ElementResult:
    """One SER core element for a whole document."""

    element: str
    status: Status
    evidence: tuple[Evidence, ...] = ()
    found: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """The full result for one document or one list of sentences."""

    source: str
    lang: Lang
    mode: Literal["document", "sentences"]
    commitments: tuple[Commitment, ...]
    checklist: tuple[ElementResult, ...] | None = None
    sentences_read: int = 0
    pages: int | None = None
