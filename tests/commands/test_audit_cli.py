"""``imvo audit`` and ``imvo status`` refuse bad arguments and a missing database in one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from imvo.commands.management.commands.audit import MAX_LIMIT
from tests.conftest import run_imvo

UNREACHABLE = "postgres://nobody@127.0.0.1:1/none"


def one_line_error(result, *, naming: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert naming in lines[0], lines[0]
    return lines[0]


def test_a_since_before_the_first_representable_day_names_since(cli_env):
    line = one_line_error(run_imvo("audit", "--since", "0001-01-01", env=cli_env), naming="--since")
    assert line == (
        "imvo audit: error: argument --since: '0001-01-01' is out of range "
        "(the earliest date is 0001-01-02)"
    )


@pytest.mark.parametrize("since", ["0001-01-02", "9999-12-31"])
def test_the_extreme_representable_days_work(cli_env, since):
    result = run_imvo("audit", "--since", since, "--format", "json", env=cli_env)
    assert result.returncode == 0, result.stderr


def test_a_since_that_is_not_a_date_names_since(cli_env):
    one_line_error(run_imvo("audit", "--since", "2015-13-01", env=cli_env), naming="--since")


@pytest.mark.parametrize("limit", ["9223372036854775808", "0", "-1", str(MAX_LIMIT + 1)])
def test_a_limit_out_of_range_names_limit(cli_env, limit):
    line = one_line_error(run_imvo("audit", "--limit", limit, env=cli_env), naming="--limit")
    assert f"must be from 1 to {MAX_LIMIT}, not {limit}" in line


def test_a_limit_that_is_not_a_number_names_limit(cli_env):
    line = one_line_error(run_imvo("audit", "--limit", "ten", env=cli_env), naming="--limit")
    assert "'ten' is not a whole number" in line


def test_the_largest_limit_works_and_the_help_states_it(cli_env):
    result = run_imvo("audit", "--limit", str(MAX_LIMIT), "--format", "csv", env=cli_env)
    assert result.returncode == 0, result.stderr
    help_text = " ".join(run_imvo("audit", "--help", env=cli_env).stdout.split())
    assert f"from 1 to {MAX_LIMIT}" in help_text


def fresh_env(var: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["IMVO_VAR_DIR"] = str(var)
    env["IMVO_LANG"] = "en"
    env.update(extra)
    return env


@pytest.mark.parametrize("command", ["status", "audit"])
@pytest.mark.parametrize("var_exists", [False, True])
def test_before_init_is_one_line(tmp_path, command, var_exists):
    var = tmp_path / "var"
    if var_exists:
        var.mkdir()
    line = one_line_error(run_imvo(command, env=fresh_env(var)), naming="imvo init")
    assert "the database cannot be read" in line


@pytest.mark.parametrize("command", ["status", "audit"])
def test_an_unreachable_database_is_one_line(tmp_path, command):
    env = fresh_env(tmp_path / "var", DATABASE_URL=UNREACHABLE)
    line = one_line_error(run_imvo(command, env=env), naming="DATABASE_URL")
    assert "the database cannot be read" in line
