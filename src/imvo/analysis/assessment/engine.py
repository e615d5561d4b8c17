"""The assessment engine's entry points: a file, a text, or a list of sentences."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from imvo.analysis.assessment.checklist import check_document
from imvo.analysis.assessment.extract import commitment_trigger, sentences
from imvo.analysis.assessment.language import detect_language
from imvo.analysis.assessment.model import Assessment, Commitment, Document, Lang, Location
from imvo.analysis.assessment.reader import ReadError, read_document, text_document
from imvo.analysis.assessment.smart import assess_commitment

LangChoice = Literal["auto", "nl", "en"]


def assess_document(
    document: Document, *, lang: LangChoice = "auto", checklist: bool = True
) -> Assessment:
    """Find and check the commitments of a document and, optionally, its core elements."""
    doc_lang: Lang = detect_language(document.text) if lang == "auto" else lang
    all_sentences = list(sentences(document.blocks))
    commitments = []
    for sentence in all_sentences:
        trigger = commitment_trigger(sentence.text)
        if trigger is None:
            continue
        party, results = assess_commitment(sentence.text, lang=doc_lang)
        commitments.append(
            Commitment(sentence.text, sentence.location, doc_lang, party, trigger, results)
        )
    elements = (
        check_document(sentences=all_sentences, commitments=commitments) if checklist else None
    )
    return Assessment(
        document.source,
        doc_lang,
        "document",
        tuple(commitments),
        elements,
        len(all_sentences),
        document.pages,
    )


def assess_file(
    path: Path | str, *, lang: LangChoice = "auto", checklist: bool = True
) -> Assessment:
    """Read ``path`` and assess it; raises :class:`ReadError` for unreadable input."""
    return assess_document(read_document(path), lang=lang, checklist=checklist)


def assess_text(
    text: str, *, source: str = "<text>", lang: LangChoice = "auto", checklist: bool = True
) -> Assessment:
    """Assess a covenant given as plain text."""
    return assess_document(text_document(text, source=source), lang=lang, checklist=checklist)


def assess_sentences(
    lines: list[str], *, source: str = "<sentences>", lang: LangChoice = "auto"
) -> Assessment:
    """Check every non-empty line as one commitment (language per line when ``auto``)."""
    commitments = []
    languages: list[Lang] = []
    for number, raw in enumerate(lines, start=1):
        text = " ".join(raw.split())
        if not text:
            continue
        line_lang: Lang = detect_language(text) if lang == "auto" else lang
        languages.append(line_lang)
        party, results = assess_commitment(text, lang=line_lang)
        trigger = commitment_trigger(text)
        commitments.append(Commitment(text, Location(number), line_lang, party, trigger, results))
    if not commitments:
        raise ReadError(f"{source}: no non-empty lines to assess")
    main_lang: Lang = (
        lang if lang != "auto" else max(("nl", "en"), key=languages.count)  # type: ignore[assignment]
    )
    return Assessment(source, main_lang, "sentences", tuple(commitments), None, len(commitments))


def assess_sentences_file(path: Path | str, *, lang: LangChoice = "auto") -> Assessment:
    """Read a text file in which every non-empty line is one commitment, and check each."""
    document = read_document(path)
    if document.fmt not in ("txt", "md"):
        raise ReadError(f"{path}: --sentences needs a .txt or .md file with one commitment a line")
    text = Path(path).read_text("utf-8-sig", errors="replace")
    return assess_sentences(text.splitlines(), source=str(path), lang=lang)
