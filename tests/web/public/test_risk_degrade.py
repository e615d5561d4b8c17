"""Stored user data that cannot be read makes the analysis say so, not the pages fail.

A valid import that is later damaged on disk, or a stored file whose values are out of range,
makes the risk pages answer 503 with a message in the page's language; the trajectory and
sector pages answer 200 and say so where the divisions would be. The message names the file
and rows, never the server's paths or the (restricted-licence) values.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from imvo.core.errors import DataError
from imvo.opendata.userdata import import_user_data
from imvo.risks import selectors
from imvo.risks.selectors import division_summaries, sra_heatmap_page, userdata_dir

pytestmark = pytest.mark.django_db

MESSAGE = "The Sector Risk Analysis is not available"


@pytest.fixture
def var_dir(tmp_path: Path) -> Iterator[Path]:
    selectors._CACHE.clear()
    with override_settings(VAR_DIR=tmp_path):
        yield tmp_path
    selectors._CACHE.clear()


def _import_cpi(var_dir: Path) -> Path:
    source = var_dir / "cpi.csv"
    source.write_text("iso3,year,score\nCHN,2024,42\n", encoding="utf-8")
    import_user_data(kind="ti_cpi", source=source, directory=userdata_dir())
    return userdata_dir() / "ti_cpi.csv"


@pytest.fixture
def garbage(var_dir: Path) -> Path:
    """A valid import, then garbage written over the stored file."""
    stored = _import_cpi(var_dir)
    stored.write_bytes(b"\x00\x01 this is not a CSV file \xff\n")
    return stored


def _page(client, path: str) -> tuple[int, str]:
    response = client.get(path)
    return response.status_code, response.content.decode()


def test_risk_pages_answer_503_with_the_message_in_the_page_language(client, garbage: Path):
    status, html = _page(client, "/risico/?lang=en")
    assert status == 503
    assert MESSAGE in html and "ti_cpi.csv" in html and "imvo data remove" in html
    assert str(garbage.parent) not in html  # no server paths on a public page
    assert 'class="heatmap"' not in html
    status, html = _page(client, "/risico/nace/14/?lang=en&thema=forced_labour")
    assert status == 503 and MESSAGE in html and "NACE 14" in html
    status, html = _page(client, "/risico/?lang=nl")  # a language asked for holds: ask again
    assert status == 503 and '<html lang="nl">' in html and "ti_cpi.csv" in html
    image = client.get("/risico/heatmap.svg?lang=en")
    assert image.status_code == 503 and image["Content-Type"].startswith("text/plain")
    assert MESSAGE in image.content.decode() and "ETag" not in image


def test_trajectory_and_sector_pages_still_show_with_the_message(client, garbage: Path):
    status, html = _page(client, "/trajecten/wood/?lang=en")
    assert status == 200 and MESSAGE in html
    assert "/risico/nace/16/" not in html  # no division rows ...
    assert "Risks in the Sector Risk Analysis" in html  # ... but the section says why
    status, html = _page(client, "/sectoren/floriculture/?lang=en")
    assert status == 200 and MESSAGE in html
    assert "Floriculture Sustainability Initiative" in html  # the rest of the page is there
    assert _page(client, "/sectoren/floriculture/")[0] == 200


def test_an_out_of_range_stored_value_names_the_file_and_row_not_the_value(client, var_dir):
    directory = userdata_dir()
    directory.mkdir(parents=True)
    (directory / "ituc_rights.csv").write_text(
        "iso3,year,score\nCHN,2024,3\nBGD,2024,9\n", encoding="utf-8"
    )
    status, html = _page(client, "/risico/?lang=en")
    assert status == 503 and "ituc_rights.csv (row 3)" in html
    assert "above the maximum" not in html
    page = division_summaries(naces=["14"], lang="en")
    assert list(page) == [] and page.problem and "ituc_rights.csv (row 3)" in page.problem


def test_a_corrupt_import_record_is_reported_too(client, var_dir: Path):
    _import_cpi(var_dir)
    (userdata_dir() / "ti_cpi.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match=r"ti_cpi\.json is invalid"):
        sra_heatmap_page(lang="en", show_all=False)
    assert _page(client, "/trajecten/wood/?lang=en")[0] == 200


def test_the_pages_recover_once_the_data_is_fixed(client, garbage: Path):
    assert client.get("/risico/").status_code == 503
    garbage.unlink()
    (garbage.parent / "ti_cpi.json").unlink()
    status, html = _page(client, "/risico/")
    assert status == 200 and MESSAGE not in html
    summaries = division_summaries(naces=["14"], lang="en")
    assert summaries.problem is None and summaries[0]["rank"] == 1
    assert client.get("/risico/heatmap.svg").status_code == 200


def test_a_bad_data_version_is_read_once(client, garbage: Path, monkeypatch):
    calls = []
    real = selectors.load_user_data
    monkeypatch.setattr(selectors, "load_user_data", lambda **kw: calls.append(1) or real(**kw))
    for path in ("/risico/", "/risico/nace/14/", "/trajecten/wood/", "/risico/heatmap.svg"):
        client.get(path)
    assert len(calls) == 1  # the failure is stored for this data version like a result
