"""``imvo assess`` on every format, every output format, and on bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from imvo.analysis.assessment.engine import assess_file
from imvo.analysis.assessment.reader import ReadError, read_document
from tests.covenant_samples import (
    COVENANT_NL,
    PLAIN_EN,
    write_docx,
    write_image_pdf,
    write_pdf,
)

IMVO = Path(sys.executable).with_name("imvo")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(IMVO), "assess", *args], capture_output=True, text=True, timeout=120, check=False
    )


def covenant_paragraphs() -> list[str]:
    """The covenant's lines as Word paragraphs, wrapped lines joined to the one before."""
    paragraphs: list[str] = []
    for line in COVENANT_NL.splitlines():
        if not line.strip():
            continue
        if paragraphs and (line[:1].isspace() or line[:1].islower()):
            paragraphs[-1] += " " + line.strip()
        else:
            paragraphs.append(line.strip())
    return paragraphs


# -- formats -----------------------------------------------------------------------------


def test_txt_commitments_and_checklist(covenant_txt: Path) -> None:
    data = json.loads(run(str(covenant_txt), "--format", "json", "--checklist"))
    assert data["document_lang"] == "nl"
    texts = [c["text"] for c in data["commitments"]]
    assert any(t.startswith("De deelnemende bedrijven voeren uiterlijk eind 2018") for t in texts)
    first = next(c for c in data["commitments"] if "80 procent" in c["text"])
    assert first["smart"]["measurable"]["verdict"] == "yes"
    assert first["smart"]["time_bound"]["verdict"] == "yes"
    assert first["location"]["line"] == 14
    vague = next(c for c in data["commitments"] if "verbeteren" in c["text"])
    assert vague["smart"]["specific"]["verdict"] == "no"
    assert vague["party"] == {"text": "Partijen", "group": "parties"}
    status = {e["element"]: e["status"] for e in data["checklist"]}
    assert status["oecd_ungp"] == "present"
    assert status["collective_projects"] == "present"
    assert status["risk_analysis"] == "present"
    assert status["independent_monitoring"] == "present"
    assert status["complaints_disputes"] == "present"
    assert status["party_commitments"] == "present"
    assert status["smart_objectives"] == "present"
    monitoring = next(e for e in data["checklist"] if e["element"] == "independent_monitoring")
    assert "onafhankelijke monitoringcommissie" in monitoring["evidence"][0]["quote"]


def test_missing_elements_are_absent(tmp_path: Path) -> None:
    path = tmp_path / "thin.md"
    path.write_text("# Agreement\n\n" + PLAIN_EN, encoding="utf-8")
    data = json.loads(run(str(path), "--format", "json", "--checklist"))
    assert data["document_lang"] == "en"
    status = {e["element"]: e["status"] for e in data["checklist"]}
    assert status["independent_monitoring"] == "absent"
    assert status["complaints_disputes"] == "absent"
    assert status["oecd_ungp"] == "absent"
    assert status["party_commitments"] == "partly"


def test_docx(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "convenant.docx", covenant_paragraphs())
    assessment = assess_file(path)
    assert assessment.lang == "nl"
    banks = [c for c in assessment.commitments if "80 procent" in c.text]
    assert banks and banks[0].result("measurable").verdict == "yes"
    assert banks[0].location.paragraph is not None


def test_pdf_with_text_layer_keeps_pages(tmp_path: Path) -> None:
    lines = covenant_paragraphs()
    path = write_pdf(tmp_path / "convenant.pdf", [lines[:12], lines[12:]])
    assessment = assess_file(path)
    assert assessment.pages == 2
    pages = {c.location.page for c in assessment.commitments}
    assert pages == {1, 2}
    vakbond = next(c for c in assessment.commitments if c.text.startswith("De vakbonden"))
    assert vakbond.result("time_bound").verdict == "yes"
    assert vakbond.party is not None and vakbond.party.group == "unions"


def test_sentences_mode_csv_columns(tmp_path: Path) -> None:
    path = tmp_path / "lines.txt"
    path.write_text(
        "De banken zullen uiterlijk eind 2018 een beleid publiceren.\n\n"
        "Parties will strive for better conditions.\n",
        encoding="utf-8",
    )
    rows = list(csv.reader(io.StringIO(run("--sentences", str(path), "--format", "csv"))))
    assert rows[0][:6] == ["line", "specific", "measurable", "ambitious", "realistic", "time_bound"]
    assert rows[1][:6] == ["1", "yes", "no", "review", "review", "yes"]
    assert rows[2][:6] == ["3", "no", "no", "review", "review", "no"]


def test_text_and_html_follow_the_report_language(covenant_txt: Path, tmp_path: Path) -> None:
    text = run(str(covenant_txt), "--checklist")
    assert "tijdgebonden" in text and "Onafhankelijke monitoring" in text
    english = run(str(covenant_txt), "--checklist", "--lang", "en")
    assert "time-bound" in english and "Independent monitoring" in english
    target = tmp_path / "report.html"
    run(str(covenant_txt), "--format", "html", "--checklist", "--output", str(target))
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in html
    assert '<th scope="col">meetbaar</th>' in html
    assert "<caption>SER-kernelementen</caption>" in html


# -- bad input -------------------------------------------------------------------------------


def _corrupt_docx(tmp_path: Path) -> Path:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    return path


def _docx_without_document(tmp_path: Path) -> Path:
    path = tmp_path / "empty-package.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "no word document in here")
    return path


def _corrupt_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage without xref\n")
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    return path


def _blank(tmp_path: Path) -> Path:
    path = tmp_path / "blank.md"
    path.write_text("\n   \n\n", encoding="utf-8")
    return path


def _unsupported(tmp_path: Path) -> Path:
    path = tmp_path / "covenant.rtf"
    path.write_text("{\\rtf1 text}", encoding="utf-8")
    return path


def _too_big(tmp_path: Path) -> Path:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)
    return path


def _image_pdf(tmp_path: Path) -> Path:
    return write_image_pdf(tmp_path / "scan.pdf")


BAD_INPUTS = {
    "empty": (_empty, "empty"),
    "blank": (_blank, "no text"),
    "unsupported": (_unsupported, "unsupported file type"),
    "corrupt docx": (_corrupt_docx, "not a valid .docx"),
    "docx without document": (_docx_without_document, ".docx"),
    "corrupt pdf": (_corrupt_pdf, "PDF"),
    "image-only pdf": (_image_pdf, "no text layer"),
    "too big": (_too_big, "over the limit of 20 MB"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_raises_read_error_naming_the_file(case: str, tmp_path: Path) -> None:
    make, words = BAD_INPUTS[case]
    path = make(tmp_path)
    with pytest.raises(ReadError) as info:
        read_document(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert words in message
    assert "\n" not in message


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_via_call_command_is_a_user_error(case: str, tmp_path: Path) -> None:
    make, words = BAD_INPUTS[case]
    with pytest.raises(CommandError) as info:
        run(str(make(tmp_path)))
    assert info.value.returncode == 2
    assert words in str(info.value)


@pytest.mark.parametrize("case", ["empty", "unsupported", "corrupt docx", "image-only pdf"])
def test_cli_bad_input_one_line_exit_2(case: str, tmp_path: Path) -> None:
    make, words = BAD_INPUTS[case]
    result = cli(str(make(tmp_path)))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_missing_file_and_bad_option(tmp_path: Path) -> None:
    missing = cli(str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "file not found" in missing.stderr
    assert missing.stderr.count("\n") == 1
    bad = cli(str(tmp_path / "nope.txt"), "--format", "xml")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_cli_csv_with_checklist_is_refused(covenant_txt: Path) -> None:
    result = cli(str(covenant_txt), "--format", "csv", "--checklist")
    assert result.returncode == 2 and "--checklist" in result.stderr


def test_cli_assesses_a_docx_end_to_end(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "convenant.docx", covenant_paragraphs())
    result = cli(str(path), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) >= 8
    assert {row["time_bound"] for row in rows} <= {"yes", "no", "review"}
