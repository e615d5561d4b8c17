"""One exporter interface: every document and data file comes from a registered exporter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imvo.analysis.assessment.engine import assess_file
from imvo.core.errors import NotFound
from imvo.reports.exporters import Export, Exporter, exporter, exporters, register
from imvo.risks.selectors import compute_sra
from tests.covenant_samples import PLAIN_EN


def test_the_registry_holds_the_sra_and_assessment_formats():
    assert {e.identifier for e in exporters("sra")} == {
        f"sra.{fmt}" for fmt in ("text", "csv", "json", "html", "svg", "png")
    }
    assert {e.identifier for e in exporters("assessment")} == {
        f"assessment.{fmt}" for fmt in ("text", "csv", "json", "html")
    }
    for item in exporters():
        assert item.label["nl"] and item.label["en"] and item.label["nl"] != item.label["en"]


def test_an_unknown_exporter_names_the_known_ones():
    with pytest.raises(NotFound) as missing:
        exporter("sra.xlsx")
    assert "sra.csv" in str(missing.value) and missing.value.field == "format"


def test_an_identifier_is_registered_once():
    with pytest.raises(ValueError, match="twice"):
        register(exporter("sra.csv"))


@pytest.mark.django_db
def test_sra_exports_carry_name_type_and_bytes():
    result = compute_sra()
    csv_export = exporter("sra.csv").render(result, lang="en", theme=None, sector="14", top=None)
    assert isinstance(csv_export, Export)
    assert (csv_export.filename, csv_export.mimetype) == ("sra.csv", "text/csv; charset=utf-8")
    lines = csv_export.content.decode("utf-8").splitlines()
    assert lines[0].startswith("nace,sector,theme") and all(
        row.startswith("14,") for row in lines[1:]
    )
    png = exporter("sra.png").render(result, lang="nl", top=5, stem="heatmap")
    assert png.filename == "heatmap.png" and png.content.startswith(b"\x89PNG")


def test_assessment_exports_render_the_same_assessment(tmp_path: Path):
    path = tmp_path / "banks.txt"
    path.write_text(PLAIN_EN, encoding="utf-8")
    assessment = assess_file(path, lang="en", checklist=False)
    data = json.loads(exporter("assessment.json").render(assessment, lang="en").content)
    html = exporter("assessment.html").render(assessment, lang="en").content.decode()
    assert len(data["commitments"]) >= 2
    assert '<html lang="en"' in html


def test_an_exporter_turns_text_into_utf8():
    item = Exporter("demo.txt", {"nl": "proef", "en": "demo"}, "text/plain", "txt", lambda d: d)
    assert item.render("één").content == "één".encode()
