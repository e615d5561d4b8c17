"""The forecast on the overview and the programme page, and its fan chart as an image (issue 11).

On the shipped data: the forecast as of the page's reference date (``peildatum``), known at its
``bekend_op``; a date without a target in force (or before the first inventory) gets a sentence
saying there is no forecast, never an error.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html import unescape

import pytest
from django.utils import translation

from imvo.core.moments import parse_known_at
from imvo.programme.selectors import programme_forecast
from imvo.reports.forecast import main_forecast, summary
from imvo.web.public.chart_views import FORECAST_RUNS, FORECAST_SEED
from tests.web.browser import Axe, needs_chromium, served

SVG = "{http://www.w3.org/2000/svg}"
SUMMARY_NL = re.compile(
    r"Kans dat het doel van \d+ wordt gehaald: (<\u00a01|>\u00a099|\d+)\u00a0% "
    r"\(80 %-band: \d+–\d+ convenanten op \d+ [a-z]+ \d{4}\)\."
)
SUMMARY_EN = re.compile(
    r"Chance that the target of \d+ is met: (<\u00a01|>\u00a099|\d+)\u00a0% "
    r"\(80 % band: \d+–\d+ agreements on \d+ [A-Z][a-z]+ \d{4}\)\."
)
NO_FORECAST_NL = "Voor 1 januari 2023 is er geen verwachting"
NO_FORECAST_EN = "There is no forecast for 1 January 2023"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return unescape(response.content.decode())


def section(html: str) -> str:
    """The forecast section of a page (with the chart's section inside it)."""
    start = html.index('<section class="forecast"')
    depth = 0
    for tag in re.finditer(r"<(/?)section\b", html[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[start : start + tag.end()]
    raise AssertionError("the forecast section is not closed")


def expected_summary(as_of: dt.date, lang: str, known_at: dt.datetime | None = None) -> str:
    result = programme_forecast(
        as_of=as_of, known_at=known_at, runs=FORECAST_RUNS, seed=FORECAST_SEED
    )
    with translation.override(lang):
        return summary(main_forecast(result), lang)


@pytest.mark.django_db
def test_the_overview_shows_the_forecast_in_dutch(client):
    html = section(page(client, "/?peildatum=2015-07-10"))
    assert '<h2 id="forecast-section-heading">Verwachting</h2>' in html
    lead = re.search(r'<p class="lead forecast-summary">(.*?)</p>', html).group(1)
    assert SUMMARY_NL.fullmatch(lead), lead
    assert lead == expected_summary(dt.date(2015, 7, 10), "nl")
    assert "31 december 2016" in lead
    # the fan chart, drawn inline as an image with its title and description, and its table
    svg = re.search(r"<svg .*?</svg>", html, re.S).group()
    assert 'role="img"' in svg and 'aria-labelledby="forecast-title forecast-desc"' in svg
    assert '<title id="forecast-title">Verwachting: aantal convenanten</title>' in svg
    assert '<table id="forecast-table">' in html
    assert '<caption id="forecast-table-caption">Verwacht aantal per kwartaal' in html
    assert '<th scope="row">10 juli 2015 (nu)</th>' in html
    assert '<a href="#forecast-table">' in html
    assert '<a href="/verwachting.svg?peildatum=2015-07-10">Afbeelding (SVG)</a>' in html
    # the chance per target version in force, under its own convention
    assert "Kans dat elke geldende versie van het doel wordt gehaald" in html
    assert re.search(
        r"10 uiterlijk 31 december 2016 \(besloten [^)]*\): (<\u00a01|\d+)\u00a0%", html
    )
    # the trajectories likeliest to sign, at most eight, linked to their pages
    table = html[html.index('<table class="forecast-trajectories">') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr><th scope="row"><a href="/trajecten/([a-z_]+)/', table)
    assert 1 <= len(rows) <= 8
    assert set(rows[:2]) == {"textile", "banking"}  # in negotiation on 10 July 2015
    assert "De trajecten die het waarschijnlijkst uiterlijk 31 december 2016 tekenen" in table
    # what it is: the model, the runs, the seed, known at, and the method
    note = re.search(r'<p class="notes forecast-note">(.*?)</p>', html, re.S).group(1)
    assert "10.000 keer gesimuleerd (Monte Carlo, seed 0) vanaf 10 juli 2015" in note
    assert "Poissonproces" in note and 'href="/methode/verwachting/"' in note


@pytest.mark.django_db
def test_the_overview_shows_the_forecast_in_english(client):
    html = section(page(client, "/?peildatum=2015-07-10&lang=en"))
    assert '<h2 id="forecast-section-heading">Forecast</h2>' in html
    lead = re.search(r'<p class="lead forecast-summary">(.*?)</p>', html).group(1)
    assert SUMMARY_EN.fullmatch(lead), lead
    assert lead == expected_summary(dt.date(2015, 7, 10), "en")
    assert '<title id="forecast-title">Forecast: number of agreements</title>' in html
    assert "Expected number per quarter: median and bands" in html
    assert "Chance of meeting each target version in force" in html
    assert "simulated 10,000 times (Monte Carlo, seed 0) from 10 July 2015" in html
    assert "Kans" not in html and "Verwachting" not in html


@pytest.mark.django_db
def test_the_forecast_is_known_at_the_pages_known_at(client):
    url = "/?peildatum=2016-06-17&bekend_op=2016-06-17"
    html = section(page(client, url))
    lead = re.search(r'<p class="lead forecast-summary">(.*?)</p>', html).group(1)
    known = parse_known_at("2016-06-17")
    assert lead == expected_summary(dt.date(2016, 6, 17), "nl", known)
    assert "met alleen wat bekend was op 17 juni 2016" in html
    raw = client.get(url).content.decode()
    assert "/verwachting.svg?peildatum=2016-06-17&amp;bekend_op=2016-06-17" in raw


@pytest.mark.django_db
def test_the_fan_chart_is_an_svg_image_with_an_etag(client):
    response = client.get("/verwachting.svg?peildatum=2015-07-10")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["ETag"]
    root = ET.fromstring(response.content)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Verwachting: aantal convenanten"
    assert "31 december 2016" in root.find(f"{SVG}desc").text
    targets = [g for g in root.iter(f"{SVG}g") if g.get("class") == "target-line"]
    assert [g.find(f"{SVG}text").text for g in targets] == ["doel 10"]
    again = client.get("/verwachting.svg?peildatum=2015-07-10", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    english = client.get("/verwachting.svg?peildatum=2015-07-10&lang=en")
    assert ET.fromstring(english.content).find(f"{SVG}title").text == (
        "Forecast: number of agreements"
    )
    assert english["ETag"] != response["ETag"]


@pytest.mark.django_db
def test_the_fan_chart_without_a_forecast_says_why(client):
    response = client.get("/verwachting.svg?peildatum=2023-01-01&lang=en")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith(NO_FORECAST_EN)
    assert client.get("/verwachting.svg?peildatum=1-1-2023").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "as_of",
    [
        "2023-01-01",  # every known deadline has passed: no target in force
        "2014-01-01",  # before any trajectory was known
        "2015-07-09",  # before the first inventory: the engine has no prior then
    ],
)
def test_a_date_without_a_forecast_gets_a_sentence_not_an_error(client, as_of):
    with pytest.raises(Exception):  # noqa: B017 - ImvoError or ValueError, as the case may be
        programme_forecast(as_of=dt.date.fromisoformat(as_of), runs=100)
    html = section(page(client, f"/?peildatum={as_of}"))
    assert '<p class="forecast-none">Voor ' in html and "is er geen verwachting" in html
    assert "<svg" not in html and "forecast-summary" not in html
    assert "/verwachting.svg" not in html


@pytest.mark.django_db
def test_no_forecast_in_either_language(client):
    assert NO_FORECAST_NL in page(client, "/?peildatum=2023-01-01")
    assert NO_FORECAST_EN in page(client, "/?peildatum=2023-01-01&lang=en")


@pytest.mark.django_db
def test_the_programme_page_shows_the_forecast(client):
    html = section(page(client, "/programma/?peildatum=2016-06-17"))
    lead = re.search(r'<p class="lead forecast-summary">(.*?)</p>', html).group(1)
    assert lead == expected_summary(dt.date(2016, 6, 17), "nl")
    assert '<table id="forecast-table">' in html and 'role="img"' in html
    assert '<a href="/verwachting.svg?peildatum=2016-06-17">' in html
    assert "15 uiterlijk 30 juni 2017" in html  # the revision of 2016 is in force
    english = section(page(client, "/programma/?peildatum=2016-06-17&lang=en"))
    assert SUMMARY_EN.search(english)
    assert NO_FORECAST_NL in page(client, "/programma/?peildatum=2023-01-01&lang=nl")


# In a browser: the sections with a forecast fit a phone and pass axe-core.
FORECAST_PAGES = ["/?peildatum=2016-06-17", "/programma/?peildatum=2015-07-10"]


@pytest.fixture(scope="module")
def server(cli_env: dict[str, str]) -> Iterator[str]:
    with served(cli_env) as base:
        yield base


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("width", [390, 1280])
def test_the_forecast_fits_the_screen_and_passes_axe(chromium, server, width):
    axe = Axe()
    for language in ("nl", "en"):
        context = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        context.add_cookies([{"name": "django_language", "value": language, "url": server}])
        browser_page = context.new_page()
        for path in FORECAST_PAGES:
            response = browser_page.goto(server + path)
            assert response.status == 200, path
            assert browser_page.locator("#forecast-table").count() == 1
            axe.check(browser_page, f"{language} {path}")
        context.close()
    axe.verdict()
