"""The cached web-layer entry point picks up user imports without a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from imvo.core.audit import Actor, audited_save
from imvo.core.errors import NotFound
from imvo.initiatives.models import Initiative
from imvo.opendata.userdata import import_user_data
from imvo.reports.sra import heat_colours, heatmap_context, to_payload
from imvo.reports.sra_explain import explanation_payload
from imvo.risks.selectors import (
    division_summaries,
    sra_division_page,
    sra_explanation,
    sra_heatmap_page,
    sra_result,
    userdata_dir,
)

pytestmark = pytest.mark.django_db


def test_sra_result_is_cached_and_refreshed_after_an_import(tmp_path: Path) -> None:
    with override_settings(VAR_DIR=tmp_path):
        first = sra_result()
        assert sra_result() is first
        source = tmp_path / "cpi.csv"
        source.write_text("iso3,year,score\nCHN,2024,2\n", encoding="utf-8")
        import_user_data(kind="ti_cpi", source=source, directory=userdata_dir())
        refreshed = sra_result()
        assert refreshed is not first
        assert "ti_cpi" in refreshed.user_data.imports


def test_payload_and_explanation_shapes(tmp_path: Path) -> None:
    with override_settings(VAR_DIR=tmp_path):
        payload = to_payload(sra_result(), lang="en", sector="14")
        assert payload["sectors"][0]["themes"]["forced_labour"]["score"] > 0
        explanation = sra_explanation(nace="14", lang="en")
        assert explanation.products and explanation.countries and explanation.indicators
        data = explanation_payload(explanation, model=sra_result().model, lang="en")
        assert data["sector"] == "Manufacture of wearing apparel"
        with pytest.raises(NotFound, match="No NACE division '00'"):
            sra_explanation(nace="00", lang="en")
        with pytest.raises(NotFound, match="Geen"):
            sra_explanation(nace="14", lang="nl", theme="nope")


def test_recorded_initiatives_lower_the_residual_and_an_edit_refreshes_it(tmp_path: Path) -> None:
    with override_settings(VAR_DIR=tmp_path):
        before = sra_result().scores.set_index(["nace", "theme"])
        wood = before.loc[("16", "deforestation_biodiversity")]
        assert wood["residual_score"] < wood["score"]  # EUTR, FLEGT, Green Deal (reference data)
        eutr = Initiative.objects.get(key="eutr")
        eutr.coverage = 0.0
        audited_save(eutr, actor=Actor("Test: EUTR not enforced"))
        after = sra_result().scores.set_index(["nace", "theme"])
        assert (
            after.loc[("16", "deforestation_biodiversity"), "residual_score"]
            > wood["residual_score"]
        )
        assert after.loc[("16", "deforestation_biodiversity"), "score"] == wood["score"]


def test_page_selectors_return_plain_data(tmp_path: Path) -> None:
    with override_settings(VAR_DIR=tmp_path):
        page = sra_heatmap_page(lang="en", show_all=False)
        assert page.top == 30 and page.programme_names["textile"] == "Textiles and clothing"
        context = heatmap_context(
            page.result, lang="en", top=page.top, programme_names=page.programme_names
        )
        assert len(context["rows"]) == 30 and context["total"] == 88
        first = context["rows"][0]
        assert first["nace"] == "14" and first["programme"] == ["Textiles and clothing"]
        cell = first["cells"][0]
        assert (cell["bg"], cell["fg"]) == heat_colours(cell["value"])
        assert context["themes"][0]["code"] == "child_labour"
        assert context["themes"][0]["name"] == "Child labour"
        assert sra_heatmap_page(lang="en", show_all=True).top is None
        division = sra_division_page(nace="14", lang="en", theme="forced_labour")
        assert division.explanation.nace == "14"
        assert division.detail is not None and division.detail.theme == "forced_labour"
        assert {"slug": "textile", "name": "Textiles and clothing"} in division.sectors
        assert all(isinstance(row["name"], str) for row in division.initiatives)
        with pytest.raises(NotFound):
            sra_division_page(nace="99x", lang="en")
        (summary,) = division_summaries(naces=["14"], lang="nl")
        assert summary["sector"] == "Vervaardiging van kleding" and summary["rank"] == 1
