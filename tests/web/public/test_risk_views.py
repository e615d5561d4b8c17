"""The Sector Risk Analysis pages: heat map with its data table, and one page per division."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_heatmap_page_has_a_table_with_every_value_and_the_image(client):
    html = client.get("/risico/").content.decode()
    assert '<html lang="nl">' in html
    assert "<caption>" in html and 'scope="col"' in html
    rows = re.findall(r'<th scope="row"><a href="/risico/nace/(\d\d)/">', html)
    assert len(rows) == 30  # the top 30 by default
    assert rows[0] == "14"  # wearing apparel ranks first on the shipped data
    assert html.count('class="cell"') == 30 * 11  # one printed value per sector × theme
    assert "Dwangarbeid" in html  # theme names in Dutch
    assert "/risico/heatmap.svg" in html
    assert "CC BY 4.0" in html  # datasets with their licence
    all_rows = re.findall(r'<th scope="row">', client.get("/risico/?alle=1").content.decode())
    assert len(all_rows) == 88


def test_heatmap_image_is_svg(client):
    response = client.get("/risico/heatmap.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") and b"<svg" in response.content


def test_division_page_explains_drivers_with_sources(client):
    html = client.get("/risico/nace/14/?thema=forced_labour").content.decode()
    assert "Vervaardiging van kleding" in html
    assert "Bangladesh" in html and "(BGD)" in html  # a sourcing country
    assert "ilab_goods_2022" in html  # the evidence and its source
    assert "/trajecten/textile/" in html and "/sectoren/textile/" in html
    assert "Plan van aanpak Verduurzaming" in html  # the recorded initiative ...
    assert "Minbuza 2015.337860" in html  # ... with the source that records it


def test_unknown_division_or_theme_is_404(client):
    assert client.get("/risico/nace/99x/").status_code == 404
    assert client.get("/risico/nace/14/?thema=nope").status_code == 404


def test_table_cells_use_the_one_heat_map_colour_rule(client):
    from imvo.reports.sra import heat_colours

    html = client.get("/risico/?alle=1").content.decode()
    cells = re.findall(
        r'<td class="cell" style="background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6})">(\d+)</td>',
        html,
    )
    assert len(cells) == 88 * 11
    for background, text, value in cells:
        assert (background, text) == heat_colours(float(value))
    assert heat_colours(0.0) == ("#ffffb2", "#000000")  # light yellow (low): black text
    assert heat_colours(100.0) == ("#b10026", "#ffffff")  # dark red (high): white text


def test_views_import_no_models_and_compute_nothing():
    from pathlib import Path

    import imvo.web.public.risk_views as views

    source = Path(views.__file__).read_text(encoding="utf-8")
    assert ".models import" not in source
    assert "colormaps" not in source and "pivot" not in source


def test_trajectory_and_sector_pages_link_to_their_divisions(client):
    html = client.get("/trajecten/wood/").content.decode()
    for nace in ("02", "16", "17"):
        assert f"/risico/nace/{nace}/" in html
    html = client.get("/sectoren/floriculture/").content.decode()
    assert "/risico/nace/01/" in html and "/risico/nace/46/" in html
    assert "Floriculture Sustainability Initiative" in html
