"""The methodology pages (/methode/): one language per page, and translations that cannot drift.

Each document exists in English (``NAME.md``) and Dutch (``NAME.nl.md``) in
``src/imvo/web/methodology/``; ``docs/methodology/`` links to the same files. The parity tests
compare the two versions' structure: headings per level, code, tables and the numbers in them.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from imvo.web.public import method_docs
from imvo.web.public.method_docs import DOCUMENTS, method_document, page_url, render_markdown

ROOT = Path(__file__).resolve().parents[3]
DOCS_DIR = ROOT / "docs" / "methodology"
SLUGS = [document.slug for document in DOCUMENTS]
LANGUAGES = ["nl", "en"]


def source(document: method_docs.MethodDocument, language: str) -> str:
    return document.path(language).read_text(encoding="utf-8")


# ---- Reading the Markdown source -------------------------------------------------------------

FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`([^`\n]+)`")
ITALIC = re.compile(r"(?<![*\w])\*(?!\*)([^*\n]+?)\*(?![*\w])")
LINK = re.compile(r"\]\(([^)\s]+)\)")
#: A number as each language writes it: 11,000 and 0.5 in English, 11.000 and 0,5 in Dutch.
NUMBER = {
    "en": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d*\.\d+|\d+"),
    "nl": re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d*,\d+|\d+"),
}


def numbers(text: str, language: str) -> Counter[float]:
    found = Counter()
    for token in NUMBER[language].findall(text):
        if language == "en":
            found[float(token.replace(",", ""))] += 1
        else:
            found[float(token.replace(".", "").replace(",", "."))] += 1
    return found


def prose(text: str) -> str:
    """The text without its fenced code blocks."""
    return FENCE.sub("", text)


def headings(text: str) -> list[tuple[int, str]]:
    return [
        (len(match.group(1)), match.group(2).strip())
        for match in re.finditer(r"^(#{1,6})\s+(.+)$", prose(text), re.MULTILINE)
    ]


def tables(text: str) -> list[list[list[str]]]:
    """Every table as rows of cells (without the |---| line)."""
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*prose(text).splitlines(), ""]:
        if line.startswith("|"):
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                current.append(cells)
        elif current:
            found.append(current)
            current = []
    return found


def code_lines(block: str) -> list[str]:
    """A code block without its comments: ``# …`` in shell, and the text after a formula
    (``λ  = max(…)        E = ILAB evidence …``: four spaces or more after the right side)."""
    lines = []
    for line in block.splitlines():
        line = re.sub(r"\s+#\s.*$", "", line)
        if "=" in line and not line.startswith(" "):
            left, right = line.split("=", 1)
            line = left + "=" + re.split(r"\s{4,}", right)[0]
        lines.append(line.rstrip())
    return lines


def without_code_and_examples(cell: str) -> str:
    return ITALIC.sub(" ", CODE_SPAN.sub(" ", cell))


# ---- The pages --------------------------------------------------------------------------------


class Page(HTMLParser):
    """The parts of a rendered page that the tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.h1: list[str] = []
        self.h2: list[str] = []
        self.title = ""
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if tag in ("h1", "h2", "title"):
            self._open.append(tag)
            if tag in ("h1", "h2"):
                getattr(self, tag).append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self._open:
            return
        tag = self._open[-1]
        if tag == "title":
            self.title += data
        else:
            getattr(self, tag)[-1] += data


def get(client, path: str, language: str):
    return client.get(path, {"lang": language})


def plain(markdown_heading: str) -> str:
    return markdown_heading.replace("`", "")


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_renders_in_both_languages(client, slug, language):
    document = method_docs.BY_SLUG[slug]
    response = get(client, f"/methode/{slug}/", language)
    assert response.status_code == 200
    html = response.content.decode()
    page = Page(html)
    assert f'<html lang="{language}">' in html
    first = headings(source(document, language))[0]
    assert first[0] == 1
    assert page.h1 == [plain(first[1])]
    assert page.title.strip() == f"{plain(first[1])} · IMVO Monitor"
    assert "<table>" in html and "<td>" in html
    assert '<div class="table-scroll"><table>' in html  # tables scroll inside their own frame
    # Every section heading has an id, and the table of contents at the top links to each.
    toc, body = html.split('<nav class="toc"', 1)[1].split("</nav>", 1)
    sections = re.findall(r'<h2 id="([^"]+)">', body)
    assert len(sections) == len([h for h in headings(source(document, language)) if h[0] == 2])
    assert [f"#{section}" for section in sections] == re.findall(r'href="(#[^"]+)"', toc)
    assert html.index('<nav class="toc"') < html.index(f'<h2 id="{sections[0]}">')


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "anchor", "heading"),
    [("nl", "5-beperkingen", "5. Beperkingen"), ("en", "5-limitations", "5. Limitations")],
)
def test_section_anchors_work_on_the_sra_page(client, language, anchor, heading):
    html = get(client, "/methode/sectorrisicoanalyse/", language).content.decode()
    assert f'<h2 id="{anchor}">{heading}</h2>' in html
    assert f'href="#{anchor}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_holds_one_language(client, slug):
    document = method_docs.BY_SLUG[slug]
    dutch = {plain(text) for _, text in headings(source(document, "nl"))}
    english = {plain(text) for _, text in headings(source(document, "en"))}
    shared = dutch & english  # e.g. "7. Code"
    assert len(shared) <= 1
    for language, own, other in (("nl", dutch, english), ("en", english, dutch)):
        page = Page(get(client, f"/methode/{slug}/", language).content.decode())
        shown = set(page.h1) | set(page.h2)
        assert own - shown == set(), language
        assert (other - shared) & shown == set(), language


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_index_lists_every_document_with_a_description(client, language):
    response = get(client, "/methode/", language)
    assert response.status_code == 200
    html = response.content.decode()
    page = Page(html)
    assert page.h1 == ["Methode" if language == "nl" else "Method"]
    for document in DOCUMENTS:
        title = method_document(document.slug, language).title
        assert f'<a href="/methode/{document.slug}/">' in html
        assert title in html.replace("<code>", "").replace("</code>", "")
    described = "Hoe de heatmap" if language == "nl" else "How the heat map"
    assert described in html


@pytest.mark.django_db
def test_unknown_document_is_a_404_page(client):
    response = client.get("/methode/nope/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()
    assert client.get("/methode/sra.md/").status_code == 404


@pytest.mark.django_db
def test_pages_answer_get_and_head_only(client):
    for path in ["/methode/", *(f"/methode/{slug}/" for slug in SLUGS)]:
        assert client.head(path).status_code == 200
        assert client.post(path).status_code == 405


@pytest.mark.django_db
def test_every_page_footer_links_the_method(client):
    html = client.get("/programma/").content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert 'href="/methode/">Methode</a>' in footer
    english = client.get("/programma/?lang=en").content.decode()
    assert 'href="/methode/">Method</a>' in english.split('<footer class="site-footer">', 1)[1]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_links_between_documents_resolve_to_pages(client, language):
    linked = 0
    for slug in SLUGS:
        page = Page(get(client, f"/methode/{slug}/", language).content.decode())
        body_links = [href for href in page.hrefs if href.startswith("/methode/")]
        for href in body_links:
            path, _, fragment = href.partition("#")
            target = get(client, path, language)
            assert target.status_code == 200, href
            if fragment:
                assert fragment in Page(target.content.decode()).ids, href
            linked += 1
        assert not [href for href in page.hrefs if ".md" in href], slug
    assert linked > len(SLUGS) * 2  # the index and footer links, and the one between documents


def test_document_links_become_page_links():
    assert page_url("ser-checklist.md") == "/methode/ser-kernelementen/"
    assert page_url("ser-checklist.nl.md#elementen") == "/methode/ser-kernelementen/#elementen"
    assert page_url("./sra.md") == "/methode/sectorrisicoanalyse/"
    assert page_url("../data-sources.md") is None
    assert page_url("https://example.org/sra.md") is None
    assert page_url("#3-formulas") is None


# ---- The translations cannot drift ----------------------------------------------------------


def parity_problems(english: str, dutch: str) -> list[str]:
    """How the Dutch version of a document differs in structure from the English one."""
    problems = []
    en_headings, nl_headings = headings(english), headings(dutch)
    if [level for level, _ in nl_headings] != [level for level, _ in en_headings]:
        problems.append("headings: levels differ")
    for (_, en), (_, nl) in zip(en_headings, nl_headings, strict=False):
        if numbers(en, "en") != numbers(nl, "nl"):
            problems.append(f"heading numbers: {en!r} / {nl!r}")
    if Counter(CODE_SPAN.findall(prose(dutch))) != Counter(CODE_SPAN.findall(prose(english))):
        problems.append("code spans differ")
    en_blocks, nl_blocks = FENCE.findall(english), FENCE.findall(dutch)
    if [info for info, _ in nl_blocks] != [info for info, _ in en_blocks]:
        problems.append("code blocks: number or kind differ")
    for (_, en), (_, nl) in zip(en_blocks, nl_blocks, strict=False):
        if re.findall(r"\d+(?:\.\d+)?", nl) != re.findall(r"\d+(?:\.\d+)?", en):
            problems.append("code block numbers differ")
        if code_lines(nl) != code_lines(en):  # only the comments are translated
            problems.append("code block code differs")
    en_tables, nl_tables = tables(english), tables(dutch)
    if [len(table) for table in nl_tables] != [len(table) for table in en_tables]:
        problems.append("tables: number or rows differ")
    for en_table, nl_table in zip(en_tables, nl_tables, strict=False):
        if [len(row) for row in nl_table] != [len(row) for row in en_table]:
            problems.append("table columns differ")
        for en_row, nl_row in zip(en_table, nl_table, strict=False):
            for en, nl in zip(en_row, nl_row, strict=False):
                if CODE_SPAN.findall(nl) != CODE_SPAN.findall(en):
                    problems.append(f"table code: {en!r} / {nl!r}")
                if ITALIC.findall(nl) != ITALIC.findall(en):  # quoted examples stay as they are
                    problems.append(f"table examples: {en!r} / {nl!r}")
                en_numbers = numbers(without_code_and_examples(en), "en")
                if numbers(without_code_and_examples(nl), "nl") != en_numbers:
                    problems.append(f"table numbers: {en!r} / {nl!r}")

    def targets(text: str) -> list[str]:
        return [re.sub(r"(\.nl)?\.md(#.*)?$", "", href) for href in LINK.findall(prose(text))]

    if targets(dutch) != targets(english):
        problems.append("links differ")
    return problems


@pytest.mark.parametrize("document", DOCUMENTS, ids=SLUGS)
def test_each_translation_keeps_the_structure_of_the_english(document):
    english, dutch = source(document, "en"), source(document, "nl")
    assert tables(english), "every document has a table"
    assert parity_problems(english, dutch) == []


ASSESSMENT = method_docs.BY_STEM["assessment"]
SRA = method_docs.BY_STEM["sra"]


@pytest.mark.parametrize(
    ("document", "old", "new", "problem"),
    [
        (ASSESSMENT, "| 0,88 |", "| 0,86 |", "table numbers"),
        (
            ASSESSMENT,
            "| achtergehouden (24) | realistisch | 2 | 1,00 | 1,00 | 1,00 |\n",
            "",
            "tables",
        ),
        (ASSESSMENT, "*€ 500.000*", "*€ 50.000*", "table examples"),
        (ASSESSMENT, "`AMBITION_SHARE`", "`AMBITIE`", "code spans"),
        (ASSESSMENT, "--output report.json", "--output rapport.json", "code block code"),
        (ASSESSMENT, "## Snelheid", "### Snelheid", "headings"),
        (ASSESSMENT, "(ser-checklist.nl.md)", "(sra.nl.md)", "links"),
        (SRA, "(0,35); ITUC (0,5)", "(0,35); ITUC (0,4)", "table numbers"),
        (SRA, "(1 of 0.75)", "(1 of 0.7)", "code block numbers"),
        (
            SRA,
            "## 6. Verhouding tot de SRA van 2014",
            "## 6. Verhouding tot de SRA van 2015",
            "heading numbers",
        ),
    ],
)
def test_parity_check_catches_a_drifting_translation(document, old, new, problem):
    dutch = source(document, "nl")
    assert old in dutch
    found = parity_problems(source(document, "en"), dutch.replace(old, new, 1))
    assert any(p.startswith(problem) for p in found), found


def test_numbers_are_read_as_each_language_writes_them():
    assert numbers("11,000 and .5 and 0.88", "en") == Counter({11000.0: 1, 0.5: 1, 0.88: 1})
    assert numbers("11.000 en 0,5 en 0,88", "nl") == Counter({11000.0: 1, 0.5: 1, 0.88: 1})


# ---- Where the files are and how they are rendered -------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("document", DOCUMENTS, ids=SLUGS)
def test_docs_folder_and_app_read_the_same_file(document, language):
    """docs/methodology/ links to the package files; a copy there would drift from the app."""
    app_file = document.path(language)
    docs_file = DOCS_DIR / app_file.name
    assert app_file.is_file() and not app_file.is_symlink()
    assert docs_file.exists() and docs_file.samefile(app_file), docs_file


def test_rendering_is_cached_until_the_file_changes(tmp_path, monkeypatch, settings):
    for document in DOCUMENTS:
        for language in LANGUAGES:
            shutil.copy(document.path(language), tmp_path)
    monkeypatch.setattr(method_docs, "METHODOLOGY_DIR", tmp_path)
    first = method_document("ser-kernelementen", "en")
    assert method_document("ser-kernelementen", "en") is first
    changed = tmp_path / "ser-checklist.md"
    changed.write_text("# Changed title\n\n## Part\n\nText.\n", encoding="utf-8")
    stat = changed.stat()
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = method_document("ser-kernelementen", "en")
    assert again.title == "Changed title"
    assert method_document("ser-kernelementen", "en") is again
    assert method_document("ser-kernelementen", "nl").title.startswith("Checklist van")


def test_raw_html_in_markdown_is_shown_as_text():
    rendered = render_markdown(
        "# Title <b>bold</b>\n\n<script>alert(1)</script>\n\nText with <img src=x onerror=y>.\n"
    )
    assert "<script>" not in rendered.body and "<img" not in rendered.body
    assert "&lt;script&gt;" in rendered.body
    assert "<b>" not in rendered.heading
    assert rendered.title == "Title <b>bold</b>"  # plain text, escaped by the template


def test_a_code_block_scrolls_inside_its_own_frame():
    rendered = render_markdown("# T\n\n```\na very long line\n```\n")
    assert '<div class="table-scroll"><pre><code>a very long line' in rendered.body


def test_a_pipe_escaped_in_a_table_cell_is_a_plain_pipe():
    rendered = render_markdown("# T\n\n| option |\n| --- |\n| `--format text\\|json` |\n")
    assert "<td><code>--format text|json</code></td>" in rendered.body
