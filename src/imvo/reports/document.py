"""A written document as plain blocks, in one language: what every renderer of the progress
letter (Markdown, HTML, DOCX, PDF) lays out.

The letter is composed once (:mod:`imvo.reports.progress`) into a :class:`Document`; each
renderer only lays it out, so the formats cannot drift apart in what they say. A run of text
may carry a footnote number; :attr:`Document.footnotes` holds the footnote texts in order
(footnote ``n`` is ``footnotes[n - 1]``). Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    """Text, optionally followed by a footnote reference (1-based) or emphasised."""

    text: str
    note: int | None = None
    emphasis: bool = False


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Heading:
    level: int  # 1: section, 2: subsection
    text: str
    id: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[tuple[Run, ...], ...]


@dataclass(frozen=True)
class Fields:
    """The letterhead: label/value pairs (Datum, Betreft, Onze referentie, …) and lines of
    address."""

    sender: str
    address: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    id: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: Rows (0-based) marked as changed since the previous letter.
    marked: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    #: The text alternative: what the picture shows, with its numbers.
    alt: str
    svg: str
    png: bytes


Block = Paragraph | Heading | Bullets | Fields | Table | Figure


@dataclass(frozen=True)
class Document:
    lang: str  # nl | en
    title: str
    subject: str
    author: str
    #: The day the document is dated (the reference date of the report).
    date: str
    blocks: tuple[Block, ...]
    footnotes: tuple[str, ...]
    #: Label texts the renderers need (e.g. "Voetnoten", "gewijzigd"), in ``lang``.
    labels: dict[str, str] = field(default_factory=dict)
