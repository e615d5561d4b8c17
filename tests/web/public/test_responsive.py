"""Every public page on a phone: no sideways page scroll, a working menu button and no axe-core violations.

The browser tests need Debian's chromium and axe-core (see tests/web/browser.py). The /over/
pages are checked without a browser too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.browser import AXE_MISSING, AXE_RUN, axe_script, needs_chromium, served

browser = needs_chromium

PUBLIC_PAGES = [
    "/?peildatum=2019-12-31",
    "/?peildatum=2016-06-17",  # with a forecast
    "/trajecten/textile/",
    "/sectoren/textile/",
    "/programma/",
    "/wijzigingen/",
    "/organisaties/",
    "/bronnen/",
    "/risico/",
    "/risico/nace/14/",
    "/over/toegankelijkheid/",
    "/over/privacy/",
    "/over/contact/",
    "/methode/",
    "/methode/sectorrisicoanalyse/",
    "/methode/toets-convenantteksten/",
    "/methode/ser-kernelementen/",
]
LANGUAGES = ["nl", "en"]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(cli_env: dict[str, str]) -> Iterator[str]:
    with served(cli_env) as base:
        yield base


@pytest.fixture(scope="module", params=LANGUAGES)
def phone(request, chromium, server):
    """A phone-sized page whose visitor chose the language (the language cookie)."""
    context = chromium.new_context(viewport=PHONE)
    context.add_cookies([{"name": "django_language", "value": request.param, "url": server}])
    page = context.new_page()
    page.language = request.param
    yield page
    context.close()


@pytest.mark.browser
@browser
def test_no_public_page_scrolls_sideways_at_phone_width(phone, server):
    too_wide = {}
    for path in PUBLIC_PAGES:
        response = phone.goto(server + path)
        assert response.status == 200, path
        assert phone.get_attribute("html", "lang") == phone.language
        width, viewport = phone.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if width > viewport:
            too_wide[path] = width
    assert too_wide == {}


@pytest.mark.browser
@browser
def test_the_menu_button_toggles_the_navigation(phone, server):
    phone.goto(server + "/?peildatum=2019-12-31")
    button = phone.locator("button.menu-button")
    nav = phone.locator("#site-nav")
    assert button.get_attribute("aria-controls") == "site-nav"
    assert button.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    phone.keyboard.press("Tab")  # the skip link stays first
    assert phone.evaluate("document.activeElement.className") == "skip-link"
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert nav.is_visible()
    sources = "Bronnen" if phone.language == "nl" else "Sources"
    assert nav.get_by_role("link", name=sources).is_visible()
    phone.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    assert phone.locator("form.lang button[name=language]").is_visible()  # language switch stays


@pytest.mark.browser
@browser
def test_without_javascript_the_navigation_stays_visible(chromium, server):
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/programma/")
    assert page.locator("#site-nav").is_visible()
    assert not page.locator("button.menu-button").is_visible()
    context.close()


@pytest.mark.browser
@browser
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_core_finds_no_violations(chromium, server, width):
    script = axe_script()
    if script is None:
        pytest.skip(AXE_MISSING)
    source = script.read_text(encoding="utf-8")
    found = {}
    for language in LANGUAGES:
        # axe-core goes in as an inline script, which the site's Content-Security-Policy blocks.
        context = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        context.add_cookies([{"name": "django_language", "value": language, "url": server}])
        page = context.new_page()
        for path in PUBLIC_PAGES:
            page.goto(server + path)
            page.add_script_tag(content=source)
            violations = page.evaluate(AXE_RUN)
            if violations:
                found[f"{language} {path}"] = violations
        context.close()
    assert found == {}


# The /over/ pages without a browser: plain GET and HEAD, Dutch by default, English on request.

INFO_PAGES = [
    ("/over/toegankelijkheid/", "nl", "Toegankelijkheidsverklaring", "WCAG 2.1"),
    ("/over/privacy/", "en", "Privacy", "No analytics, no tracking"),
    ("/over/contact/", "nl", "Contact en over deze site", "EUPL-1.2"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "language", "heading", "text"), INFO_PAGES)
def test_about_pages_answer_get_and_head(client, path, language, heading, text):
    query = "?lang=en" if language == "en" else ""
    response = client.get(path + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert text in html
    head = client.head(path + query)
    assert head.status_code == 200
    assert client.post(path).status_code == 405


@pytest.mark.django_db
def test_every_page_footer_links_the_about_pages(client):
    html = client.get("/programma/").content.decode()
    for href in ("/over/toegankelijkheid/", "/over/privacy/", "/over/contact/", "/bronnen/"):
        assert f'href="{href}"' in html
    assert 'aria-controls="site-nav"' in html and 'aria-expanded="false"' in html


@pytest.mark.django_db
def test_contact_page_names_the_configured_address(client, settings):
    settings.IMVO_CONTACT_EMAIL = "imvo@example.org"
    html = client.get("/over/contact/").content.decode()
    assert 'href="mailto:imvo@example.org"' in html
