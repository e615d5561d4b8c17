"""`imvo status`: the July 2015 letter's grouping, history, formats and bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command

from imvo.trajectories.phases import PHASE_ORDER
from tests.conftest import run_imvo

# How the interim report of 10 July 2015 groups the trajectories (§2).
LETTER_2015_07_10 = {
    # "De textiel en bancaire sector zijn de koplopers ... als eerste rond de tafel"
    "negotiation": {"banking", "textile"},
    # "Een aantal sectoren heeft een multi-stakeholderdialoog opgezet"
    "dialogue": {"retail", "insurance", "wood", "floriculture", "gold", "food"},
    # "Andere sectoren zijn nog in een verkennende fase" + the two sectors outside the SRA
    "exploration": {
        "construction", "chemicals", "energy", "wholesale", "metal", "electronics",
        "shipbuilding", "tourism",
    },
    # "Drie sectoren hebben op dit moment nog geen initiatief genomen"
    "no_initiative": {"pension_funds", "agriculture", "oil_gas"},
    # "In november 2014 sloten de Nederlandse energieproducenten ... een convenant"
    "signed": {"coal"},
}  # fmt: skip

ALL_SLUGS = set().union(*LETTER_2015_07_10.values())


def status(*args: str) -> str:
    out = io.StringIO()
    call_command("status", *args, stdout=out)
    return out.getvalue()


def csv_rows(*args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(status("--format", "csv", *args))))


def grouped(rows: list[dict[str, str]]) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    for row in rows:
        groups.setdefault(row["phase"], set()).add(row["trajectory"])
    return groups


@pytest.mark.django_db
def test_every_trajectory_of_the_issue_is_loaded():
    assert {r["trajectory"] for r in csv_rows("--as-of", "2015-07-10")} == ALL_SLUGS
    assert len(ALL_SLUGS) == 20


@pytest.mark.django_db
def test_status_on_the_letter_date_groups_as_the_letter_does():
    assert grouped(csv_rows("--as-of", "2015-07-10")) == LETTER_2015_07_10


@pytest.mark.django_db
def test_csv_has_exactly_the_agreed_columns_and_dates_at_source_precision():
    text = status("--format", "csv", "--as-of", "2015-07-10")
    assert text.splitlines()[0] == "trajectory,phase,since"
    rows = {r["trajectory"]: r for r in csv_rows("--as-of", "2015-07-10")}
    assert rows["coal"]["since"] == "2014-11"  # "november 2014": month precision
    assert rows["banking"]["since"] == "2015-06-22"
    assert rows["textile"]["since"] == "2015-05-18"
    assert rows["gold"]["since"] == "2015-06-09"
    assert rows["metal"]["since"] == "2015-01"


@pytest.mark.django_db
def test_before_the_programme_no_trajectory_is_beyond_its_state_then():
    rows = csv_rows("--as-of", "2014-01-01")
    assert {r["trajectory"] for r in rows} == ALL_SLUGS
    assert {r["phase"] for r in rows} == {"no_initiative"}
    assert all(r["since"] == "" for r in rows)


@pytest.mark.django_db
def test_no_trajectory_is_ever_ahead_of_its_phase_on_the_letter_date():
    final = {r["trajectory"]: r["phase"] for r in csv_rows("--as-of", "2015-07-10")}
    for day in ["2014-06-30", "2014-10-31", "2014-11-15", "2015-01-31", "2015-05-17", "2015-06-21"]:
        for row in csv_rows("--as-of", day):
            assert PHASE_ORDER[row["phase"]] <= PHASE_ORDER[final[row["trajectory"]]], (day, row)
    mid_2015 = {r["trajectory"]: r["phase"] for r in csv_rows("--as-of", "2015-06-01")}
    assert mid_2015["coal"] == "signed"
    assert mid_2015["textile"] == "negotiation"
    assert mid_2015["banking"] == "no_initiative"  # nothing recorded before 22 June


@pytest.mark.django_db
def test_coal_is_not_signed_before_november_2014():
    rows = {r["trajectory"]: r["phase"] for r in csv_rows("--as-of", "2014-10-31")}
    assert rows["coal"] == "no_initiative"
    rows = {r["trajectory"]: r["phase"] for r in csv_rows("--as-of", "2014-11-01")}
    assert rows["coal"] == "signed"


@pytest.mark.django_db
def test_known_at_before_the_letter_knows_nothing_of_it():
    # The trajectories themselves became known with the letter: the day before, none was.
    assert csv_rows("--as-of", "2015-07-10", "--known-at", "2015-07-09") == []
    rows = csv_rows("--as-of", "2015-07-10", "--known-at", "2015-07-10")
    assert grouped(rows) == LETTER_2015_07_10


@pytest.mark.django_db
def test_json_names_the_source_of_each_state():
    payload = json.loads(status("--format", "json", "--as-of", "2015-07-10", "--lang", "en"))
    assert payload["as_of"] == "2015-07-10"
    groups = {g["phase"]: g for g in payload["groups"]}
    assert list(groups) == [
        "ended",
        "signed",
        "negotiation",
        "dialogue",
        "exploration",
        "no_initiative",
        "stopped",
    ]
    banking = next(t for t in groups["negotiation"]["trajectories"] if t["slug"] == "banking")
    assert banking["since"] == "2015-06-22"
    assert banking["date_basis"] == "start"
    assert "Minbuza 2015.337860" in banking["source"]
    retail = next(t for t in groups["dialogue"]["trajectories"] if t["slug"] == "retail")
    assert retail["date_basis"] == "observed"
    assert groups["negotiation"]["label"] == "negotiation"


@pytest.mark.django_db
def test_text_is_dutch_by_default_and_english_on_request():
    dutch = status("--as-of", "2015-07-10")
    assert dutch.startswith("Trajecten per fase op 2015-07-10")
    assert "Onderhandeling (2)" in dutch
    assert "Bancaire sector" in dutch
    english = status("--as-of", "2015-07-10", "--lang", "en")
    assert "Negotiation (2)" in english
    assert "Banking sector" in english


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--as-of", "notadate"], "--as-of"),
        (["--as-of", "2015-02-30"], "--as-of"),
        (["--known-at", "yesterday"], "--known-at"),
        (["--format", "xml"], "--format"),
        (["--lang", "de"], "--lang"),
        (["--trajectory", "textiles"], "unknown slug 'textiles'"),
        (["--phase", "talking"], "unknown phase 'talking'"),
    ],
)
def test_bad_arguments_get_one_line_and_exit_code_2(cli_env, args, names):
    result = run_imvo("status", *args, env=cli_env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert names in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_the_console_script_prints_the_letter_grouping(cli_env):
    result = run_imvo("status", "--as-of", "2015-07-10", "--format", "csv", env=cli_env)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert grouped(rows) == LETTER_2015_07_10


@pytest.mark.django_db
def test_filters_by_trajectory_and_phase():
    rows = csv_rows("--as-of", "2015-07-10", "--trajectory", "gold", "--trajectory", "coal")
    assert {(r["trajectory"], r["phase"]) for r in rows} == {
        ("gold", "dialogue"),
        ("coal", "signed"),
    }
    rows = csv_rows("--as-of", "2015-07-10", "--phase", "no_initiative")
    assert {r["trajectory"] for r in rows} == LETTER_2015_07_10["no_initiative"]
