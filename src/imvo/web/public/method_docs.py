"""The methodology documents, rendered from Markdown to HTML for the /methode/ pages.

The canonical files live in ``imvo/web/methodology/`` (package data, so a wheel carries them);
``docs/methodology/`` links to them. Each document exists in English (``NAME.md``) and Dutch
(``NAME.nl.md``); the page language picks the file. A file is rendered once per process and
rendered again only when its modification time changes. The files are ours, but raw HTML in
them is still escaped, not passed through.
"""

from __future__ import annotations

import html
import posixpath
import re
import threading
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import markdown
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from markdown.postprocessors import Postprocessor
from markdown.serializers import to_html_string
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

#: Where the app reads the documents (package data; docs/methodology/ links here).
METHODOLOGY_DIR = Path(__file__).resolve().parents[1] / "methodology"


@dataclass(frozen=True)
class MethodDocument:
    """One methodology document: its page slug, its file stem and a one-line description."""

    slug: str
    stem: str
    summary: str | Promise

    def path(self, language: str) -> Path:
        """The file for ``language``: ``STEM.nl.md`` for Dutch, ``STEM.md`` for English."""
        suffix = ".nl.md" if language == "nl" else ".md"
        return METHODOLOGY_DIR / f"{self.stem}{suffix}"


DOCUMENTS: tuple[MethodDocument, ...] = (
    MethodDocument(
        "sectorrisicoanalyse",
        "sra",
        gettext_lazy(
            "How the heat map of sector risks is computed: value chains, indicators, formulas, "
            "missing data, limitations and the comparison with the 2014 analysis."
        ),
    ),
    MethodDocument(
        "toets-convenantteksten",
        "assessment",
        gettext_lazy(
            "How a covenant text is read sentence by sentence for SMART commitments and the "
            "SER core elements, and how well that works."
        ),
    ),
    MethodDocument(
        "ser-kernelementen",
        "ser-checklist",
        gettext_lazy(
            "The ten core elements from the SER advice that the checklist looks for, and "
            "their sources."
        ),
    ),
    MethodDocument(
        "verwachting",
        "forecast",
        gettext_lazy(
            "How likely the programme is to reach its target: the model, every prior with its "
            "source, how to read the bands, and an honest backtest at the real letters."
        ),
    ),
)
BY_SLUG = {document.slug: document for document in DOCUMENTS}
BY_STEM = {document.stem: document for document in DOCUMENTS}


@dataclass(frozen=True)
class RenderedDocument:
    """A document as HTML: its first heading (text for <title>, HTML for <h1>), contents, body."""

    title: str
    heading: SafeString
    toc: SafeString
    body: SafeString


_CACHE: dict[Path, tuple[int, RenderedDocument]] = {}
_LOCK = threading.Lock()


def method_document(slug: str, language: str) -> RenderedDocument:
    """The document ``slug`` in ``language`` as HTML; ``KeyError`` for an unknown slug."""
    path = BY_SLUG[slug].path("nl" if language == "nl" else "en")
    mtime = path.stat().st_mtime_ns
    with _LOCK:
        cached = _CACHE.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    rendered = render_markdown(path.read_text(encoding="utf-8"))
    with _LOCK:
        _CACHE[path] = (mtime, rendered)
    return rendered


def page_url(href: str) -> str | None:
    """The page a link to a sibling document file points at (``sra.nl.md#3-formules`` →
    ``/methode/sectorrisicoanalyse/#3-formules``); ``None`` for any other link."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
        return None
    name = posixpath.basename(posixpath.normpath(parts.path))
    stem = re.sub(r"(\.nl)?\.md$", "", name)
    if stem not in BY_STEM or posixpath.dirname(posixpath.normpath(parts.path)) not in ("", "."):
        return None
    url = reverse("method:page", kwargs={"slug": BY_STEM[stem].slug})
    return f"{url}#{parts.fragment}" if parts.fragment else url


class _FirstHeading(Treeprocessor):
    """Takes the document's first <h1> out of the body: the page template shows it."""

    def run(self, root: etree.Element) -> None:
        self.md.first_heading = None  # type: ignore[attr-defined]
        heading = root.find("h1")
        if heading is not None:
            root.remove(heading)
            heading.tail = None
            inner = to_html_string(heading).strip().removeprefix("<h1>").removesuffix("</h1>")
            self.md.first_heading = inner  # type: ignore[attr-defined]


class _DocumentLinks(Treeprocessor):
    """Links between the documents become links between their pages."""

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            url = page_url(link.get("href", ""))
            if url is not None:
                link.set("href", url)


class _TableCodePipes(Treeprocessor):
    """A pipe in a code span in a table cell is written ``\\|`` (GitHub's table syntax needs
    it); on the page it is a plain ``|``."""

    def run(self, root: etree.Element) -> None:
        for cell in (*root.iter("td"), *root.iter("th")):
            for code in cell.iter("code"):
                if code.text and "\\|" in code.text:
                    code.text = AtomicString(code.text.replace("\\|", "|"))


class _ScrollFrames(Postprocessor):
    """Tables and code blocks scroll inside their own frame, never the page (see design.md)."""

    def run(self, text: str) -> str:
        for tag in ("table", "pre"):
            text = text.replace(f"<{tag}>", f'<div class="table-scroll"><{tag}>')
            text = text.replace(f"</{tag}>", f"</{tag}></div>")
        return text


def _converter() -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "toc"],
        extension_configs={"toc": {"toc_depth": "2-3"}},
        output_format="html",
    )
    # No raw HTML from the Markdown source: it is escaped and shown as text.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_DocumentLinks(md), "document_links", 15)
    md.treeprocessors.register(_TableCodePipes(md), "table_code_pipes", 14)
    md.treeprocessors.register(_FirstHeading(md), "first_heading", 6)  # before toc (5)
    md.postprocessors.register(_ScrollFrames(md), "scroll_frames", 1)
    return md


def render_markdown(source: str) -> RenderedDocument:
    """Markdown text as a :class:`RenderedDocument` (headings get ids, e.g. ``5-limitations``)."""
    md = _converter()
    body = md.convert(source)
    heading = getattr(md, "first_heading", None) or ""
    title = html.unescape(re.sub(r"<[^>]+>", "", heading))
    # Safe: the HTML comes from our own files, with raw HTML escaped (see _converter).
    return RenderedDocument(
        title=title,
        heading=mark_safe(heading),
        toc=mark_safe(md.toc),  # type: ignore[attr-defined]
        body=mark_safe(body),
    )
