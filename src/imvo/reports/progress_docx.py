"""The progress letter as an editable Word document: :func:`render_docx` lays out a
:class:`~imvo.reports.document.Document` with python-docx.

Everything an officer edits is a real style: the title in "Title", sections in "Heading 1" and
"Heading 2", text in "Normal", bullets in "List Bullet", the captions of tables (before the
table) and figures (after the picture) in "Caption". The letterhead (:class:`Fields`) comes
first when it is the first block, the title right after it: sender in bold, the address lines,
then the label/value pairs in a two-column table without borders.

Footnotes are real Word footnotes: a ``word/footnotes.xml`` part, and at each reference a run
in the "footnote reference" style (superscript) holding a ``w:footnoteReference``. Word numbers
footnotes by their order in the text; every reference gets its own Word footnote with the text
of ``footnotes[note - 1]``, so the numbers match the Document's when it numbers notes in order
of first use, as the composer does. A note number outside the footnotes raises ``ValueError``.

Tables have a visible grid ("Table Grid"), a bold header row that repeats on every page
(``w:tblHeader``) and their caption as the table's alternative text (``w:tblCaption``). A row
marked as changed is shaded light blue and, so that it is not told by colour alone, its first
cell ends in " ●"; a legend under the table explains the mark (``labels["changed"]``).
Figures are the PNG, 15 cm wide, with ``descr`` (the alt text) and ``title`` on the picture.

The language (nl-NL or en-GB) is set on the document defaults and the core properties; page
A4 with 2.5 cm margins and a page number in the footer. Deterministic: the core properties are
dated on the document's date and the zip is rewritten with fixed entry times and order.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph

from imvo.reports.document import (
    Bullets,
    Document,
    Fields,
    Figure,
    Heading,
    Paragraph,
    Run,
    Table,
)

LANGS = {"nl": "nl-NL", "en": "en-GB"}
#: The textual mark of a changed row, appended to its first cell.
MARK = "●"
MARK_FILL = "E8F0FE"
HEADER_FILL = "F2F2F2"
FIGURE_WIDTH = Cm(15)
FIGURE_MAX_HEIGHT = Cm(20)
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21), Cm(29.7), Cm(2.5)
#: Zip entry time (the earliest a zip can hold): the bytes do not depend on the clock.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

_FOOTNOTE_STYLES = f"""<w:styles {nsdecls("w")}>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/>
<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>
<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>
</w:style></w:styles>"""

_SEPARATORS = '<w:footnote w:id="-1"/><w:footnote w:id="0"/>'
_FOOTNOTES = f"""<w:footnotes {nsdecls("w")}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"
w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"
w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
</w:footnotes>"""


def render_docx(doc: Document) -> bytes:
    """The Word document (.docx) of ``doc``: the same Document gives the same bytes."""
    word = docx.Document()
    _setup(word, doc)
    notes = _Footnotes(word, doc.footnotes)
    blocks = list(doc.blocks)
    if blocks and isinstance(blocks[0], Fields):
        _fields(word, blocks.pop(0))
    # A heading with the id "title" is the letter's visible title: Word's Title style, and
    # the headings below it move up a level (sections in Heading 1, as Word users expect).
    titled = any(isinstance(b, Heading) and b.id == "title" for b in blocks)
    if not titled:
        word.add_paragraph(doc.title, style="Title")
    for block in blocks:
        if isinstance(block, Heading):
            if block.level not in (1, 2):
                raise ValueError(f"heading {block.id!r}: level {block.level} is not 1 or 2")
            if titled and block.id == "title":
                word.add_paragraph(block.text, style="Title")
            else:
                level = max(block.level - 1, 1) if titled else block.level
                word.add_paragraph(block.text, style=f"Heading {level}")
        elif isinstance(block, Paragraph):
            _runs(word.add_paragraph(style="Normal"), block.runs, notes)
        elif isinstance(block, Bullets):
            for item in block.items:
                _runs(word.add_paragraph(style="List Bullet"), item, notes)
        elif isinstance(block, Fields):
            _fields(word, block)
        elif isinstance(block, Table):
            _table(word, block, doc.labels.get("changed", ""))
        elif isinstance(block, Figure):
            _figure(word, block)
    out = io.BytesIO()
    word.save(out)
    return _normalised_zip(out.getvalue())


def _setup(word: WordDocument, doc: Document) -> None:
    """Language, properties, page and the styles the letter needs beyond the template's."""
    lang = LANGS.get(doc.lang, LANGS["nl"])
    styles = word.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    lang_el.set(qn("w:val"), lang)
    settings = word.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is not None and doc.footnotes:  # Word's pointer to the separators
        compat.addprevious(parse_xml(f"<w:footnotePr {nsdecls('w')}>{_SEPARATORS}</w:footnotePr>"))
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), lang)
    for style in parse_xml(_FOOTNOTE_STYLES):
        styles.append(style)

    props = word.core_properties
    moment = dt.datetime.combine(dt.date.fromisoformat(doc.date), dt.time())
    props.title, props.subject, props.language = doc.title, doc.subject, lang
    props.author = props.last_modified_by = doc.author
    props.comments = props.keywords = props.category = ""
    props.created = props.modified = moment
    props.revision = 1
    # The template's thumbnail shows another document: drop it.
    package_rels = word.part.package.rels
    for rid in [rid for rid, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[rid]

    section = word.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page = OxmlElement("w:fldSimple")
    page.set(qn("w:instr"), "PAGE")
    page_run = OxmlElement("w:r")
    page_text = OxmlElement("w:t")
    page_text.text = "1"
    page_run.append(page_text)
    page.append(page_run)
    footer._p.append(page)


class _Footnotes:
    """The footnotes part, filled as references are laid out."""

    def __init__(self, word: WordDocument, texts: tuple[str, ...]) -> None:
        self.texts = texts
        self.count = 0
        self.element = parse_xml(_FOOTNOTES)
        if texts:
            part = XmlPart(
                PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, self.element, word.part.package
            )
            word.part.relate_to(part, RT.FOOTNOTES)

    def reference(self, paragraph: WordParagraph, note: int) -> None:
        """A footnote with the text of ``note`` and its reference at the end of
        ``paragraph``."""
        if not 1 <= note <= len(self.texts):
            raise ValueError(f"footnote {note} is not among the {len(self.texts)} footnotes")
        self.count += 1
        ident = str(self.count)
        paragraph._p.append(
            parse_xml(
                f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/>'
                f'<w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteReference w:id="{ident}"/></w:r>'
            )
        )
        self.element.append(
            parse_xml(
                f'<w:footnote {nsdecls("w")} w:id="{ident}"><w:p><w:pPr>'
                '<w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr>'
                '<w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
                '<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>'
            )
        )
        # The text goes in as a text node, so no character of it is read as markup.
        self.element[-1].findall(f".//{qn('w:t')}")[-1].text = " " + self.texts[note - 1]


def _runs(paragraph: WordParagraph, runs: tuple[Run, ...], notes: _Footnotes) -> None:
    for run in runs:
        if run.text:
            paragraph.add_run(run.text).italic = run.emphasis or None
        if run.note is not None:
            notes.reference(paragraph, run.note)


def _fields(word: WordDocument, fields: Fields) -> None:
    """The letterhead: sender (bold) and address, then the label/value pairs unbordered."""
    head = word.add_paragraph(style="Normal")
    head.add_run(fields.sender).bold = True
    for line in fields.address:
        head.add_run().add_break()
        head.add_run(line)
    if not fields.fields:
        return
    table = word.add_table(rows=len(fields.fields), cols=2)  # no style: no borders
    widths = (Cm(4), PAGE_WIDTH - 2 * MARGIN - Cm(4))
    _col_widths(table, widths)
    for row, (label, value) in zip(table.rows, fields.fields, strict=True):
        for cell, text, bold in ((row.cells[0], label, True), (row.cells[1], value, False)):
            par = cell.paragraphs[0]
            par.paragraph_format.space_after = Pt(2)
            par.add_run(text).bold = bold or None
    word.add_paragraph(style="Normal")


def _table(word: WordDocument, table: Table, changed: str) -> None:
    caption = word.add_paragraph(table.caption, style="Caption")
    caption.paragraph_format.keep_with_next = True
    grid = word.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = word.styles["Table Grid"]
    tbl_pr = grid._tbl.tblPr
    alt = OxmlElement("w:tblCaption")
    alt.set(qn("w:val"), table.caption)
    tbl_pr.append(alt)

    header = grid.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, table.header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
        _shade(cell, HEADER_FILL)
    for index, (row, values) in enumerate(zip(grid.rows[1:], table.rows, strict=True)):
        marked = index in table.marked
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for column, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            cell.paragraphs[0].add_run(f"{text} {MARK}" if marked and column == 0 else text)
            if marked:
                _shade(cell, MARK_FILL)
    for row in grid.rows:
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.space_before = Pt(1)
            cell.paragraphs[0].paragraph_format.space_after = Pt(1)
    if table.marked:
        legend = word.add_paragraph(f"{MARK} = {changed}".rstrip(" ="), style="Normal")
        legend.paragraph_format.space_before = Pt(4)
        for run in legend.runs:
            run.font.size = Pt(9)
    else:
        word.add_paragraph(style="Normal").paragraph_format.space_after = Pt(0)


def _figure(word: WordDocument, figure: Figure) -> None:
    shape = word.add_picture(io.BytesIO(figure.png), width=FIGURE_WIDTH)
    if shape.height > FIGURE_MAX_HEIGHT:
        shape.width = int(shape.width * FIGURE_MAX_HEIGHT / shape.height)
        shape.height = FIGURE_MAX_HEIGHT
    inline = shape._inline
    for element in (inline.docPr, inline.find(f".//{qn('pic:cNvPr')}")):
        if element is not None:
            element.set("descr", figure.alt)
            element.set("title", figure.title)
    word.paragraphs[-1].paragraph_format.keep_with_next = True
    word.add_paragraph(figure.title, style="Caption")


def _shade(cell: _Cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _col_widths(table: WordTable, widths: tuple[int, ...]) -> None:
    """Column widths for Word (each cell) and LibreOffice (the grid)."""
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width) // 635))  # EMU to twentieths of a point
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _normalised_zip(data: bytes) -> bytes:
    """The package rewritten with fixed entry times and a stable order, content types first."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda name: (name != "[Content_Types].xml", name))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name))
    return out.getvalue()
