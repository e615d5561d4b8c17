"""``imvo report`` (issue 12): the progress letter in every format from the command line, the
files opened as a reader would open them, and bad input refused in one line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_imvo

SEED = ("--as-of", "2015-07-10", "--known-at", "2015-07-10")


@pytest.fixture(scope="module")
def letters(cli_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The letter of 10 July 2015 in every format, Dutch, and the PDF and DOCX in English."""
    folder = tmp_path_factory.mktemp("letters")
    for fmt in ("docx", "pdf", "html", "md", "json"):
        result = run_imvo("report", *SEED, "--format", fmt, "--output", str(folder / f"nl.{fmt}"),
                          "--lang", "nl", env=cli_env)  # fmt: skip
        assert result.returncode == 0, result.stderr
    for fmt in ("docx", "pdf"):
        result = run_imvo("report", *SEED, "--format", fmt, "--output", str(folder / f"en.{fmt}"),
                          "--lang", "en", env=cli_env)  # fmt: skip
        assert result.returncode == 0, result.stderr
    return folder


def test_json_groups_in_the_letters_order(letters: Path) -> None:
    data = json.loads((letters / "nl.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "2015-07-10"
    assert [g["phase"] for g in data["groups"]] == [
        "negotiation", "dialogue", "exploration", "no_initiative", "joining",
    ]  # fmt: skip
    assert sorted(data["groups"][0]["trajectories"]) == ["banking", "textile"]
    assert data["data_version"]
    assert data["trigger"] == "ao-imvo-2015-02-25-voortgang"


def test_markdown_goes_to_the_terminal_and_is_the_same_twice(cli_env: dict[str, str]) -> None:
    first = run_imvo("report", *SEED, "--lang", "nl", env=cli_env)
    second = run_imvo("report", *SEED, "--lang", "nl", env=cli_env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert first.stdout.splitlines()[0] == "**Ministerie van Buitenlandse Zaken**"
    assert "## 2. Voortgang" in first.stdout


def test_docx_and_pdf_are_the_same_bytes_twice(cli_env: dict[str, str], letters: Path,
                                              tmp_path: Path) -> None:  # fmt: skip
    for fmt in ("docx", "pdf"):
        again = tmp_path / f"again.{fmt}"
        result = run_imvo("report", *SEED, "--format", fmt, "--output", str(again), "--lang", "nl",
                          env=cli_env)  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert again.read_bytes() == (letters / f"nl.{fmt}").read_bytes(), fmt


def test_docx_opens_with_heading_styles_table_headers_language_and_alt_text(letters: Path) -> None:
    import docx

    document = docx.Document(str(letters / "nl.docx"))
    styled = {(p.style.name, p.text) for p in document.paragraphs}
    for heading in ("1. Inleiding", "2. Voortgang", "3. Rol van de overheid",
                    "4. Betrokkenheid van stakeholders", "5. Tot slot",
                    "Afdoening toezeggingen en moties"):  # fmt: skip
        assert any(text == heading and style.startswith("Heading") for style, text in styled)
    assert document.core_properties.language == "nl-NL"
    assert document.core_properties.title.startswith("Voortgangsrapportage IMVO-convenanten")
    xml = zipfile.ZipFile(letters / "nl.docx").read("word/document.xml").decode()
    assert xml.count("<w:tblHeader") >= 4
    assert re.search(r'<wp:docPr [^>]*descr="Trapgrafiek van het cumulatieve aantal', xml)
    styles = zipfile.ZipFile(letters / "nl.docx").read("word/styles.xml").decode()
    assert 'w:val="nl-NL"' in styles
    english = zipfile.ZipFile(letters / "en.docx").read("word/styles.xml").decode()
    assert 'w:val="en-GB"' in english


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_docx_converts_with_libreoffice(letters: Path, tmp_path: Path) -> None:
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(letters / "nl.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(["pdftotext", str(tmp_path / "nl.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "2. Voortgang" in text
    assert "Nationale rondetafel over goud" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_pdf_text_extracts(letters: Path) -> None:
    text = subprocess.run(["pdftotext", str(letters / "nl.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    flat = " ".join(text.split())
    assert "Voortgangsrapportage IMVO-convenanten" in flat
    assert "zoals toegezegd tijdens het Algemeen Overleg IMVO op 25 februari 2015" in flat
    assert "Afdoening toezeggingen en moties" in flat
    assert "Kamerstuk 26 485, nr. 195" in flat


def test_pdf_is_tagged_with_language_title_headings_table_headers_and_alt_text(
    letters: Path,
) -> None:
    import pikepdf

    for name, lang in (("nl.pdf", "nl-NL"), ("en.pdf", "en-GB")):
        with pikepdf.open(letters / name) as pdf:
            assert str(pdf.Root.Lang) == lang
            assert bool(pdf.Root.MarkInfo.Marked)
            assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
            with pdf.open_metadata() as meta:
                assert meta["dc:title"].startswith(
                    "Voortgangsrapportage" if lang == "nl-NL" else "Progress report"
                )
            tags: dict[str, int] = {}
            alts: list[str] = []
            stack = [pdf.Root.StructTreeRoot]
            while stack:
                node = stack.pop()
                if isinstance(node, pikepdf.Array):
                    stack.extend(node)
                    continue
                if not isinstance(node, pikepdf.Dictionary):
                    continue
                if "/S" in node:
                    tag = str(node.S)
                    tags[tag] = tags.get(tag, 0) + 1
                    if tag == "/Figure" and "/Alt" in node:
                        alts.append(str(node.Alt))
                if "/K" in node:
                    stack.append(node.K)
            assert tags.get("/H1", 0) >= 1 and tags.get("/H2", 0) >= 8, tags
            assert tags.get("/TH", 0) >= 10, tags
            assert any(a.startswith(("Trapgrafiek", "Step chart")) for a in alts), alts


def test_pdfua_finds_nothing(letters: Path) -> None:
    from pdfua import validate

    report = validate(str(letters / "nl.pdf"))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    # UA-14-001 cannot run on Typst's headings in pdfua 0.1.3 (tests/reports/test_progress_pdf.py)
    assert {o.rule_id for o in report.skipped} <= {"UA-14-001"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--as-of", "2013-05-01"), "--as-of: 2013-05-01 is before the programme"),
        (("--as-of", "2015-07-10", "--since", "2015-08-01"), "--since: 2015-08-01 is after"),
        (("--as-of", "2015-07-10", "--format", "odt"), "invalid choice: 'odt'"),
        (("--as-of", "2015-07-10", "--lang", "de"), "invalid choice: 'de'"),
        (("--as-of", "2015-7-10"), "--as-of"),
        (("--as-of", "2015-07-10", "--format", "pdf"), "give --output FILE"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli_env: dict[str, str], args, message) -> None:
    result = run_imvo("report", *args, env=cli_env)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_unwritable_output_leaves_no_file(cli_env: dict[str, str], tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "letter.pdf"
    result = run_imvo("report", "--as-of", "2015-07-10", "--format", "pdf", "--output",
                      str(missing), env=cli_env)  # fmt: skip
    assert result.returncode == 2
    assert "--output" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    # the write itself fails (the target is a directory): the partial file is removed
    folder = tmp_path / "a-folder.docx"
    folder.mkdir()
    result = run_imvo("report", "--as-of", "2015-07-10", "--format", "docx", "--output",
                      str(folder), env=cli_env)  # fmt: skip
    assert result.returncode == 2
    assert "--output" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder.docx"]
    assert list(folder.iterdir()) == []


def test_a_failed_write_keeps_the_old_file(cli_env: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "letter.md"
    target.write_text("old", encoding="utf-8")
    result = run_imvo("report", "--as-of", "2013-01-01", "--output", str(target), env=cli_env)
    assert result.returncode == 2
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["letter.md"]
