"""The CSV of ``imvo audit``, ``imvo status`` and ``imvo changes`` is safe in a spreadsheet,
and ``imvo audit`` shows local time with its zone and related records by name."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from imvo.core.audit import Actor, audited_save
from imvo.organisations.models import Organisation
from imvo.sources.models import Source
from imvo.trajectories.models import Trajectory
from imvo.trajectories.services import event_create, trajectory_create, trajectory_update

FORMULA = '=HYPERLINK("x")'


def command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def csv_rows(*args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(command(*args, "--format", "csv"))))


@pytest.fixture
def officer(db):
    return get_user_model().objects.create(username="csv-officer")


@pytest.mark.django_db
def test_audit_csv_neutralises_a_formula_in_the_reason_and_the_values(officer):
    ser = Organisation.objects.get(key="ser")
    ser.abbreviation = "@SUM(A1)"
    audited_save(ser, actor=Actor(FORMULA, officer))
    rows = csv_rows("audit", "--user", "csv-officer")
    assert len(rows) == 1
    row = rows[0]
    assert row["reason"] == "'" + FORMULA
    assert (row["field"], row["old"], row["new"]) == ("abbreviation", "SER", "'@SUM(A1)")
    assert row["object_id"] == str(ser.pk)  # numbers stay numbers
    # JSON is data, not a spreadsheet: it keeps the text as written.
    payload = json.loads(command("audit", "--user", "csv-officer", "--format", "json"))
    assert payload[0]["reason"] == FORMULA


@pytest.mark.django_db
def test_audit_shows_local_time_with_its_zone(officer):
    ser = Organisation.objects.get(key="ser")
    ser.abbreviation = "SER-NL"
    audited_save(ser, actor=Actor("Zone check", officer))
    written = timezone.localtime(ser.history.first().history_date)
    offset = written.utcoffset()
    zone = written.tzname()
    assert zone in ("CET", "CEST")

    text = command("audit", "--user", "csv-officer")
    first = text.splitlines()[0]
    assert first.startswith(f"{written:%Y-%m-%d %H:%M} {zone} csv-officer organisatie #")
    assert first.endswith("' gewijzigd — Zone check")
    english = command("audit", "--user", "csv-officer", "--lang", "en").splitlines()[0]
    assert english.startswith(f"{written:%Y-%m-%d %H:%M} {zone} csv-officer organisation #")
    assert english.endswith("' changed — Zone check")

    when = csv_rows("audit", "--user", "csv-officer")[0]["when"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", when), when
    assert dt.datetime.fromisoformat(when).utcoffset() == offset
    assert dt.datetime.fromisoformat(when) == written.replace(microsecond=0)

    payload = json.loads(command("audit", "--user", "csv-officer", "--format", "json"))
    assert dt.datetime.fromisoformat(payload[0]["when"]).utcoffset() == offset


@pytest.mark.django_db
def test_audit_names_the_related_records_of_a_changed_foreign_key(officer):
    textile = Trajectory.objects.get(slug="textile")
    before = textile.source
    after = Source.objects.exclude(pk=before.pk).first()
    trajectory_update(trajectory=textile, data={"source": after}, actor=Actor("Re-cite", officer))

    text = command("audit", "--user", "csv-officer")
    assert f"    bron: {str(before)!r} → {str(after)!r}" in text.splitlines()
    english = command("audit", "--user", "csv-officer", "--lang", "en")
    assert f"    source: {str(before)!r} → {str(after)!r}" in english.splitlines()

    row = csv_rows("audit", "--user", "csv-officer")[0]
    assert (row["field"], row["old"], row["new"]) == ("source", str(before), str(after))

    payload = json.loads(command("audit", "--user", "csv-officer", "--format", "json"))
    change = payload[0]["changes"][0]
    assert change == {
        "field": "source",
        "old": str(before),
        "new": str(after),
        "old_id": before.pk,
        "new_id": after.pk,
    }


@pytest.mark.django_db
def test_status_csv_neutralises_a_formula_like_slug_and_keeps_the_rest(officer):
    textile = Trajectory.objects.get(slug="textile")
    trajectory_create(
        data={
            "slug": "-cmd",
            "name_nl": FORMULA,
            "source": textile.source,
            "sectors": list(textile.sectors.all()),
        },
        actor=Actor("Planted", officer),
    )
    text = command("status", "--format", "csv", "--as-of", "2015-07-10")
    lines = text.splitlines()
    assert lines[0] == "trajectory,phase,since"
    assert "'-cmd,no_initiative," in lines
    assert "-cmd,no_initiative," not in lines
    assert "banking,negotiation,2015-06-22" in lines
    assert "coal,signed,2014-11" in lines


@pytest.mark.django_db
def test_changes_csv_neutralises_a_formula_in_a_title(officer):
    textile = Trajectory.objects.get(slug="textile")
    event_create(
        data={
            "key": "planted-formula",
            "status": "held",
            "kind": "meeting",
            "title_nl": FORMULA,
            "date": dt.date(2015, 3, 2),
            "source": textile.source,
            "trajectories": [textile],
        },
        actor=Actor("Planted", officer),
    )
    args = ("changes", "--since", "2015-03-02", "--until", "2015-03-02")
    rows = csv_rows(*args)
    assert list(rows[0]) == [
        "date", "kind", "what", "trajectories", "source", "reference", "locator", "certainty"
    ]  # fmt: skip
    planted = [r for r in rows if r["kind"] == "event_held"]
    assert [r["what"] for r in planted] == ["'" + FORMULA]
    assert planted[0]["date"] == "2015-03-02"
    assert planted[0]["trajectories"] == "textile"
    # text and JSON output keep the title as written
    assert FORMULA in command(*args)
    payload = json.loads(command(*args, "--format", "json"))
    assert FORMULA in [c["what"] for c in payload["changes"]]
