"""The dashboard pages as a visitor gets them."""

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import login_verified

pytestmark = pytest.mark.django_db


def test_overview_is_dutch_by_default_and_groups_by_phase(client):
    response = client.get("/?peildatum=2015-07-10")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "IMVO-convenanten: stand van zaken" in html
    assert "Onderhandeling" in html and "Bancaire sector" in html
    assert "0</strong> van 10 convenanten ondertekend" in html
    assert "telt niet mee: geen IMVO-convenant" in html


def test_overview_in_english_after_switching_language(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/?peildatum=2015-07-10").content.decode()
    assert '<html lang="en">' in html
    assert "IMVO covenants: state of play" in html
    assert "Banking sector" in html


def test_reference_date_changes_the_overview(client):
    html = client.get("/?peildatum=2014-01-01").content.decode()
    assert "20 trajecten op 1 januari 2014" in html
    assert "Onderhandeling" not in html


def test_a_bad_reference_date_is_named_not_a_traceback(client):
    response = client.get("/?peildatum=10-07-2015")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Peildatum" in html and "10-07-2015" in html
    assert 'role="alert"' in html


def test_trajectory_page_shows_timeline_roles_events_initiatives_and_sources(client):
    html = client.get("/trajecten/textile/?peildatum=2015-07-10").content.decode()
    assert "Textiel en kleding" in html
    assert "september 2014" in html and "18 mei 2015" in html  # the phase timeline
    assert "Inretail" in html and "initiatiefnemer" in html and "penvoerder" in html
    assert "SER-workshops" in html  # an event
    assert "Plan van aanpak Verduurzaming" in html  # an initiative
    assert "Minbuza 2015.337860" in html  # the source


def test_unknown_trajectory_is_a_404_page(client):
    response = client.get("/trajecten/nope/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_sources_and_organisations_pages(client):
    assert "Kamerstuk 26 485, nr. 197" in client.get("/bronnen/").content.decode()
    html = client.get("/organisaties/").content.decode()
    assert "Nederlandse Vereniging van Banken" in html and "/trajecten/banking/" in html


def test_health_reports_the_database(client):
    response = client.get("/gezondheid/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_admin_lists_every_record_type(client):
    user = get_user_model().objects.create_superuser("admin", "a@example.org", "pass-word-1!")
    login_verified(client, user)  # the admin needs the second factor
    for path in [
        "trajectories/trajectory", "trajectories/phaserecord", "trajectories/event",
        "trajectories/governmentaction", "sectors/sector", "organisations/organisation",
        "initiatives/initiative", "agreements/agreement", "agreements/target",
        "sources/source", "risks/theme",
    ]:  # fmt: skip
        assert client.get(f"/admin/{path}/").status_code == 200, path


def test_dutch_even_when_the_browser_prefers_english(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nl">' in html
    assert '<html lang="en">' in client.get("/?lang=en").content.decode()


def test_programme_page_shows_government_roles_themes_and_all_events(client):
    html = client.get("/programma/").content.decode()
    assert "Rol van de overheid" in html
    assert "Partijen aan een rondetafel brengen" in html  # convening
    assert "OESO-ministersbijeenkomst" in html  # international
    assert "Landrechten" in html and "FNV" in html  # cross-sector themes and advisors
    assert html.count("<tr>") >= 20 + 5  # every event and theme has a row
    assert "Nationale rondetafel over goud" in html and "/trajecten/gold/" in html


@pytest.mark.django_db
def test_a_language_asked_in_the_address_holds_on_the_next_click(client):
    first = client.get("/?lang=en")
    assert '<html lang="en">' in first.content.decode()
    assert first.cookies["django_language"].value == "en"
    # the menu links carry no ?lang=: the cookie keeps the page in English
    assert '<html lang="en">' in client.get("/programma/").content.decode()
    assert '<html lang="nl">' in client.get("/programma/?lang=nl").content.decode()
    assert '<html lang="nl">' in client.get("/bronnen/").content.decode()
