"""The cached web-layer entry point picks up user imports without a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from imvo.core.audit import Actor, audited_save
from imvo.initiatives.models import Initiative
from imvo.opendata.userdata import import_user_data
from imvo.risks.selectors import sra_explanation, sra_payload, sra_result, userdata_dir

pytestmark = pytest.mark.django_db


def test_sra_result_is_cached_and_refreshed_after_an_import(tmp_path: Path) -> None:
    with override_settings(VAR_DIR=tmp_path):
        first = sra_result(lang="nl")
        assert sra_result(lang="nl") is first
        assert sra_result(lang="en") is not first
        source = tmp_path / "cpi.csv"
        source.write_text("iso3,year,score\nCHN,2024,2\n", encoding="utf-8")
        import_user_data(kind="ti_cpi", source=source, directory=userdata_dir())
        refreshed = sra_result(lang="nl")
        assert refreshed is not first
        assert "ti_cpi" in refreshed.user_data.imports


def test_payload_and_explanation_shapes(tmp_path: Path) -> None:
    with override_settings(VAR_DIR=tmp_path):
        payload = sra_payload(lang="en", sector="14")
        assert payload["sectors"][0]["themes"]["forced_labour"]["score"] > 0
        explanation = sra_explanation(nace="14", lang="en")
        assert explanation.products and explanation.countries and explanation.indicators
        with pytest.raises(KeyError):
            sra_explanation(nace="00", lang="en")


def test_recorded_initiatives_lower_the_residual_and_an_edit_refreshes_it(tmp_path: Path) -> None:
    with override_settings(VAR_DIR=tmp_path):
        before = sra_result(lang="en").scores.set_index(["nace", "theme"])
        wood = before.loc[("16", "deforestation_biodiversity")]
        assert wood["residual_score"] < wood["score"]  # EUTR, FLEGT, Green Deal (reference data)
        eutr = Initiative.objects.get(key="eutr")
        eutr.coverage = 0.0
        audited_save(eutr, actor=Actor("Test: EUTR not enforced"))
        after = sra_result(lang="en").scores.set_index(["nace", "theme"])
        assert (
            after.loc[("16", "deforestation_biodiversity"), "residual_score"]
            > wood["residual_score"]
        )
        assert after.loc[("16", "deforestation_biodiversity"), "score"] == wood["score"]
