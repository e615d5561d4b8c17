"""The progress letter as an accessible, tagged PDF (PDF/UA-1), typeset offline by Typst.

The :class:`~imvo.reports.document.Document` is never spliced into Typst markup: it is written
as ``doc.json`` into a temporary project directory, beside the template
(``templates/progress.typ``) and the figures as PNG files, and the template builds the letter
from that data, showing every text as plain text. So ``#``, ``*``, ``$``, ``[x]`` or ``<b>`` in
a text reach the page verbatim and cannot change the layout.

Only the fonts bundled with Typst are used (Libertinus Serif: Dutch accents, en dash, €, ●),
and the creation date is the letter's date, so the same document gives the same bytes.
Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typst

from imvo.reports.document import (
    Block,
    Bullets,
    Document,
    Fields,
    Figure,
    Heading,
    Paragraph,
    Run,
    Table,
)

TEMPLATE = Path(__file__).parent / "templates" / "progress.typ"

#: Region of each letter language (PDF /Lang ``nl-NL``, ``en-GB``; Typst's hyphenation).
REGIONS = {"nl": "NL", "en": "GB"}
#: The footer's "page X of Y".
PAGE_WORDS = {"nl": ("pagina", "van"), "en": ("page", "of")}
#: Appended to the first cell of a changed row; the legend under the table explains it.
MARKER = "●"


def render_pdf(doc: Document) -> bytes:
    """The letter as PDF/UA-1 bytes; ``RuntimeError`` with Typst's message if Typst refuses."""
    if doc.lang not in REGIONS:
        raise ValueError(f"no PDF layout for language {doc.lang!r} (expected nl or en)")
    date = dt.date.fromisoformat(doc.date)
    with tempfile.TemporaryDirectory(prefix="imvo-progress-pdf-") as tmp:
        root = Path(tmp)
        data = _document_data(doc, date, root)
        (root / "doc.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        main = root / "main.typ"
        main.write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
        try:
            pdf = typst.compile(
                main,
                root=root,
                format="pdf",
                pdf_standards=["ua-1"],
                ignore_system_fonts=True,
                font_paths=[],
                timestamp=dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC),
            )
        except typst.TypstError as error:
            raise RuntimeError(
                f"Typst could not typeset the progress letter: {_why(error)}"
            ) from error
    if not isinstance(pdf, bytes):  # a PDF is one file, never a list of pages
        raise RuntimeError("Typst returned no single PDF file")
    return pdf


def _why(error: typst.TypstError) -> str:
    details = [getattr(error, "message", "") or str(error)]
    details += [f"hint: {hint}" for hint in getattr(error, "hints", None) or ()]
    return "; ".join(details)


def _document_data(doc: Document, date: dt.date, root: Path) -> dict[str, Any]:
    page, of = PAGE_WORDS[doc.lang]
    notes = _Notes(doc.footnotes)
    blocks = [_block(block, index, notes, root) for index, block in enumerate(doc.blocks)]
    _unique_ids(blocks)
    return {
        "lang": doc.lang,
        "region": REGIONS[doc.lang],
        "title": doc.title,
        "subject": doc.subject,
        "author": doc.author,
        "date": {"year": date.year, "month": date.month, "day": date.day},
        "marker": MARKER,
        "labels": {"changed": doc.labels.get("changed", "changed"), "page": page, "of": of},
        "blocks": blocks,
    }


class _Notes:
    """Footnote texts by number; remembers which notes the letter has already shown."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        self.shown: set[int] = set()

    def run(self, run: Run) -> dict[str, Any]:
        data: dict[str, Any] = {"text": run.text, "emphasis": run.emphasis, "note": run.note}
        if run.note is not None:
            if not 1 <= run.note <= len(self.texts):
                raise ValueError(f"footnote {run.note} does not exist ({len(self.texts)} notes)")
            data["note_text"] = self.texts[run.note - 1]
            data["first"] = run.note not in self.shown
            self.shown.add(run.note)
        return data

    def runs(self, runs: Sequence[Run]) -> list[dict[str, Any]]:
        return [self.run(run) for run in runs]


def _block(block: Block, index: int, notes: _Notes, root: Path) -> dict[str, Any]:
    match block:
        case Paragraph(runs=runs):
            return {"kind": "paragraph", "runs": notes.runs(runs)}
        case Heading(level=level, text=text, id=id_):
            return {"kind": "heading", "level": min(max(level, 1), 2), "text": text, "id": id_}
        case Bullets(items=items):
            return {"kind": "bullets", "items": [notes.runs(item) for item in items]}
        case Fields(sender=sender, address=address, fields=fields):
            pairs = [[name, value] for name, value in fields]
            return {"kind": "fields", "sender": sender, "address": list(address), "fields": pairs}
        case Table():
            return {
                "kind": "table",
                "id": block.id,
                "caption": block.caption,
                "header": list(block.header),
                "rows": [_padded(row, len(block.header)) for row in block.rows],
                "marked": sorted(block.marked),
            }
        case Figure():
            name = f"figure-{index}.png"
            (root / name).write_bytes(block.png)
            return {
                "kind": "figure",
                "id": block.id,
                "title": block.title,
                "alt": block.alt,
                "file": name,
            }
    raise TypeError(f"not a block of the letter: {block!r}")


def _unique_ids(blocks: list[dict[str, Any]]) -> None:
    """Ids become Typst labels (PDF named destinations: ``brief.pdf#inleiding``); a label must
    occur once and ``footnote:n`` is the template's own, so a repeated id is dropped."""
    seen: set[str] = set()
    for block in blocks:
        if "id" in block:
            if block["id"] in seen or block["id"].startswith("footnote:"):
                block["id"] = ""
            seen.add(block["id"])


def _padded(row: Sequence[str], width: int) -> list[str]:
    """A row with exactly one cell per column (Typst would shift the rest of the table)."""
    return [*row[:width], *([""] * (width - len(row)))]
