"""Every CSV the exporters write is safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from imvo.analysis.assessment.engine import assess_file
from imvo.core.csvsafe import SafeWriter, safe_cell, safe_frame_csv
from imvo.reports.exporters import exporter

FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_like_text_is_neutralised(text):
    out = io.StringIO()
    SafeWriter(out).writerow([text, -0.5, 3, None])
    (row,) = csv.reader(io.StringIO(out.getvalue()))
    assert row[0] == "'" + text
    assert row[1:] == ["-0.5", "3", ""]  # numbers stay numbers


def test_ordinary_text_is_left_alone():
    assert safe_cell("Convenant 2016") == "Convenant 2016" and safe_cell(-1) == -1


def test_a_data_frame_keeps_its_numbers():
    import pandas as pd

    text = safe_frame_csv(pd.DataFrame({"a": ["=1+1", "ok"], "b": [-1.5, 2.0]}), index=False)
    assert text.splitlines() == ["a,b", "'=1+1,-1.5", "ok,2.0"]


def test_the_assessment_csv_neutralises_a_planted_formula(tmp_path: Path):
    path = tmp_path / "evil.txt"
    path.write_text(
        '=HYPERLINK("http://evil") De banken publiceren uiterlijk eind 2017 een beleid.\n',
        encoding="utf-8",
    )
    assessment = assess_file(path, lang="nl", checklist=False)
    content = exporter("assessment.csv").render(assessment, lang="nl").content.decode()
    cells = [cell for row in csv.reader(io.StringIO(content)) for cell in row]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells), cells
    assert not any(cell.startswith("=") for cell in cells)


@pytest.mark.django_db
def test_the_sra_csv_neutralises_text_cells():
    from imvo.risks.selectors import compute_sra

    content = exporter("sra.csv").render(compute_sra(), lang="en").content.decode()
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][0] == "nace"
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
