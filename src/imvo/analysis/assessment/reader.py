"""Reading covenant files (.txt, .md, .docx, .pdf) into blocks of text with locations.

Every problem a user can cause is raised as :class:`ReadError` with a one-line message that
names the file; callers never see a library's own exception.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from imvo.analysis.assessment.model import Block, Document, Location
from imvo.core.errors import DataError

MAX_BYTES = 20 * 1024 * 1024
FORMATS = (".txt", ".md", ".docx", ".pdf")


class ReadError(DataError):
    """A file that cannot be assessed; the message is one line and names the file."""


def read_document(path: Path | str, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read ``path`` into a :class:`Document`, or raise :class:`ReadError`."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise ReadError(f"{name}: file not found")
    if not path.is_file():
        raise ReadError(f"{name}: not a file")
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ReadError(
            f"{name}: unsupported file type {suffix or '(none)'!r}; use .txt, .md, .docx or .pdf"
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise ReadError(
            f"{name}: file is {size / 1024 / 1024:.1f} MB, over the limit of "
            f"{max_bytes / 1024 / 1024:.0f} MB"
        )
    if size == 0:
        raise ReadError(f"{name}: file is empty")
    if suffix == ".docx":
        document = _read_docx(path)
    elif suffix == ".pdf":
        document = _read_pdf(path)
    else:
        document = text_document(_decode(path), source=name, fmt=suffix[1:])
    if not any(block.text.strip() for block in document.blocks):
        raise ReadError(f"{name}: file has no text")
    return document


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise ReadError(f"{path}: not a text file (binary content)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_MARKDOWN = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?)|(\*\*|__|`)", re.MULTILINE)


def text_document(text: str, *, source: str, fmt: str = "txt") -> Document:
    """Blocks of a plain-text or Markdown text: paragraphs split on blank lines (form feeds
    start a new page)."""
    if fmt == "md":
        text = _MARKDOWN.sub("", text)
    blocks: list[Block] = []
    page_texts = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    paged = len(page_texts) > 1
    line = 1
    for page_number, page_text in enumerate(page_texts, start=1):
        for paragraph in _paragraphs(page_text):
            first, body = paragraph
            blocks.append(
                Block(body, Location(line + first, len(blocks) + 1, page_number if paged else None))
            )
        line += page_text.count("\n")
    return Document(source, fmt, tuple(blocks), len(page_texts) if paged else None)


def _paragraphs(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for index, raw in enumerate(text.split("\n")):
        if raw.strip():
            if not current:
                start = index
            current.append(raw.rstrip())
        elif current:
            found.append((start, "\n".join(current)))
            current = []
    if current:
        found.append((start, "\n".join(current)))
    return found


def _read_docx(path: Path) -> Document:
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - dependency of the package
        raise ReadError(f"{path}: reading .docx needs python-docx ({exc})") from None
    try:
        word = docx.Document(str(path))
        texts = [p.text for p in word.paragraphs]
        for table in word.tables:
            for row in table.rows:
                texts.extend(cell.text for cell in row.cells)
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise ReadError(f"{path}: not a valid .docx file ({_short(exc)})") from None
    except Exception as exc:  # lxml and zip errors of a damaged package
        raise ReadError(f"{path}: cannot read .docx file ({_short(exc)})") from None
    blocks = [
        Block(text.strip(), Location(number, number))
        for number, text in enumerate(texts, start=1)
        if text.strip()
    ]
    return Document(str(path), "docx", tuple(blocks))


def _read_pdf(path: Path) -> Document:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as exc:  # pragma: no cover - dependency of the package
        raise ReadError(f"{path}: reading .pdf needs pypdf ({exc})") from None
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        pdf = PdfReader(str(path), strict=False)
        if pdf.is_encrypted and not pdf.decrypt(""):
            raise ReadError(f"{path}: PDF is encrypted")
        pages = [page.extract_text() or "" for page in pdf.pages]
    except ReadError:
        raise
    except PyPdfError as exc:
        raise ReadError(f"{path}: not a valid PDF file ({_short(exc)})") from None
    except Exception as exc:  # damaged streams raise assorted errors inside pypdf
        raise ReadError(f"{path}: cannot read PDF file ({_short(exc)})") from None
    if not pages:
        raise ReadError(f"{path}: PDF has no pages")
    if not any(page.strip() for page in pages):
        raise ReadError(f"{path}: PDF has no text layer (scanned image?); run OCR first")
    blocks: list[Block] = []
    for page_number, page_text in enumerate(pages, start=1):
        for first, body in _paragraphs(_unhyphenate(page_text)):
            blocks.append(Block(body, Location(first + 1, len(blocks) + 1, page_number)))
    return Document(str(path), "pdf", tuple(blocks), len(pages))


def _unhyphenate(text: str) -> str:
    return re.sub(r"(\w)-\n(\w)", r"\1\2", text)


def _short(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message[:120]
