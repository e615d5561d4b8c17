"""The open downloads' exporters: plain data from the page selectors, as CSV and JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from imvo.core.audit import Actor
from imvo.core.moments import end_of_day
from imvo.programme.selectors import programme_changes
from imvo.reports.exporters import exporter, exporters
from imvo.reports.programme import filename_stem, to_csv
from imvo.risks.selectors import sra_division_page
from imvo.trajectories.selectors import overview_page, programme_page, trajectory_page

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2016, 12, 31)
LETTER = dt.date(2015, 7, 10)  # the Tussenrapportage
KNOWN = end_of_day(dt.date(2015, 7, 11))


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


@pytest.mark.parametrize("page", ["overview", "trajectory", "events", "changes", "division"])
def test_every_page_has_a_csv_and_a_json_exporter(page):
    assert exporter(f"{page}.csv").mimetype == "text/csv; charset=utf-8"
    assert exporter(f"{page}.json").mimetype.startswith("application/json")
    assert {e.identifier for e in exporters(page)} == {f"{page}.csv", f"{page}.json"}


def test_the_overview_csv_shows_textile_and_banking_signed_at_the_end_of_2016():
    page = overview_page(as_of=AS_OF, known_at=None)
    export = exporter("overview.csv").render(page, lang="nl", as_of=AS_OF, known_at=None)
    rows = _rows(export.content)
    phases = {r["slug"]: r["phase"] for r in rows if r["section"] == "trajectories"}
    assert phases["textile"] == "signed" and phases["banking"] == "signed"
    assert phases["gold"] != "signed"
    versions = [r for r in rows if r["section"] == "target_versions"]
    assert versions and all(r["achieved"].isdigit() for r in versions)
    assert {r["own_convention"] for r in versions} == {"true", "false"}  # every convention


def test_the_overview_json_has_iso_dates_and_names_its_source():
    page = overview_page(as_of=AS_OF, known_at=KNOWN)
    export = exporter("overview.json").render(page, lang="en", as_of=AS_OF, known_at=KNOWN)
    data = json.loads(export.content.decode("utf-8"))
    meta = data["meta"]
    assert meta["reference_date"] == "2016-12-31"
    assert meta["known_at"].startswith("2015-07-11T23:59:59")
    assert "own compilation of public government sources" in meta["source"]
    assert meta["licence"]
    phases = {t["slug"]: t["phase"] for t in data["tables"]["trajectories"]}
    assert phases["textile"] != "signed" and phases["banking"] != "signed"  # not known yet


def test_events_known_at_the_day_after_the_letter_hold_nothing_after_it():
    now = _rows(exporter("events.csv").render(programme_page(), lang="nl").content)
    then = _rows(exporter("events.csv").render(programme_page(known_at=KNOWN), lang="nl").content)
    assert len(then) < len(now)
    assert any(r["date"] > LETTER.isoformat() for r in now)
    held = [r for r in then if r["status"] == "held"]  # planned ones may lie ahead
    assert held and all(r["date"] <= LETTER.isoformat() for r in held)
    assert {"key", "date", "status", "kind", "title", "trajectories", "source"} <= set(then[0])


def test_the_trajectory_json_has_its_history_participations_events_and_agreements():
    page = trajectory_page(slug="textile", as_of=AS_OF, known_at=None)
    export = exporter("trajectory.json").render(page, lang="nl", as_of=AS_OF)
    data = json.loads(export.content)
    assert data["trajectory"]["phase"] == "signed"
    tables = data["tables"]
    assert {"phases", "participations", "events", "agreements"} == set(tables)
    signed = next(p for p in tables["phases"] if p["phase"] == "signed")
    assert signed["valid_from"] == "2016-07-04" and signed["source"]
    assert any(p["organisation"] == "Inretail" for p in tables["participations"])
    assert tables["events"] and tables["agreements"]
    sections = {r["section"] for r in _rows(exporter("trajectory.csv").render(page).content)}
    assert sections == set(tables)


def test_the_changes_exports_keep_the_period():
    found = programme_changes(since=dt.date(2015, 1, 1), until=dt.date(2015, 12, 31))
    data = json.loads(exporter("changes.json").render(found, lang="nl").content)
    assert (data["meta"]["since"], data["meta"]["until"]) == ("2015-01-01", "2015-12-31")
    rows = _rows(exporter("changes.csv").render(found, lang="nl").content)
    assert rows and all("2015-01-01" <= r["date"] <= "2015-12-31" for r in rows)
    assert any(r["kind"] == "phase" and r["trajectories"] == "textile" for r in rows)


def test_a_division_explanation_as_json_and_its_themes_as_csv():
    page = sra_division_page(nace="14", lang="en")
    data = json.loads(exporter("division.json").render(page, lang="en").content)
    assert data["explanation"]["nace"] == "14" and data["datasets"]
    assert "open data sets" in data["meta"]["source"]
    rows = _rows(exporter("division.csv").render(page, lang="en").content)
    assert [r["theme"] for r in rows] == [t["theme"] for t in data["tables"]["themes"]]
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)


def test_a_planted_formula_in_an_event_title_is_neutralised():
    from imvo.sources.models import Source
    from imvo.trajectories.models import Trajectory
    from imvo.trajectories.services import event_create

    event_create(
        data={"key": "planted-formula", "status": "held", "kind": "meeting",
              "title_nl": '=HYPERLINK("http://evil.example")', "date": dt.date(2015, 3, 1),
              "source": Source.objects.first(),
              "trajectories": [Trajectory.objects.get(slug="textile")]},
        actor=Actor("test: a formula in a title"),
    )  # fmt: skip
    content = exporter("events.csv").render(programme_page(), lang="nl").content.decode()
    cells = [cell for row in csv.reader(io.StringIO(content)) for cell in row]
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_one_table_has_no_section_column_and_several_do():
    one = to_csv({"tables": {"a": [{"x": 1, "y": True}]}})
    assert one.splitlines() == ["x,y", "1,true"]
    two = to_csv({"tables": {"a": [{"x": 1}], "b": [{"z": "-1"}]}})
    assert two.splitlines() == ["section,x,z", "a,1,", "b,,'-1"]


def test_file_names_name_the_page_and_its_moments():
    assert filename_stem("overview", as_of=AS_OF, known_at=KNOWN) == (
        "overview-2016-12-31-known-2015-07-11"
    )
    assert (
        filename_stem("trajectory", item="textile", as_of=AS_OF) == "trajectory-textile-2016-12-31"
    )
    assert exporter("events.json").render(programme_page(), stem="events").filename == "events.json"
