"""The progress letter as Word: styles, table header and marks, language, alt text, footnotes,
determinism, and (where LibreOffice is installed) that it converts to a PDF with its text."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn

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
from imvo.reports.progress_docx import MARK, MARK_FILL, render_docx

FOOTNOTES = (
    "Kamerstuk 26 485, nr. 208 (10 juli 2015).",
    "SER, Jaarverslag IMVO-convenanten 2024, p. 12.",
    "Besluit van de stuurgroep van 3 maart 2025 <vastgelegd> & gepubliceerd.",
)


def _png() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3), dpi=60)
    ax.step([2014, 2016, 2018, 2020], [0, 5, 9, 11], where="post")
    ax.axhline(10, linestyle="--")
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    plt.close(fig)
    return out.getvalue()


PNG = _png()


def letter(lang: str = "nl") -> Document:
    return Document(
        lang=lang,
        title="Voortgang van de IMVO-convenanten",
        subject="Voortgangsbrief IMVO-convenanten 2025",
        author="Ministerie van Buitenlandse Zaken",
        date="2025-07-01",
        blocks=(
            Fields(
                sender="Ministerie van Buitenlandse Zaken",
                address=("Rijnstraat 8", "2515 XP Den Haag", "Postbus 20061"),
                fields=(
                    ("Datum", "1 juli 2025"),
                    ("Betreft", "Voortgang van de IMVO-convenanten"),
                    ("Onze referentie", "BZ2025-0001"),
                ),
            ),
            Heading(1, "1. Inleiding", "inleiding"),
            Paragraph(
                (
                    Run("In de brief van 10 juli 2015 is het doel gesteld", note=1),
                    Run(" van tien convenanten; dit doel is "),
                    Run("in 2018", emphasis=True),
                    Run(" bereikt.", note=2),
                )
            ),
            Heading(1, "2. Voortgang", "voortgang"),
            Heading(2, "2.1 Ondertekende convenanten", "ondertekend"),
            Bullets(
                (
                    (Run("Kleding en textiel (2016)"),),
                    (Run("Bancaire sector (2016)"), Run("; herzien", note=3)),
                )
            ),
            Table(
                id="tabel-fasen",
                caption="Tabel 1. Trajecten per fase",
                header=("Traject", "Fase", "Sinds"),
                rows=(
                    ("Kleding en textiel", "Uitvoering", "2016"),
                    ("Bancaire sector", "Uitvoering", "2016"),
                    ("Metaal", "Onderhandeling", "2025"),
                ),
                marked=frozenset({2}),
            ),
            Figure(
                id="figuur-doel",
                title="Figuur 1. Aantal convenanten tegen het doel",
                alt="Cumulatief aantal convenanten van 0 in 2014 tot 11 in 2020; doel 10.",
                svg="<svg/>",
                png=PNG,
            ),
            Paragraph((Run("Tot slot."),)),
        ),
        footnotes=FOOTNOTES,
        labels={"footnotes": "Voetnoten", "changed": "gewijzigd sinds de vorige brief"},
    )


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _styled(word: docx.document.Document, style: str) -> list[str]:
    return [p.text for p in word.paragraphs if p.style is not None and p.style.name == style]


def _footnotes_xml(word: docx.document.Document):
    part = word.part.part_related_by(RT.FOOTNOTES)
    return parse_xml(part.blob)


def test_styles_hold_the_right_texts() -> None:
    word = _open(render_docx(letter()))
    assert _styled(word, "Title") == ["Voortgang van de IMVO-convenanten"]
    assert _styled(word, "Heading 1") == ["1. Inleiding", "2. Voortgang"]
    assert _styled(word, "Heading 2") == ["2.1 Ondertekende convenanten"]
    assert _styled(word, "List Bullet") == [
        "Kleding en textiel (2016)",
        "Bancaire sector (2016); herzien",
    ]
    assert "Tabel 1. Trajecten per fase" in _styled(word, "Caption")
    assert "Figuur 1. Aantal convenanten tegen het doel" in _styled(word, "Caption")
    body = "".join(_styled(word, "Normal"))
    assert "dit doel is in 2018 bereikt." in body


def test_letterhead_comes_first_and_reads_like_a_letter() -> None:
    word = _open(render_docx(letter()))
    first = word.paragraphs[0]
    assert first.runs[0].text == "Ministerie van Buitenlandse Zaken" and first.runs[0].bold
    assert "2515 XP Den Haag" in first.text
    head = word.tables[0]
    assert [c.text for c in head.rows[1].cells] == ["Betreft", "Voortgang van de IMVO-convenanten"]
    assert head.style is None or head.style.name != "Table Grid"  # no borders


def test_table_has_a_repeating_bold_header_and_a_marked_row() -> None:
    word = _open(render_docx(letter()))
    table = word.tables[1]
    assert table.style.name == "Table Grid"
    first = table.rows[0]
    assert first._tr.trPr is not None and first._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in first.cells for run in cell.paragraphs[0].runs)
    assert [c.text for c in first.cells] == ["Traject", "Fase", "Sinds"]
    marked = table.rows[3]
    assert marked.cells[0].text == f"Metaal {MARK}"
    fills = [c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) for c in marked.cells]
    assert fills == [MARK_FILL] * 3
    assert MARK not in table.rows[1].cells[0].text
    plain = table.rows[1].cells[0]._tc.tcPr
    assert plain is None or plain.find(qn("w:shd")) is None
    legends = [p.text for p in word.paragraphs if "gewijzigd sinds de vorige brief" in p.text]
    assert legends == [f"{MARK} = gewijzigd sinds de vorige brief"]


def test_no_legend_without_marked_rows() -> None:
    doc = letter()
    blocks = tuple(
        dataclasses.replace(b, marked=frozenset()) if isinstance(b, Table) else b
        for b in doc.blocks
    )
    word = _open(render_docx(dataclasses.replace(doc, blocks=blocks)))
    assert not any(MARK in p.text for p in word.paragraphs)


@pytest.mark.parametrize(("lang", "tag"), [("nl", "nl-NL"), ("en", "en-GB")])
def test_language_and_properties(lang: str, tag: str) -> None:
    word = _open(render_docx(letter(lang)))
    defaults = word.styles.element.find(qn("w:docDefaults"))
    assert (
        defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) == tag
    )
    props = word.core_properties
    assert props.language == tag
    assert props.title == "Voortgang van de IMVO-convenanten"
    assert props.subject == "Voortgangsbrief IMVO-convenanten 2025"
    assert props.author == "Ministerie van Buitenlandse Zaken"
    assert props.created.date().isoformat() == "2025-07-01"
    assert props.modified == props.created


def test_page_is_a4_with_margins() -> None:
    section = _open(render_docx(letter())).sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 1) == round(section.top_margin.cm, 1) == 2.5


def test_figure_has_alt_text_and_caption_after() -> None:
    word = _open(render_docx(letter()))
    (shape,) = word.inline_shapes
    doc_pr = shape._inline.docPr
    assert doc_pr.get("descr") == letter().blocks[-2].alt
    assert doc_pr.get("title") == "Figuur 1. Aantal convenanten tegen het doel"
    assert 14.5 < shape.width.cm < 15.5
    texts = [p.text for p in word.paragraphs]
    index = next(i for i, p in enumerate(word.paragraphs) if p._p.xpath(".//pic:pic"))
    assert texts[index + 1] == "Figuur 1. Aantal convenanten tegen het doel"


def test_every_footnote_reference_resolves_to_its_text() -> None:
    word = _open(render_docx(letter()))
    refs = word.element.body.findall(f".//{qn('w:footnoteReference')}")
    assert [r.get(qn("w:id")) for r in refs] == ["1", "2", "3"]
    for ref in refs:
        rpr = ref.getparent().find(qn("w:rPr"))
        assert rpr.find(qn("w:vertAlign")).get(qn("w:val")) == "superscript"
    notes = _footnotes_xml(word)
    texts = {
        n.get(qn("w:id")): "".join(t.text for t in n.iter(qn("w:t"))).strip()
        for n in notes.findall(qn("w:footnote"))
        if n.get(qn("w:type")) is None
    }
    assert texts == {"1": FOOTNOTES[0], "2": FOOTNOTES[1], "3": FOOTNOTES[2]}
    types = [n.get(qn("w:type")) for n in notes.findall(qn("w:footnote"))]
    assert types[:2] == ["separator", "continuationSeparator"]


def test_a_note_outside_the_footnotes_is_refused() -> None:
    doc = dataclasses.replace(letter(), blocks=(Paragraph((Run("x", note=4),)),))
    with pytest.raises(ValueError, match="footnote 4"):
        render_docx(doc)


def test_same_document_same_bytes() -> None:
    first, second = render_docx(letter()), render_docx(letter())
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        infos = package.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in package.namelist()
        assert package.testzip() is None


def test_libreoffice_converts_it_to_a_pdf_with_its_text(tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / "brief.docx"
    source.write_bytes(render_docx(letter()))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / "brief.pdf"
    assert pdf.exists() and pdf.stat().st_size > 0
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed: the PDF was made but its text is not read")
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for expected in ("1. Inleiding", "2. Voortgang", "Trajecten per fase", "Jaarverslag IMVO"):
        assert expected in text, expected
