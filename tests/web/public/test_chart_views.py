"""The timeline and the agreement curves as images and as page figures, on the shipped data."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from imvo.core.moments import parse_known_at
from imvo.trajectories.selectors import trajectory_list
from imvo.web.public.chart_views import curves_figure, timeline_figure

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def svg_of(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    return root


def signed_marks(root: ET.Element) -> list[str]:
    return [
        p.find(f"{SVG}title").text
        for p in root.iter(f"{SVG}polygon")
        if p.get("class") == "mark-signed" and p.find(f"{SVG}title") is not None
    ]


def lanes(root: ET.Element) -> list[str]:
    return [
        g.find(f"{SVG}title").text
        for g in root.iter(f"{SVG}g")
        if g.find(f"{SVG}text") is not None and g.get("class") is None
    ]


def test_timeline_has_one_lane_per_trajectory_and_marks_the_signings(client):
    root = svg_of(client, "/tijdlijn.svg?peildatum=2016-12-31")
    expected = {t.name for t in trajectory_list(as_of=dt.date(2016, 12, 31))}
    assert sorted(lanes(root)) == sorted(expected)
    marks = signed_marks(root)
    assert len(marks) == 3
    assert any(m.startswith("Textiel en kleding: ondertekend 4 juli 2016") for m in marks)
    assert any(m.startswith("Bancaire sector: ondertekend 28 oktober 2016") for m in marks)
    assert any(m.startswith("Steenkool: ondertekend 17 november 2014") for m in marks)


def test_timeline_honours_known_at(client):
    root = svg_of(client, "/tijdlijn.svg?peildatum=2016-12-31&bekend_op=2015-07-11")
    marks = signed_marks(root)
    assert [m.split(":")[0] for m in marks] == ["Steenkool"]  # nothing signed but coal
    known = trajectory_list(as_of=dt.date(2016, 12, 31), known_at=parse_known_at("2015-07-11"))
    assert len(lanes(root)) == len(known)
    assert "Plantaardige eiwitten" not in lanes(root)  # recorded later than 11 July 2015
    tips = [t.text for t in root.iter(f"{SVG}title")]
    assert not [t for t in tips if t.startswith("Textiel en kleding: ondertekend")]


def test_agreement_curves_per_convention_and_target_version(client):
    root = svg_of(client, "/afspraken.svg?peildatum=2024-12-31")
    curves = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("class") == "curve"]
    assert len(curves) == 5
    assert "De lijst van de SER (11 convenanten): 11" in curves
    targets = [g for g in root.iter(f"{SVG}g") if g.get("class") == "target-line"]
    labels = [g.find(f"{SVG}text").text for g in targets]
    assert labels == ["doel 10 (2014, 2015)", "doel 7 (2016)", "doel 15 (2016)", "doel 11 (2017)"]


def test_agreement_curves_honour_known_at(client):
    root = svg_of(client, "/afspraken.svg?peildatum=2024-12-31&bekend_op=2015-07-11")
    curves = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("class") == "curve"]
    assert all(c.endswith(": 1") or c.endswith(": 0") for c in curves)  # coal, if counted
    labels = [
        g.find(f"{SVG}text").text for g in root.iter(f"{SVG}g") if g.get("class") == "target-line"
    ]
    assert labels == ["doel 10 (2014, 2015)"]  # the 2016 and 2017 revisions came later


@pytest.mark.parametrize("url", ["/tijdlijn.svg", "/afspraken.svg"])
def test_a_bad_reference_date_is_a_400_with_a_message(client, url):
    response = client.get(url + "?peildatum=10-07-2015")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Peildatum" in text and "10-07-2015" in text
    assert "Traceback" not in text and "<svg" not in text


def test_the_image_follows_the_page_language(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    root = svg_of(client, "/tijdlijn.svg?peildatum=2016-12-31")
    assert root.find(f"{SVG}title").text == "Timeline of all trajectories"
    assert any(m.startswith("Banking sector: signed 28 October 2016") for m in signed_marks(root))


def render(name: str, **context) -> str:
    request = RequestFactory().get("/", {"peildatum": "2016-12-31"})
    template = Template('{% include "public/' + name + '" %}')
    return template.render(Context({"request": request, **context}))


def cells(html: str, table_id: str) -> list[list[str]]:
    table = html.split(f'<table id="{table_id}">', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_timeline_partial_has_figure_and_a_table_with_the_same_values():
    figure = timeline_figure(as_of=dt.date(2016, 12, 31), known_at=None)
    html = render("_timeline.html", timeline=figure)
    assert "<figure" in html and "<figcaption" in html and 'role="img"' in html
    assert '<th scope="col">Traject</th>' in html and '<th scope="row">' in html
    assert 'href="/tijdlijn.svg?peildatum=2016-12-31"' in html and 'href="#timeline-table"' in html
    rows = cells(html, "timeline-table")
    root = ET.fromstring(figure.svg)
    assert len(rows) == len(lanes(root))
    table_text = {row[0]: " ".join(row[1:]) for row in rows}
    for element in root.iter():
        tip = element.find(f"{SVG}title")
        if element.tag in (f"{SVG}rect", f"{SVG}polygon", f"{SVG}circle") and tip is not None:
            lane, value = tip.text.split(": ", 1)
            assert value in table_text[lane]


def test_curve_partial_table_holds_the_counts_of_the_picture():
    figure = curves_figure(as_of=dt.date(2024, 12, 31), known_at=None)
    html = render("_agreement_curve.html", curves=figure)
    assert 'href="/afspraken.svg?peildatum=2016-12-31"' in html
    rows = cells(html, "curves-table")
    root = ET.fromstring(figure.svg)
    finals = [
        int(g.find(f"{SVG}title").text.rsplit(": ", 1)[1])
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "curve"
    ]
    assert [int(c.split()[0]) for c in rows[-1][2:]] == finals  # the last row: the totals
    markers = sum(
        len(g) - 2 for g in root.iter(f"{SVG}g") if g.get("class") == "curve"
    )  # title and path, then one marker per step
    assert markers == sum(c.count("(+1)") for row in rows for c in row)
    versions = cells(html, "versions-table")
    assert [r[1] for r in versions] == ["10", "10", "7", "15", "11"]
