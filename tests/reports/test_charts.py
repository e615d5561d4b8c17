"""The two pictures as pure renderers: plain data in, well-formed SVG and table rows out."""

from __future__ import annotations

import ast
import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from imvo.reports import charts

SVG = "{http://www.w3.org/2000/svg}"
D = dt.date


@dataclass
class Seg:
    phase: str
    start: dt.date
    end: dt.date


@dataclass
class Mk:
    kind: str
    date: dt.date
    label: str


@dataclass
class Ln:
    slug: str
    name: str
    segments: list = field(default_factory=list)
    marks: list = field(default_factory=list)


@dataclass
class Tl:
    start: dt.date
    end: dt.date
    lanes: list


@dataclass
class Conv:
    key: str
    title: str


@dataclass
class Pt:
    date: dt.date
    count: int
    agreement: str


@dataclass
class Cv:
    convention: Conv
    points: list


@dataclass
class Ver:
    key: str
    decided: dt.date
    value: int
    deadline: dt.date
    convention: Conv
    text: str


@dataclass
class Curves:
    as_of: dt.date
    curves: list
    versions: list


PHASES = {"exploration": "verkennend", "signed": "ondertekend", "ended": "beëindigd"}


def timeline() -> Tl:
    return Tl(
        D(2013, 1, 1),
        D(2020, 12, 31),
        [
            Ln(
                "a",
                "Textiel & <kleding>",
                [
                    Seg("exploration", D(2014, 9, 1), D(2016, 7, 4)),
                    Seg("signed", D(2016, 7, 4), D(2020, 12, 31)),
                ],
                [Mk("signed", D(2016, 7, 4), 'Convenant "Kleding" & Textiel')],
            ),
            Ln("b", "Bouw"),
        ],
    )


def curves() -> Curves:
    ser, kit = Conv("ser", "De lijst van de SER"), Conv("kit", "KIT & co")
    return Curves(
        D(2017, 12, 31),
        [
            Cv(kit, [Pt(D(2014, 11, 17), 1, "Steenkool"), Pt(D(2016, 7, 4), 2, "Textiel")]),
            Cv(ser, [Pt(D(2016, 7, 4), 1, "Textiel")]),
        ],
        [
            Ver("v1", D(2014, 6, 24), 10, D(2016, 12, 31), ser, "Tien in 2016."),
            Ver("v2", D(2015, 7, 10), 10, D(2016, 12, 31), ser, ""),
            Ver("v3", D(2017, 9, 28), 11, D(2018, 12, 31), ser, "Elf in 2018."),
        ],
    )


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def test_timeline_is_an_accessible_well_formed_svg():
    figure = charts.timeline_figure(timeline(), phase_labels=PHASES, lang="nl")
    root = parse(figure.svg)
    assert root.get("role") == "img"
    assert root.get("viewBox").startswith("0 0 560 ") and root.get("width") == "100%"
    assert root.get("aria-labelledby") == "timeline-title timeline-desc"
    assert root.find(f"{SVG}title").text == "Tijdlijn van alle trajecten"
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("2 trajecten van 1 januari 2013 tot 31 december 2020")
    assert "1 ondertekeningen en 0 beëindigingen" in desc
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Textiel & <kleding>" in texts and "Bouw" in texts  # escaped in the XML, read back
    assert {"2013", "2016", "2020"} <= set(texts)


def test_timeline_marks_and_segments_sit_at_their_dates():
    figure = charts.timeline_figure(timeline(), phase_labels=PHASES, lang="en")
    root = parse(figure.svg)
    (mark,) = [p for p in root.iter(f"{SVG}polygon") if p.find(f"{SVG}title") is not None]
    assert mark.get("class") == "mark-signed"
    x_mark = float(mark.get("points").split()[0].split(",")[0])
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [b.get("fill") for b in bars] == ["url(#tl-exploration)", "#2e7d32"]
    assert float(bars[1].get("x")) == x_mark  # the signing starts the signed phase
    left, right = 150, 550
    span = (D(2020, 12, 31) - D(2013, 1, 1)).days
    assert abs(x_mark - (left + (right - left) * (D(2016, 7, 4) - D(2013, 1, 1)).days / span)) < 0.1


def test_timeline_table_holds_every_value_of_the_picture():
    figure = charts.timeline_figure(timeline(), phase_labels=PHASES, lang="nl")
    (table,) = figure.tables
    assert table.headers == ["Traject", "Fasen", "Overeenkomsten"]
    assert table.rows == [
        [
            ["Textiel & <kleding>"],
            ["verkennend: 1 september 2014 – 4 juli 2016", "ondertekend: vanaf 4 juli 2016"],
            ['ondertekend 4 juli 2016: Convenant "Kleding" & Textiel'],
        ],
        [["Bouw"], ["niets vastgelegd"], ["—"]],
    ]
    root = parse(figure.svg)
    for element in root.iter():
        tip = element.find(f"{SVG}title")
        if element.tag in (f"{SVG}rect", f"{SVG}polygon") and tip is not None:
            lane, value = tip.text.split(": ", 1)
            row = next(r for r in table.rows if r[0] == [lane])
            assert value in row[1] + row[2]


def test_the_output_is_deterministic_and_escaped():
    one = charts.timeline_figure(timeline(), phase_labels=PHASES, lang="nl").svg
    assert one == charts.timeline_figure(timeline(), phase_labels=PHASES, lang="nl").svg
    assert "Textiel &amp; &lt;kleding&gt;" in one and "<kleding>" not in one
    two = charts.curves_figure(curves(), lang="nl").svg
    assert two == charts.curves_figure(curves(), lang="nl").svg
    assert "KIT &amp; co" in two


def test_curves_draw_one_step_line_per_convention_and_the_target_versions():
    figure = charts.curves_figure(curves(), lang="nl")
    root = parse(figure.svg)
    assert root.find(f"{SVG}title").text == "Aantal overeenkomsten tegen het doel"
    assert "KIT & co: 2; De lijst van de SER: 1" in root.find(f"{SVG}desc").text
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "curve"]
    assert [g.find(f"{SVG}title").text for g in groups] == ["KIT & co: 2", "De lijst van de SER: 1"]
    steps = [g.find(f"{SVG}path").get("d").count(" V") for g in groups]
    assert steps == [2, 1]  # one rise per agreement counted
    targets = [g for g in root.iter(f"{SVG}g") if g.get("class") == "target-line"]
    labels = [g.find(f"{SVG}text").text for g in targets]
    assert labels == ["doel 10 (2014, 2015)", "doel 11 (2017)"]  # same value and deadline: one
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "KIT & co (2)" in texts and "De lijst van de SER (1)" in texts
    assert "peildatum" in texts  # the axis runs on to the last deadline, past the date


def test_curve_tables_hold_the_same_numbers():
    counts, versions = charts.curves_figure(curves(), lang="en").tables
    assert counts.headers == ["Date", "Agreement", "KIT & co", "De lijst van de SER"]
    assert counts.rows == [
        [["17 November 2014"], ["Steenkool"], ["1 (+1)"], ["0"]],
        [["4 July 2016"], ["Textiel"], ["2 (+1)"], ["1 (+1)"]],
    ]
    assert [r[1] for r in versions.rows] == [["10"], ["10"], ["11"]]
    assert versions.rows[1] == [
        ["10 July 2015"],
        ["10"],
        ["31 December 2016"],
        ["De lijst van de SER"],
        ["—"],
    ]


def test_empty_data_still_draws():
    empty = Tl(D(2013, 1, 1), D(2013, 1, 1), [])
    parse(charts.timeline_figure(empty, phase_labels={}, lang="nl").svg)
    parse(charts.curves_figure(Curves(D(2013, 1, 1), [], []), lang="en").svg)


def test_the_renderer_is_pure():
    source = Path(charts.__file__).read_text(encoding="utf-8")
    imported = [
        alias.name if isinstance(node, ast.Import) else node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [name for name in imported if name and name.startswith("django")]
