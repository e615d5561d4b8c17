"""Open downloads: CSV and JSON of each public page, as a visitor gets them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

pytestmark = pytest.mark.django_db

DOWNLOADS = [
    "/download/overview.{fmt}?peildatum=2016-12-31",
    "/download/trajectory/textile.{fmt}?peildatum=2016-12-31",
    "/download/events.{fmt}",
    "/download/changes.{fmt}?sinds=2015-01-01&tot=2015-12-31",
    "/download/sra.{fmt}",
    "/download/division/14.{fmt}",
]
TYPES = {"csv": "text/csv", "json": "application/json"}


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("url", DOWNLOADS)
def test_every_download_is_an_attachment_that_parses(client, url, fmt):
    response = client.get(url.format(fmt=fmt))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(TYPES[fmt])
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and disposition.endswith(f'.{fmt}"')
    if fmt == "csv":
        assert _csv(response)
    else:
        assert json.loads(response.content.decode("utf-8"))


def test_the_file_name_is_the_exporters(client):
    response = client.get("/download/overview.csv?peildatum=2016-12-31&bekend_op=2015-07-11")
    assert response["Content-Disposition"] == (
        'attachment; filename="overview-2016-12-31-known-2015-07-11.csv"'
    )
    response = client.get("/download/trajectory/textile.json?peildatum=2016-12-31")
    assert 'filename="trajectory-textile-2016-12-31.json"' in response["Content-Disposition"]
    assert 'filename="sra.csv"' in client.get("/download/sra.csv")["Content-Disposition"]


def test_textile_and_banking_signed_at_the_end_of_2016(client):
    rows = _csv(client.get("/download/overview.csv?peildatum=2016-12-31"))
    signed = {r["slug"] for r in rows if r["section"] == "trajectories" and r["phase"] == "signed"}
    assert {"textile", "banking"} <= signed


def test_known_at_the_day_after_the_letter_nothing_after_it_is_known(client):
    url = "/download/overview.json?peildatum=2016-12-31&bekend_op=2015-07-11"
    data = json.loads(client.get(url).content)
    phases = {t["slug"]: t["phase"] for t in data["tables"]["trajectories"]}
    assert phases["textile"] == "negotiation" and phases["banking"] == "negotiation"
    assert data["meta"]["reference_date"] == "2016-12-31"
    assert data["meta"]["known_at"].startswith("2015-07-11")
    events = _csv(client.get("/download/events.csv?bekend_op=2015-07-11"))
    held = [r for r in events if r["status"] == "held"]
    assert held and all(r["date"] <= "2015-07-10" for r in held)
    url = "/download/trajectory/textile.json?peildatum=2016-12-31&bekend_op=2015-07-11"
    textile = json.loads(client.get(url).content)
    assert textile["trajectory"]["phase"] == "negotiation"
    held = [e for e in textile["tables"]["events"] if e["status"] == "held"]
    assert held and all(e["date"] <= "2015-07-10" for e in held)
    assert not any(a["signed"] > "2015-07-10" for a in textile["tables"]["agreements"])
    # the phase history is the page's full record: later records are listed with their
    # recording time, as the page lists them
    assert any(p["recorded_at"] > "2015-07-12" for p in textile["tables"]["phases"])


def test_the_changes_download_reads_sinds_and_tot_as_the_page_does(client):
    data = json.loads(client.get("/download/changes.json?sinds=2015-01-01&tot=2015-06-30").content)
    assert (data["meta"]["since"], data["meta"]["until"]) == ("2015-01-01", "2015-06-30")
    assert all(c["date"] <= "2015-06-30" for c in data["tables"]["changes"])
    assert client.get("/download/changes.csv?sinds=2016-01-01&tot=2015-01-01").status_code == 400


def test_a_planted_formula_is_neutralised_in_the_csv(client):
    from imvo.core.audit import Actor
    from imvo.sources.models import Source
    from imvo.trajectories.models import Trajectory
    from imvo.trajectories.services import event_create

    event_create(
        data={"key": "planted-formula", "status": "held", "kind": "meeting",
              "title_nl": "=1+2", "date": dt.date(2015, 3, 1),
              "source": Source.objects.first(),
              "trajectories": [Trajectory.objects.get(slug="textile")]},
        actor=Actor("test: a formula in a title"),
    )  # fmt: skip
    for url in ("/download/events.csv", "/download/trajectory/textile.csv"):
        cells = [
            c for row in csv.reader(io.StringIO(client.get(url).content.decode())) for c in row
        ]
        assert "'=1+2" in cells, url
        assert not any(c.startswith(("=", "+", "@")) for c in cells), url
    titles = [
        e["title"]
        for e in json.loads(client.get("/download/events.json").content)["tables"]["events"]
    ]
    assert "=1+2" in titles  # JSON keeps the text as it is


@pytest.mark.parametrize(
    "url",
    [
        "/download/nope.csv",
        "/download/overview.xlsx",
        "/download/overview/textile.csv",
        "/download/trajectory.csv",
        "/download/trajectory/nope.csv",
        "/download/division/00.json",
        "/download/sra.svg",
    ],
)
def test_an_unknown_page_format_or_item_is_a_404(client, url):
    assert client.get(url).status_code == 404


def test_a_bad_reference_date_is_a_400_with_one_line(client):
    response = client.get("/download/overview.csv?peildatum=10-07-2015")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "10-07-2015" in text and text.count("\n") == 1
    assert client.get("/download/events.json?bekend_op=gisteren").status_code == 400


def test_head_works_and_post_does_not(client):
    response = client.head("/download/overview.csv?peildatum=2016-12-31")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert client.post("/download/overview.csv").status_code == 405


def test_the_english_download_has_english_labels(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    data = json.loads(client.get("/download/overview.json?peildatum=2016-12-31").content)
    assert data["meta"]["language"] == "en"
    assert "Banking sector" in {t["name"] for t in data["tables"]["trajectories"]}


def test_the_partial_links_both_formats_with_the_query_string():
    request = RequestFactory().get("/", {"peildatum": "2016-12-31", "bekend_op": "2015-07-11"})
    html = render_to_string("public/_downloads.html", {"page": "overview"}, request=request)
    assert '/download/overview.csv?peildatum=2016-12-31&amp;bekend_op=2015-07-11"' in html
    assert '/download/overview.json?peildatum=2016-12-31&amp;bekend_op=2015-07-11"' in html
    request = RequestFactory().get("/trajecten/textile/")
    context = {"page": "trajectory", "item": "textile"}
    html = render_to_string("public/_downloads.html", context, request=request)
    assert 'href="/download/trajectory/textile.csv"' in html
    assert 'href="/download/trajectory/textile.json"' in html
