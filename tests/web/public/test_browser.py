"""The served app in headless Chromium, as a visitor sees it (Playwright + Debian's chromium)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.browser import needs_chromium, served

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def server(cli_env: dict[str, str]) -> Iterator[str]:
    with served(cli_env) as base:
        yield base


@pytest.fixture(scope="module")
def page(chromium, server: str):
    context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


def test_overview_in_dutch_with_the_letter_grouping(page, server, tmp_path):
    page.goto(server + "/?peildatum=2015-07-10")
    assert page.get_attribute("html", "lang") == "nl"  # even though the browser asks for English
    assert page.title() == "Overzicht · IMVO Monitor"
    assert page.locator("h1").inner_text() == "IMVO-convenanten: stand van zaken"
    negotiation = page.locator("section.phase-negotiation")
    assert negotiation.locator("h3").inner_text() == "Onderhandeling (2)"
    assert set(negotiation.locator("li a").all_inner_texts()) == {
        "Bancaire sector",
        "Textiel en kleding",
    }
    assert page.locator("section.phase-dialogue li").count() == 6
    assert "0 van 10 convenanten ondertekend" in page.locator(".target-figure").inner_text()
    page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
    assert page.console_errors == []


def test_keyboard_user_can_skip_to_content_and_every_input_has_a_label(page, server):
    page.goto(server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Naar de inhoud"
    unlabeled = page.evaluate(
        """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
             .filter(el => !el.labels || el.labels.length === 0).length"""
    )
    assert unlabeled == 0
    headers_without_scope = page.evaluate(
        "[...document.querySelectorAll('thead th')].filter(th => !th.scope).length"
    )
    assert headers_without_scope == 0


def test_reference_date_form_and_trajectory_page(page, server):
    page.goto(server + "/")
    page.fill("#peildatum", "2014-01-01")
    page.click("form.reference-form button")
    page.wait_for_load_state()
    assert "peildatum=2014-01-01" in page.url
    assert page.locator("section.phase-no_initiative li").count() == 20
    page.goto(server + "/?peildatum=2015-07-10")
    page.click("a:has-text('Textiel en kleding')")  # the pictures name it too
    assert page.locator("h1").inner_text() == "Textiel en kleding"
    timeline = page.locator("ol.timeline li").all_inner_texts()
    assert timeline[0].startswith("september 2014") and "Verkennend" in timeline[0]
    assert timeline[1].startswith("18 mei 2015") and "Onderhandeling" in timeline[1]


def test_switching_to_english(page, server):
    page.goto(server + "/?peildatum=2015-07-10")
    page.click("button[name=language]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert (
        page.locator("h1").inner_text() == "IRBC covenants: state of play"
        or page.locator("h1").inner_text() == "IMVO covenants: state of play"
    )
    page.click("button[name=language]")  # and back to Dutch
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "nl"


CONTRAST_JS = """
() => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.match(/\\d+/g).slice(0, 3).map(Number).map((v) => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  return [...document.querySelectorAll('td.cell')].map((td) => {
    const s = getComputedStyle(td);
    const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  });
}
"""


def test_heat_map_cells_keep_wcag_aa_contrast_and_lead_to_explanations(page, server):
    page.goto(server + "/risico/?alle=1")
    assert page.locator("h1").inner_text() == "Sectorrisicoanalyse: IMVO-risico per sector en thema"
    ratios = page.evaluate(CONTRAST_JS)
    assert len(ratios) == 88 * 11
    assert min(ratios) >= 4.5
    assert page.locator("img.heatmap-image").evaluate("img => img.naturalWidth") > 0
    page.click("th[scope=row] >> text=Vervaardiging van kleding")
    assert page.locator("h1").inner_text().startswith("Vervaardiging van kleding")
    assert page.locator("text=Wat de score bepaalt").count() == 1
    assert page.console_errors == []
