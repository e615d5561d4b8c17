"""``imvo forecast`` and ``imvo forecast backtest`` as a user runs them (subprocess of the
console script, on the initialised installation of ``cli_env``; the CLI speaks English there)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import run_imvo

#: The first letter to parliament, as of and known at its day: the forecast of issue 11.
FIRST_LETTER = ("--as-of", "2015-07-10", "--known-at", "2015-07-10")
QUANTILES = {"p10", "p25", "p50", "p75", "p90"}


def forecast(env: dict[str, str], *args: str):
    return run_imvo("forecast", *args, env=env)


@pytest.fixture(scope="module")
def first_letter_json(cli_env: dict[str, str]) -> str:
    proc = forecast(cli_env, *FIRST_LETTER, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_json_holds_every_figure_of_the_issue(first_letter_json: str) -> None:
    data = json.loads(first_letter_json)
    for key in (
        "target",
        "deadline",
        "p_target_met",
        "count_at_deadline",
        "quarters",
        "reached",
        "trajectories",
        "required_per_quarter",
        "baselines",
        "forecasts",
        "parameters",
    ):
        assert key in data, key
    assert data["target"] == "target-2015"
    assert data["deadline"] == "2016-12-31"
    assert data["as_of"] == data["known_at"] == "2015-07-10"
    assert 0 <= data["p_target_met"] <= 1
    count = data["count_at_deadline"]
    assert set(count) >= QUANTILES
    assert count["p10"] <= count["p25"] <= count["p50"] <= count["p75"] <= count["p90"]
    assert data["quarters"] and all(set(q) >= QUANTILES and "date" in q for q in data["quarters"])
    assert {"p10", "p50", "p90", "share_reached"} <= set(data["reached"])
    assert {t["trajectory"] for t in data["trajectories"]} >= {"textile", "banking"}
    assert all(0 <= t["p_signed_by_deadline"] <= 1 for t in data["trajectories"])
    assert data["required_per_quarter"] > 0
    assert set(data["baselines"]) == {"target", "rate"}
    assert any(f["target"] == "target-2015" for f in data["forecasts"])


def test_every_parameter_names_its_source_and_was_knowable_by_the_origin(
    first_letter_json: str,
) -> None:
    parameters = json.loads(first_letter_json)["parameters"]
    assert parameters
    for parameter in parameters:
        assert parameter["source"].strip(), parameter["name"]
        assert parameter["knowable"] <= "2015-07-10", parameter["name"]


def test_same_seed_same_output(cli_env: dict[str, str], first_letter_json: str) -> None:
    again = forecast(cli_env, *FIRST_LETTER, "--format", "json")
    assert again.returncode == 0, again.stderr
    assert again.stdout == first_letter_json
    other = forecast(cli_env, *FIRST_LETTER, "--format", "json", "--seed", "1")
    assert other.returncode == 0, other.stderr
    assert json.loads(other.stdout)["seed"] == 1


def test_csv_has_its_header(cli_env: dict[str, str]) -> None:
    proc = forecast(cli_env, *FIRST_LETTER, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    assert rows[0] == [
        "target",
        "convention",
        "date",
        "p10",
        "p25",
        "p50",
        "p75",
        "p90",
        "mean",
        "p_target_met",
    ]
    assert len(rows) > 2 and rows[1][0] == "target-2015"


def test_svg_is_a_fan_chart(cli_env: dict[str, str]) -> None:
    proc = forecast(cli_env, *FIRST_LETTER, "--format", "svg")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("<?xml")
    assert "<svg" in proc.stdout


def test_png_is_written_to_the_output_file(cli_env: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "fan.png"
    proc = forecast(cli_env, *FIRST_LETTER, "--format", "png", "--output", str(target))
    assert proc.returncode == 0, proc.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_dutch_output(cli_env: dict[str, str]) -> None:
    proc = forecast(cli_env, *FIRST_LETTER, "--lang", "nl")
    assert proc.returncode == 0, proc.stderr
    assert "Kans dat het doel" in proc.stdout
    assert "Verwachting op 10 juli 2015" in proc.stdout
    assert "Chance that" not in proc.stdout


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("--runs", "0"), "--runs"),
        (("--runs", "-5"), "--runs"),
        (("--runs", "99999999999"), "--runs"),
        (("--runs", "abc"), "--runs"),
        ((*FIRST_LETTER, "--target", "nope"), "--target"),
        (("--known-at", "2013-01-01"), "--known-at"),
        (("--as-of", "2015-01-01"), "--as-of"),  # before the first letter: no documented prior
        (("--as-of", "2015-07-09", "--known-at", "2015-07-10"), "--as-of"),
        (("--as-of", "2015-07-10", "--known-at", "2015-07-09"), "--known-at"),
        (("--as-of", "2030-01-01"), "--as-of"),  # no target in force
        (("backtest", "--as-of", "2016-01-01"), "--as-of"),  # the backtest has its own origins
        (("backtest", "--format", "csv"), "--format"),
        ((*FIRST_LETTER, "--format", "png"), "--output"),  # binary: only to a file
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    cli_env: dict[str, str], args: tuple[str, ...], named: str
) -> None:
    proc = forecast(cli_env, *args)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert named in lines[0], lines[0]
    assert proc.stdout == ""


def test_unknown_target_lists_the_targets_in_force(cli_env: dict[str, str]) -> None:
    proc = forecast(cli_env, *FIRST_LETTER, "--target", "nope")
    assert "'nope'" in proc.stderr and "target-2015" in proc.stderr


def test_backtest_json_keeps_its_contract(cli_env: dict[str, str]) -> None:
    proc = forecast(cli_env, "backtest", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["pairs"]) == 16
    for pair in data["pairs"]:
        assert {"origin", "horizon", "actual", "p10", "p90", "rps"} <= set(pair)
    assert {"model", "target_baseline", "rate_baseline"} <= set(data["mean_rps"])
    assert 0 <= data["coverage_80"] <= 1
    fixture = Path(__file__).parents[1] / "programme" / "fixtures" / "forecast_backtest.json"
    assert data == json.loads(fixture.read_text(encoding="utf-8"))
