"""Signing in with TOTP in a real browser, with the keyboard, at 390 px and 1280 px, in Dutch
and English; axe-core finds nothing on the sign-in, set-up and second-step pages (also when
they show an error).

Needs Debian's chromium (skipped without it); the axe-core checks need AXE_CORE_JS (see
tests/web/browser.py). The accounts live in an installation of their own (a copy
of the shared one), served by its own ``imvo serve``."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from django_otp.oath import TOTP

from tests.commands.test_user_cli import installation_copy
from tests.web.browser import Axe, needs_chromium, served

PASSWORD = "Kleding-en-textiel-2016"


@pytest.fixture(scope="module")
def signin_env(cli_env, tmp_path_factory) -> dict[str, str]:
    return installation_copy(cli_env, tmp_path_factory.mktemp("var-sign-in"))


@pytest.fixture(scope="module")
def signin_server(signin_env) -> Iterator[str]:
    with served(signin_env) as base:
        yield base


def code_for(secret: str, *, steps_ahead: int = 0) -> str:
    text = secret.replace(" ", "")
    totp = TOTP(base64.b32decode(text + "=" * (-len(text) % 8)))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def create_editor(
    env: dict[str, str], username: str, *scope: str, role: str = "sector_editor"
) -> None:
    """``imvo user create`` with a role (default: sector editor of textile)."""
    scope = scope or ("--sector", "textile")
    result = subprocess.run(
        [sys.executable, "-m", "imvo.cli", "user", "create", username,
         "--email", f"{username}@example.org", "--role", role, *scope,
         "--password-stdin"],
        input=PASSWORD + "\n", capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def sign_in_by_keyboard(page, username: str, password: str) -> None:
    page.focus("#id_username")
    page.keyboard.press("Control+a")  # the page keeps what was typed after an error
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def enter_code(page, code: str) -> None:
    page.focus("#id_code")
    page.keyboard.press("Control+a")
    page.keyboard.type(code)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("width", [1280, 390])
def test_an_editor_sets_up_totp_and_signs_in_with_it(chromium, signin_server, signin_env, width):
    server = signin_server
    axe = Axe()
    for language in ("nl", "en"):
        username = f"browser-{language}-{width}"
        create_editor(signin_env, username)
        context = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        context.add_cookies([{"name": "django_language", "value": language, "url": server}])
        page = context.new_page()

        # the sign-in page, then a wrong password: the error summary, linked to the field
        page.goto(server + "/account/inloggen/")
        assert page.get_attribute("html", "lang") == language
        axe.check(page, f"{language} sign-in")
        sign_in_by_keyboard(page, username, "wrong")
        summary = page.locator("#error-summary")
        assert summary.get_attribute("role") == "alert"
        assert summary.locator('a[href="#id_username"]').count() == 1
        axe.check(page, f"{language} sign-in with an error")

        # the right password: set up the app (QR code and secret), a wrong code, the right one
        sign_in_by_keyboard(page, username, PASSWORD)
        assert page.url.endswith("/account/tweede-stap/instellen/")
        assert page.locator(".qr svg").is_visible()
        secret = page.locator("code.secret").inner_text()
        assert re.fullmatch(r"[A-Z2-7 ]+", secret)
        axe.check(page, f"{language} set-up")
        wrong = f"{(int(code_for(secret)) + 1) % 1_000_000:06d}"
        enter_code(page, wrong)
        assert page.locator("#error-summary").count() == 1
        axe.check(page, f"{language} set-up with an error")
        time.sleep(1.5)  # django-otp makes the next code wait a second after a wrong one
        enter_code(page, code_for(secret))
        assert page.url == server + "/redactie/", page.url

        # sign out (a button in the header; on a phone inside the menu) and in again with a code
        if width < 768:
            page.locator("button.menu-button").click()
        sign_out = "Uitloggen" if language == "nl" else "Sign out"
        with page.expect_navigation():
            page.get_by_role("button", name=sign_out).click()
        assert "/account/inloggen/" in page.url
        sign_in_by_keyboard(page, f"{username}@EXAMPLE.org", PASSWORD)  # the e-mail address
        assert page.url.endswith("/account/tweede-stap/")
        assert page.locator("#id_code").get_attribute("autocomplete") == "one-time-code"
        axe.check(page, f"{language} second step")
        enter_code(page, code_for(secret, steps_ahead=1))  # each code is accepted once
        assert page.url == server + "/redactie/", page.url
        context.close()
    axe.verdict()
