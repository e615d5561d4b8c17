"""The heat-map page (/risico/) and the division page: readable, sortable, one language each.

The page is read as a browser without JavaScript would: the table's cells in document order
(stdlib ``html.parser``), the query string for sorting and filtering, the legend and the
sentences of the division page, all checked against the analysis itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from imvo.reports.sra import (
    HEAT_PALETTE,
    SOFT_HYPHEN,
    THEME_SHORT,
    heat_colours,
    heat_legend,
    shown_score,
)
from imvo.risks.selectors import sra_explanation, sra_result

pytestmark = pytest.mark.django_db

SCORE_NL = re.compile(r"\d+,\d")  # 23,0
SCORE_EN = re.compile(r"\d+\.\d")  # 23.0


@dataclass
class Cell:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    hidden: str = ""  # text of visually hidden parts
    links: list[str] = field(default_factory=list)


class TableReader(HTMLParser):
    """The cells of ``table.heatmap``, row by row, with their text and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[Cell]] = []
        self.legend: list[tuple[str, str]] = []
        self._in_table = self._in_legend = False
        self._cell: Cell | None = None
        self._hidden = 0
        self._legend_style = ""
        self._legend_text = ""
        self._in_item = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "table" and "heatmap" in values.get("class", "").split():
            self._in_table = True
        elif tag == "div" and values.get("id") == "heatmap-legend":
            self._in_legend = True
        elif self._in_legend and tag == "li":
            self._in_item, self._legend_style, self._legend_text = True, values["style"], ""
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("th", "td"):
            self._cell = Cell(tag, values)
            self.rows[-1].append(self._cell)
        elif self._cell is not None and tag == "a":
            self._cell.links.append(values.get("href", ""))
        if (
            self._cell is not None
            and tag == "span"
            and "visually-hidden" in values.get("class", "")
        ):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif tag in ("th", "td"):
            self._cell = None
        elif tag == "span" and self._hidden:
            self._hidden -= 1
        elif tag == "li" and self._in_item:
            self.legend.append((self._legend_style, self._legend_text.strip()))
            self._in_item = False
        elif tag == "ul" and self._in_legend:
            self._in_legend = False

    def handle_data(self, data: str) -> None:
        if self._in_item:
            self._legend_text += data
        if self._cell is not None:
            if self._hidden:
                self._cell.hidden += data
            else:
                self._cell.text += data


def read(html: str) -> TableReader:
    reader = TableReader()
    reader.feed(html)
    return reader


def page(client, path: str, lang: str = "nl") -> tuple[int, str]:
    response = client.get(path, HTTP_COOKIE=f"django_language={lang}")
    return response.status_code, response.content.decode()


def body_rows(reader: TableReader) -> list[list[Cell]]:
    return [row for row in reader.rows[1:] if row]


def nace_of(row: list[Cell]) -> str:
    (link,) = row[0].links
    return link.rstrip("/").rsplit("/", 1)[-1]


def theme_values(row: list[Cell]) -> list[int]:
    return [int(c.text) for c in row if c.attrs.get("class") == "cell"]


# Layout: the name and the overall score come first --------------------------------------------


def test_sector_name_then_overall_score_then_residual_imputed_and_themes(client):
    status, html = page(client, "/risico/")
    assert status == 200
    reader = read(html)
    head = reader.rows[0]
    assert [c.attrs.get("class") for c in head[:4]] == ["sector", "score", "num", "num"]
    assert head[1].text.replace(SOFT_HYPHEN, "").startswith("Totaalscore")
    assert len(head) == 4 + 11
    rows = body_rows(reader)
    assert len(rows) == 30
    first = rows[0]
    assert first[0].tag == "th" and first[0].attrs == {"scope": "row"}
    assert "Vervaardiging van kleding" in first[0].text
    assert "rang 1 · NACE 14" in first[0].text  # rank and code folded into the name cell
    assert first[1].attrs == {"class": "score"} and SCORE_NL.fullmatch(first[1].text)
    assert len(theme_values(first)) == 11
    # the stylesheet keeps both in view while the themes scroll
    css = _css()
    assert re.search(
        r"table\.heatmap \.sector, table\.heatmap tbody th \{ position: sticky; left: 0;", css
    )
    assert re.search(r"table\.heatmap \.score \{ position: sticky; left: var\(--hm-name\);", css)


def _css() -> str:
    import imvo

    return (Path(imvo.__file__).parent / "web" / "static" / "imvo" / "imvo.css").read_text()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_theme_headers_are_short_with_the_full_name_as_accessible_name(client, lang):
    _status, html = page(client, "/risico/", lang)
    head = read(html).rows[0][4:]
    model = sra_result().model
    names = model.theme_names(lang)
    for cell, code in zip(head, model.theme_codes, strict=True):
        visible = cell.text.replace(SOFT_HYPHEN, "")
        assert visible == THEME_SHORT[code][lang].replace(SOFT_HYPHEN, "")
        assert visible + cell.hidden == names[code]  # what a screen reader reads
        assert cell.links == [f"?sorteer={code}"]
    working = head[model.theme_codes.index("working_conditions")]
    assert len(working.text) < len(names["working_conditions"])


def test_short_labels_start_every_full_name_in_both_languages():
    model = sra_result().model
    assert set(THEME_SHORT) == set(model.theme_codes)
    for lang in ("nl", "en"):
        for code, name in model.theme_names(lang).items():
            short = THEME_SHORT[code][lang].replace(SOFT_HYPHEN, "")
            assert name.startswith(short) and len(short) <= 26, (code, lang)


# Sorting and filtering, on the server ---------------------------------------------------------


def _expected_order(theme: str) -> list[str]:
    result = sra_result()
    scores = result.scores.set_index(["nace", "theme"])["score"]
    ranked = list(result.sectors["nace"])
    return sorted(ranked, key=lambda nace: -float(scores[(nace, theme)]))


def test_sorting_by_a_theme_orders_the_rows_by_that_theme(client):
    status, html = page(client, "/risico/?sorteer=child_labour&alle=1")
    assert status == 200
    reader = read(html)
    rows = body_rows(reader)
    assert len(rows) == 88  # alle=1 still shows every division
    assert [nace_of(r) for r in rows] == _expected_order("child_labour")
    child = [theme_values(r)[0] for r in rows]
    assert child == sorted(child, reverse=True) and child[0] > child[-1]
    head = reader.rows[0]
    assert head[4].attrs.get("aria-sort") == "descending"  # child labour is the first theme
    assert "aria-sort" not in head[1].attrs
    assert all("alle=1" in link for c in head[4:] for link in c.links)  # links keep alle=1


def test_sorting_without_alle_shows_the_30_highest_on_that_theme(client):
    _status, html = page(client, "/risico/?sorteer=forced_labour", "en")
    rows = body_rows(read(html))
    assert [nace_of(r) for r in rows] == _expected_order("forced_labour")[:30]
    assert "Showing the 30 that score highest on Forced labour." in html
    assert "Sorted by Forced labour, highest first." in html
    _status, default = page(client, "/risico/")
    assert [nace_of(r) for r in body_rows(read(default))] == list(sra_result().sectors["nace"][:30])
    assert 'class="score" aria-sort="descending"' in default


def test_a_theme_filter_drops_the_divisions_below_the_minimum(client):
    status, html = page(client, "/risico/?thema=forced_labour&minimaal=30&alle=1")
    assert status == 200
    rows = body_rows(read(html))
    scores = sra_result().scores
    forced = scores[scores["theme"] == "forced_labour"]
    expected = {
        n for n, s in zip(forced["nace"], forced["score"], strict=True) if shown_score(s) >= 30
    }
    assert 0 < len(expected) < 88
    assert {nace_of(r) for r in rows} == expected
    assert all(theme_values(r)[1] >= 30 for r in rows)
    assert f"{len(expected)} van de 88 afdelingen voldoen aan het filter." in html


def test_filters_on_the_overall_score_and_on_the_programme(client):
    _status, html = page(client, "/risico/?minimaal=15,5&alle=1")  # a Dutch decimal comma
    rows = body_rows(read(html))
    assert rows and all(float(r[1].text.replace(",", ".")) >= 15.5 for r in rows)
    assert len(rows) < 88
    _status, html = page(client, "/risico/?programma=1&alle=1")
    rows = body_rows(read(html))
    sectors = sra_result().sectors
    programme = {n for n, p in zip(sectors["nace"], sectors["programme_sectors"], strict=True) if p}
    assert {nace_of(r) for r in rows} == programme and 0 < len(programme) < 88
    _status, html = page(client, "/risico/?thema=climate&minimaal=100")
    assert body_rows(read(html)) == [] and "Geen enkele afdeling voldoet aan het filter." in html


@pytest.mark.parametrize(
    ("query", "parameter", "value"),
    [
        ("sorteer=nope", "sorteer", "nope"),
        ("thema=kinderarbeid&minimaal=10", "thema", "kinderarbeid"),
        ("minimaal=veel", "minimaal", "veel"),
        ("minimaal=200", "minimaal", "200"),
        ("minimaal=nan", "minimaal", "nan"),
        ("alle=ja", "alle", "ja"),
        ("programma=2", "programma", "2"),
    ],
)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_bad_parameter_gives_400_with_a_message_naming_it(client, query, parameter, value, lang):
    status, html = page(client, f"/risico/?{query}", lang)
    assert status == 400
    alert = html[html.index('class="errors" role="alert"') :]
    alert = alert[: alert.index("</div>")]
    assert parameter in alert and f"&quot;{value}&quot;" in alert
    assert ("De parameter" if lang == "nl" else "The parameter") in alert
    assert "Traceback" not in html
    assert len(body_rows(read(html))) == 30  # the rest of the page as by default


# The colour scale and its legend ---------------------------------------------------------------


def test_the_legend_lists_the_steps_of_the_cells(client):
    _status, html = page(client, "/risico/?alle=1")
    reader = read(html)
    steps = heat_legend()
    assert [text for _style, text in reader.legend] == [s["label"] for s in steps]
    assert [text for _style, text in reader.legend][:2] == ["0–4", "5–9"]
    assert [style for style, _text in reader.legend] == [
        f"background: {s['bg']}; color: {s['fg']}" for s in steps
    ]
    assert [s["bg"] for s in steps] == list(HEAT_PALETTE)
    assert 'aria-hidden="true"' not in html[html.index('id="heatmap-legend"') :][:600]
    by_colour = {s["bg"]: s for s in steps}
    used = set()
    for row in body_rows(reader):
        for cell in row:
            if cell.attrs.get("class") != "cell":
                continue
            background = re.search(r"background: (#[0-9a-f]{6})", cell.attrs["style"])[1]
            step = by_colour[background]  # every cell colour is a legend step ...
            assert step["low"] <= int(cell.text) <= step["high"]  # ... holding its number
            used.add(background)
    assert len(used) == len(HEAT_PALETTE)  # the shipped data reach every step


def test_the_scale_reads_from_light_low_to_dark_high():
    from imvo.reports.sra import relative_luminance

    lightness = [relative_luminance(colour) for colour in HEAT_PALETTE]
    assert lightness == sorted(lightness, reverse=True)
    assert heat_colours(0.0)[0] == HEAT_PALETTE[0] and heat_colours(100.0)[0] == HEAT_PALETTE[-1]
    assert heat_colours(4.49)[0] == HEAT_PALETTE[0] and heat_colours(4.5)[0] == HEAT_PALETTE[1]


# One language per page ------------------------------------------------------------------------

ENGLISH_ON_DUTCH = (
    *("authored", "imputed_share", "residual_score", "measured", "imputed:"),
    *("imputation rule", "fallback", "user import", "Viet Nam", "Cambodia", "Türkiye"),
)
DUTCH_ON_ENGLISH = (
    *("geïmputeerd", "Geïmputeerd", "gemeten", "schatting", "imputatieregel"),
    *("bij ontbreken", "Totaalscore", "Kinderarbeid", "afdelingen", "Rang "),
)


def _main(html: str) -> str:
    """The text of ``main``, without the parts marked as written in another language."""
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r'<([a-z]+)[^>]* lang="(nl|en)"[^>]*>.*?</\1>', "", main, flags=re.S)
    return re.sub(r"<[^>]+>", " ", main)


@pytest.mark.parametrize(
    "path", ["/risico/", "/risico/nace/14/", "/risico/nace/14/?thema=forced_labour"]
)
def test_the_dutch_pages_are_dutch_with_decimal_commas(client, path):
    status, html = page(client, path, "nl")
    assert status == 200
    text = _main(html)
    for word in ENGLISH_ON_DUTCH:
        assert word not in text, word
    assert SCORE_NL.search(text) and not re.search(r"\b\d+\.\d\b", text)


@pytest.mark.parametrize(
    "path", ["/risico/", "/risico/nace/14/", "/risico/nace/14/?thema=forced_labour"]
)
def test_the_english_pages_are_english(client, path):
    status, html = page(client, path, "en")
    assert status == 200
    text = _main(html)
    for word in DUTCH_ON_ENGLISH:
        assert word not in text, word
    assert SCORE_EN.search(text) and not re.search(r"\b\d+,\d\b", text)


def test_record_texts_kept_in_dutch_are_marked_as_dutch_on_the_english_page(client):
    _status, html = page(client, "/risico/nace/14/", "en")
    assert re.search(r'<span class="muted" lang="nl">Eigen plan van aanpak', html)
    assert "Bangladesh" in html and "Viet Nam" in html  # English country names
    _status, html = page(client, "/risico/nace/14/", "nl")
    for name, code in (("Vietnam", "VNM"), ("Cambodja", "KHM"), ("Turkije", "TUR")):
        assert f'{name} <span class="muted">({code})</span>' in html


def test_the_picture_is_asked_for_in_the_page_language(client):
    for lang in ("nl", "en"):
        _status, html = page(client, "/risico/?alle=1", lang)
        src = re.search(r'<img class="heatmap-image" src="([^"]+)"', html)[1]
        assert src == f"/risico/heatmap.svg?lang={lang}&amp;alle=1"
    english = client.get("/risico/heatmap.svg?lang=en", HTTP_COOKIE="django_language=nl")
    assert b"IRBC Sector Risk Analysis" in english.content
    assert b"Sectorrisicoanalyse" not in english.content


# The division page explains its score in words ------------------------------------------------


def _number(value: float, lang: str) -> str:
    text = f"{round(value + 1e-9, 1):.1f}"
    return text.replace(".", ",") if lang == "nl" else text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_division_page_explains_the_overall_score(client, lang):
    explanation = sra_explanation(nace="14", lang=lang)
    themes = explanation.themes
    mean = sum(t["score"] for t in themes) / len(themes)
    assert mean == pytest.approx(explanation.score)  # the overall score is the plain mean
    top = sorted(themes, key=lambda t: t["score"], reverse=True)[:2]
    names = sra_result().model.theme_names(lang)
    first, second = (f"{names[t['theme']]} ({_number(t['score'], lang)})" for t in top)
    estimate = shown_score(100 * explanation.estimate_share)
    imputed = shown_score(100 * explanation.imputed_share)
    score, residual = _number(explanation.score, lang), _number(explanation.residual_score, lang)
    if lang == "nl":
        expected = [
            f"Rang 1 van 88 afdelingen. De totaalscore {score} is het gemiddelde van de scores "
            f"op de 11 thema's. Het hoogst scoren {first} en {second}. Na bestaande "
            f"initiatieven blijft een restscore van {residual} over.",
            f"{estimate}% van de score berust op geschatte inkoopaandelen",
            f"{imputed}% berust op ontbrekende gegevens die volgens een vaste regel zijn aangevuld",
        ]
    else:
        expected = [
            f"Rank 1 of 88 divisions. The overall score {score} is the mean of the scores on "
            f"the 11 themes. The highest scores are on {first} and {second}. After existing "
            f"initiatives a residual score of {residual} remains.",
            f"{estimate}% of the score rests on estimated sourcing shares",
            f"{imputed}% rests on missing data that was filled in by a fixed rule",
        ]
    _status, html = page(client, "/risico/nace/14/", lang)
    summary = unescape(" ".join(re.findall(r'score-summary">([^<]+)</p>', html)))
    for part in expected:
        assert part in summary, (part, summary)
    assert (score, residual) == (("23,0", "22,2") if lang == "nl" else ("23.0", "22.2"))
