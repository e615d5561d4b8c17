"""The done-when flow of issue #10 in a real browser (headless Chromium), with TOTP:

- a sector editor for textile signs in with TOTP and records "negotiation → signed" on
  4 July 2016 with a new source; the overview still shows negotiation; the SER secretariat
  approves; the overview and ``imvo status`` show signed; ``imvo audit`` shows the proposal
  and the approval with who, when and why;
- the same editor is refused banking's form (403); two sessions editing one record: the second
  gets the stale message and keeps what was typed, nothing is lost; eleven wrong passwords lock
  the account;
- axe-core finds nothing on any editors' page (also with an error summary, the stale message
  and the 403 page), at 1280 px and 390 px, and no page scrolls sideways.

Its own installation (a copy of the shared one, textile's signing taken back as in
``tests/proposals/conftest.py``), served by its own ``imvo serve``.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.commands.test_user_cli import installation_copy
from tests.web.browser import Axe, needs_chromium, served
from tests.web.editors.test_sign_in_browser import (
    PASSWORD,
    code_for,
    create_editor,
    enter_code,
    sign_in_by_keyboard,
)

pytestmark = [pytest.mark.browser, needs_chromium]

#: Textile as on 1 July 2016: in negotiation, its signing (and end) not yet recorded.
UNSIGN = """
from django.utils import timezone
from imvo.agreements.models import Agreement
from imvo.trajectories.models import PhaseRecord
now = timezone.now()
PhaseRecord.objects.current().filter(
    trajectory__slug="textile", phase__in=["signed", "ended"]).update(superseded_at=now)
Agreement.objects.current().filter(trajectory__slug="textile").update(superseded_at=now)
"""


def imvo(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "imvo.cli", *args],
        capture_output=True, text=True, env=env, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def flow_env(cli_env, tmp_path_factory) -> dict[str, str]:
    env = installation_copy(cli_env, tmp_path_factory.mktemp("var-editors"))
    imvo(env, "shell", "-c", UNSIGN)
    # one account per sign-in: a TOTP code is accepted once, so each signs in only once
    for username in ("redacteur-textiel", "eerste-redacteur", "formulieren-1280",
                     "formulieren-390"):  # fmt: skip
        create_editor(env, username)
    create_editor(env, "tweede-redacteur", "--trajectory", "textile")
    for username in ("ser-secretariaat", "ser-tweede"):
        create_editor(env, username, "--organisation", "ser", role="ser_secretariat")
    create_editor(env, "slot-proef")
    return env


@pytest.fixture(scope="module")
def server(flow_env) -> Iterator[str]:
    with served(flow_env) as base:
        yield base


class Session:
    """One person in their own browser context, signed in with password and TOTP."""

    def __init__(self, chromium, server: str, username: str, *, width: int = 1280) -> None:
        self.server = server
        self.context = chromium.new_context(
            viewport={"width": width, "height": 900}, bypass_csp=True
        )
        self.context.add_cookies([{"name": "django_language", "value": "nl", "url": server}])
        self.page = self.context.new_page()
        self.page.goto(server + "/account/inloggen/")
        sign_in_by_keyboard(self.page, username, PASSWORD)
        assert self.page.url.endswith("/account/tweede-stap/instellen/"), self.page.url
        secret = self.page.locator("code.secret").inner_text()
        enter_code(self.page, code_for(secret))
        assert self.page.url == server + "/redactie/", self.page.url

    def goto(self, path: str) -> int:
        return self.page.goto(self.server + path).status

    def submit(self) -> None:
        with self.page.expect_navigation():
            self.page.locator("form.editor-form button[type=submit]").first.click()

    def close(self) -> None:
        self.context.close()


def phase_on_board(page, server: str, name: str) -> str:
    """The phase group of the public overview that lists ``name``."""
    page.goto(server + "/")
    groups = page.locator("section.phase")
    found = [
        groups.nth(i).get_attribute("class").split("phase-")[-1]
        for i in range(groups.count())
        if name in groups.nth(i).inner_text()
    ]
    assert len(found) == 1, found
    return found[0]


def status_of(env: dict[str, str], slug: str) -> str:
    rows = csv.DictReader(io.StringIO(imvo(env, "status", "--format", "csv")))
    return {row["trajectory"]: row["phase"] for row in rows}[slug]


def fill_signing(page) -> None:
    page.select_option("#id_phase", "signed")
    page.fill("#id_valid_from", "2016-07-04")
    page.get_by_label("een nieuwe bron").check()
    page.fill("#id_new_source_title", "Convenant Duurzame Kleding en Textiel ondertekend")
    page.fill("#id_new_source_reference", "Kamerstuk 26 485, nr. 222")
    page.fill("#id_new_source_date", "2016-07-05")
    page.select_option("#id_new_source_kind", "letter_to_parliament")
    page.fill("#id_new_source_url", "https://www.tweedekamer.nl/")
    page.fill("#id_agreement_title_nl", "Convenant Duurzame Kleding en Textiel")
    for party in ("Inretail", "Modint", "VGT", "FNV"):
        page.get_by_role("checkbox", name=party, exact=True).check()


def test_a_textile_signing_proposed_in_the_browser_is_public_after_the_ser_approves(
    chromium, server, flow_env
):
    axe = Axe()
    public = chromium.new_context(viewport={"width": 1280, "height": 900})
    overview = public.new_page()
    assert phase_on_board(overview, server, "Textiel en kleding") == "negotiation"

    editor = Session(chromium, server, "redacteur-textiel")
    page = editor.page
    axe.check(page, "home")
    assert page.get_by_role("link", name="Mijn trajecten").first.is_visible()  # in the header
    editor.goto("/redactie/trajecten/textile/fase/")
    axe.check(page, "phase change")
    fill_signing(page)
    editor.submit()  # without a reason: the error summary, linked to the field
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert summary.locator('a[href="#id_reason"]').count() == 1
    assert page.input_value("#id_new_source_reference") == "Kamerstuk 26 485, nr. 222"
    axe.check(page, "phase change with an error")
    page.fill("#id_reason", "Convenant op 4 juli 2016 ondertekend")
    editor.submit()
    assert re.search(r"/redactie/voorstellen/\d+/$", page.url), page.url
    axe.check(page, "own proposal")

    # pending: the public overview and `imvo status` still say negotiation
    assert phase_on_board(overview, server, "Textiel en kleding") == "negotiation"
    assert status_of(flow_env, "textile") == "negotiation"

    ser = Session(chromium, server, "ser-secretariaat")
    axe.check(ser.page, "home with a proposal to approve")
    with ser.page.expect_navigation():
        ser.page.get_by_role("link", name=re.compile("Textiel en kleding")).first.click()
    axe.check(ser.page, "proposal to decide on")
    ser.page.fill("#id_decision_reason", "Gecontroleerd met het Kamerstuk")
    with ser.page.expect_navigation():
        ser.page.get_by_role("button", name="Goedkeuren").click()
    axe.check(ser.page, "approved proposal")
    editor.goto("/redactie/voorstellen/")
    axe.check(page, "proposals")

    # approved: the overview and `imvo status` show signed; the audit trail has both steps
    assert phase_on_board(overview, server, "Textiel en kleding") == "signed"
    assert status_of(flow_env, "textile") == "signed"
    audit = list(
        csv.DictReader(io.StringIO(imvo(flow_env, "audit", "--format", "csv", "--limit", "80")))
    )
    by = {(row["who"], row["reason"]) for row in audit}
    assert ("redacteur-textiel", "Convenant op 4 juli 2016 ondertekend") in by
    assert ("ser-secretariaat", "Gecontroleerd met het Kamerstuk") in by
    assert all(row["when"] for row in audit)

    # the same editor is refused banking's form, on an accessible page
    assert editor.goto("/redactie/trajecten/banking/fase/") == 403
    assert "Geen toegang" in page.locator("h1").inner_text()
    axe.check(page, "403")
    for session in (editor, ser):
        session.close()
    public.close()
    axe.verdict()


def test_two_sessions_on_one_record_the_second_gets_the_stale_message(chromium, server):
    axe = Axe()
    first = Session(chromium, server, "eerste-redacteur")
    second = Session(chromium, server, "tweede-redacteur", width=390)
    first.goto("/redactie/trajecten/textile/")
    axe.check(first.page, "trajectory records")
    correct = first.page.locator('a[href*="/fasen/"][href$="/correctie/"]').first
    path = correct.get_attribute("href")
    for session in (first, second):
        session.goto(path)
    axe.check(second.page, "phase correction (390 px)")
    first.page.fill("#id_date_text", "half mei 2015")
    first.page.fill("#id_reason", "Datum volgens het verslag")
    first.submit()
    assert re.search(r"/redactie/voorstellen/\d+/$", first.page.url), first.page.url
    ser = Session(chromium, server, "ser-tweede")
    ser.goto(first.page.url.removeprefix(server))
    ser.page.fill("#id_decision_reason", "Klopt met het verslag")
    with ser.page.expect_navigation():
        ser.page.get_by_role("button", name="Goedkeuren").click()

    # the second session still shows the form as it was before the approved correction
    second.page.fill("#id_date_text", "eind mei 2015")
    second.page.fill("#id_reason", "Datum volgens de agenda")
    second.submit()
    text = second.page.locator("main").inner_text()
    assert "Wat veranderde na de versie die u zag" in text
    assert second.page.input_value("#id_date_text") == "eind mei 2015"  # kept, not lost
    axe.check(second.page, "stale message (390 px)")
    assert "half mei 2015" in text  # what changed meanwhile is shown
    # the approved correction stands; the second person opens the current version and proposes
    with second.page.expect_navigation():
        second.page.get_by_role("link", name="Open de huidige versie van het record").click()
    assert second.page.input_value("#id_date_text") == "half mei 2015"
    second.page.fill("#id_date_text", "eind mei 2015")
    second.page.fill("#id_reason", "Datum volgens de agenda")
    second.submit()
    assert re.search(r"/redactie/voorstellen/\d+/$", second.page.url), second.page.url
    for session in (first, second, ser):
        session.close()
    axe.verdict()


@pytest.mark.parametrize("width", [1280, 390])
def test_every_editors_form_passes_axe_core(chromium, server, width):
    axe = Axe()
    editor = Session(chromium, server, f"formulieren-{width}", width=width)
    page = editor.page
    editor.goto("/redactie/trajecten/textile/")
    links = page.locator("main a[href^='/redactie/trajecten/textile/']")
    paths = sorted(
        {links.nth(i).get_attribute("href") for i in range(links.count())}
        | {"/redactie/trajecten/textile/bijeenkomst/", "/redactie/trajecten/textile/deelname/"}
    )
    kinds = {re.sub(r"/\d+/", "/N/", p) for p in paths}
    assert {
        "/redactie/trajecten/textile/fase/",
        "/redactie/trajecten/textile/voortgang/",
        "/redactie/trajecten/textile/fasen/N/correctie/",
        "/redactie/trajecten/textile/deelnames/N/einde/",
    } <= kinds, kinds
    seen = set()
    for path in paths:
        kind = re.sub(r"/\d+/", "/N/", path)
        if kind in seen:
            continue
        seen.add(kind)
        assert editor.goto(path) == 200, path
        axe.check(page, f"{kind} ({width} px)")
        if page.locator("#id_reason").count():
            editor.submit()  # nothing filled in: the error summary
            assert page.locator("#error-summary").count() == 1, path
            axe.check(page, f"{kind} with errors ({width} px)")
    editor.close()
    axe.verdict()


def test_eleven_wrong_passwords_lock_the_account(chromium, server):
    axe = Axe()
    context = chromium.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.goto(server + "/account/inloggen/")
    for _ in range(11):
        sign_in_by_keyboard(page, "slot-proef", "verkeerd-wachtwoord")
    assert page.locator("h1").inner_text() == "Account geblokkeerd"
    axe.check(page, "locked out")
    page.goto(server + "/account/inloggen/")
    sign_in_by_keyboard(page, "slot-proef", PASSWORD)  # the right password is refused too
    assert "/account/tweede-stap/" not in page.url
    assert "/redactie/" not in page.url
    context.close()
    axe.verdict()
