"""The progress letters on the site (issue 12): the public sees the letters of the days a letter
to parliament went out, composed from what was known then; staff draft any other day."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model

from tests.web.browser import Axe, needs_chromium, served


@pytest.mark.django_db
def test_the_list_names_the_letters_to_parliament(client) -> None:
    response = client.get("/voortgangsbrieven/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/voortgangsbrieven/2015-07-10/"' in html
    assert 'href="/voortgangsbrieven/2016-06-17/"' in html
    assert "/voortgangsbrieven/2014-06-24/" not in html  # nothing of the record known yet


@pytest.mark.django_db
def test_a_letter_page_shows_the_letter_with_downloads(client) -> None:
    response = client.get("/voortgangsbrieven/2015-07-10/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="voortgang">2. Voortgang</h2>' in html
    assert "zoals toegezegd tijdens het Algemeen Overleg IMVO op 25 februari 2015" in html
    for fmt in ("pdf", "docx", "html", "md", "json"):
        assert f'href="/voortgangsbrieven/2015-07-10.{fmt}"' in html
    assert html.count("<h1") == 1


@pytest.mark.django_db
def test_the_english_page_is_the_english_letter(client) -> None:
    client.cookies["django_language"] = "en"
    html = client.get("/voortgangsbrieven/2015-07-10/").content.decode()
    assert "2. Progress" in html and "Dear Madam Speaker," in html
    assert "Geachte Voorzitter" not in html


@pytest.mark.django_db
def test_downloads_are_the_exports(client) -> None:
    data = json.loads(client.get("/voortgangsbrieven/2015-07-10.json").content)
    assert data["as_of"] == "2015-07-10"
    assert data["groups"][0] == {
        "phase": "negotiation",
        "label": "in onderhandeling",
        "trajectories": ["banking", "textile"],
    }
    pdf = client.get("/voortgangsbrieven/2015-07-10.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx = client.get("/voortgangsbrieven/2015-07-10.docx")
    assert docx.content.startswith(b"PK")
    assert 'filename="voortgang-imvo-2015-07-10-nl.docx"' in docx["Content-Disposition"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/voortgangsbrieven/2015-07-11/", "/voortgangsbrieven/2015-13-01/",
     "/voortgangsbrieven/2015-07-10.odt", "/voortgangsbrieven/2014-06-24.pdf"],
)  # fmt: skip
def test_other_days_and_formats_are_not_published(client, path) -> None:
    assert client.get(path).status_code == 404


def _staff(verified_login, client, **extra):
    user = get_user_model().objects.create_user("beleid", password="x" * 16, **extra)
    return verified_login(client, user)


@pytest.mark.django_db
def test_staff_draft_any_day_as_a_download(client, verified_login) -> None:
    _staff(verified_login, client, is_staff=True)
    form = client.get("/redactie/voortgangsbrief/")
    assert form.status_code == 200
    assert 'name="as_of"' in form.content.decode()
    response = client.get(
        "/redactie/voortgangsbrief/",
        {"maken": "1", "as_of": "2018-12-31", "format": "md", "lang": "nl"},
    )
    assert response.status_code == 200
    assert 'filename="voortgang-imvo-2018-12-31-nl.md"' in response["Content-Disposition"]
    assert "## 2. Voortgang" in response.content.decode()


@pytest.mark.django_db
def test_bad_input_in_the_form_is_a_message_not_an_error(client, verified_login) -> None:
    _staff(verified_login, client, is_staff=True)
    response = client.get(
        "/redactie/voortgangsbrief/",
        {"maken": "1", "as_of": "2015-07-10", "since": "2015-08-01", "format": "pdf", "lang": "nl"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "2015-08-01 is na de peildatum 2015-07-10" in html or "after the reference" in html
    assert 'href="#id_since"' in html
    response = client.get("/redactie/voortgangsbrief/", {"maken": "1", "as_of": "2013-01-01",
                                                       "format": "pdf", "lang": "nl"})  # fmt: skip
    assert response.status_code == 400
    assert 'href="#id_as_of"' in response.content.decode()


@pytest.mark.django_db
def test_editors_who_are_not_staff_get_403(client, verified_login) -> None:
    _staff(verified_login, client)
    assert client.get("/redactie/voortgangsbrief/").status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get("/redactie/voortgangsbrief/")
    assert response.status_code == 302 and "/account/" in response["Location"]


@pytest.fixture(scope="module")
def server(cli_env: dict[str, str]) -> Iterator[str]:
    with served(cli_env) as base:
        yield base


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("width", [390, 1280])
def test_the_letter_fits_the_screen_and_passes_axe(chromium, server, width) -> None:
    axe = Axe()
    for language in ("nl", "en"):
        context = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        context.add_cookies([{"name": "django_language", "value": language, "url": server}])
        page = context.new_page()
        for path in ("/voortgangsbrieven/", "/voortgangsbrieven/2015-07-10/",
                     "/voortgangsbrieven/2017-09-28/", "/voortgangsbrieven/2017-09-28.html"):  # fmt: skip
            response = page.goto(server + path)
            assert response.status == 200, path
            axe.check(page, f"{language} {width} {path}")
        context.close()
    axe.verdict()


def _publisher(verified_login, client):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("uitgever", password="x" * 16, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_publishedletter"))
    return verified_login(client, user)


PUBLISH = {
    "publiceren-as_of": "2015-07-10",
    "publiceren-known_at": "2015-07-10",
    "publiceren-lang": "nl",
    "publiceren-reason": "Verzonden als Kamerstuk 26 485, nr. 212",
}


@pytest.mark.django_db
def test_a_published_letter_is_kept_exactly_and_shown_to_the_public(client, verified_login):
    from imvo.core.audit import Actor
    from imvo.parliament.models import PublishedLetter
    from imvo.trajectories.models import Trajectory
    from imvo.trajectories.services import trajectory_update

    _publisher(verified_login, client)
    form = client.get("/redactie/voortgangsbrief/").content.decode()
    assert "publiceren-reason" in form
    response = client.post("/redactie/voortgangsbrief/", PUBLISH)
    assert response.status_code == 302
    letter = PublishedLetter.objects.get()
    assert response["Location"] == f"/voortgangsbrieven/gepubliceerd/{letter.pk}/"
    assert letter.published_by.username == "uitgever"
    assert letter.history.get().history_change_reason == "Verzonden als Kamerstuk 26 485, nr. 212"
    pdf = bytes(letter.pdf)
    # a later correction of the record does not change what was published
    textile = Trajectory.objects.get(slug="textile")
    trajectory_update(trajectory=textile, data={"name_nl": "Kleding en textiel"},
                      actor=Actor(reason="test"))  # fmt: skip
    client.logout()
    page = client.get(f"/voortgangsbrieven/gepubliceerd/{letter.pk}/").content.decode()
    assert "Textiel en kleding" in page and "Kleding en textiel" not in page
    assert client.get(f"/voortgangsbrieven/gepubliceerd/{letter.pk}.pdf").content == pdf
    listing = client.get("/voortgangsbrieven/").content.decode()
    assert f'href="/voortgangsbrieven/gepubliceerd/{letter.pk}/"' in listing
    assert client.get(f"/voortgangsbrieven/gepubliceerd/{letter.pk}.odt").status_code == 404
    assert client.get("/voortgangsbrieven/gepubliceerd/999/").status_code == 404


@pytest.mark.django_db
def test_publishing_needs_the_right_and_a_reason(client, verified_login):
    from imvo.parliament.models import PublishedLetter

    _staff(verified_login, client, is_staff=True)
    assert "publiceren-reason" not in client.get("/redactie/voortgangsbrief/").content.decode()
    assert client.post("/redactie/voortgangsbrief/", PUBLISH).status_code == 403
    client.logout()
    _publisher(verified_login, client)
    response = client.post("/redactie/voortgangsbrief/", {**PUBLISH, "publiceren-reason": ""})
    assert response.status_code == 400
    assert 'href="#id_publiceren-reason"' in response.content.decode()
    response = client.post(
        "/redactie/voortgangsbrief/", {**PUBLISH, "publiceren-as_of": "2013-01-01"}
    )
    assert response.status_code == 400
    assert 'href="#id_publiceren-as_of"' in response.content.decode()
    assert not PublishedLetter.objects.exists()
