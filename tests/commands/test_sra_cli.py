"""The imvo sra / imvo data commands as a user runs them (subprocess of the console script)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import run_imvo

_DATABASE: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _initialised_database(cli_env: dict[str, str]) -> None:
    """Every run uses the initialised database of ``cli_env`` and its own var dir (user data)."""
    _DATABASE["url"] = f"sqlite:///{Path(cli_env['IMVO_VAR_DIR']) / 'imvo.sqlite3'}"
    _DATABASE.update({k: v for k, v in cli_env.items() if k != "IMVO_VAR_DIR"})


def run(var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in _DATABASE.items() if k != "url"}
    env.update(IMVO_VAR_DIR=str(var_dir), DATABASE_URL=_DATABASE["url"])
    return run_imvo(*args, env=env)


@pytest.mark.parametrize(
    "args",
    [
        ("sra", "--theme", "nonsense"),
        ("sra", "--format", "pdf"),
        ("sra", "--sector", "4"),
        ("sra", "explain"),
        ("sra", "explain", "100"),
        ("sra", "14"),
        ("sra", "--format", "png"),
        ("data", "import", "unknown_kind", "x.csv"),
        ("data", "import", "imports"),
        ("data", "frobnicate"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    proc = run(tmp_path, *args)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr


def test_data_list_shows_edition_licence_rows(tmp_path: Path) -> None:
    proc = run(tmp_path, "data", "list")
    assert proc.returncode == 0, proc.stderr
    assert "wgi" in proc.stdout and "2024 update" in proc.stdout and "CC BY 4.0" in proc.stdout
    assert "2343" in proc.stdout


def test_import_then_sra_uses_it(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("iso3,year,score\nNLD,2024,80\nZZZ,2024,50\nCOD,2024,500\n", encoding="utf-8")
    proc = run(tmp_path, "data", "import", "ti_cpi", str(bad))
    assert proc.returncode == 2
    assert "bad.csv, row 3" in proc.stderr and "bad.csv, row 4" in proc.stderr
    assert "nothing imported" in proc.stderr
    assert not (tmp_path / "userdata" / "ti_cpi.csv").exists()

    before = run(tmp_path, "sra", "--format", "csv", "--theme", "corruption")
    good = tmp_path / "good.csv"
    good.write_text("iso3,year,score\nCHN,2024,1\nBGD,2024,1\n", encoding="utf-8")
    proc = run(tmp_path, "data", "import", "ti_cpi", str(good))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "userdata" / "ti_cpi.csv").exists()
    after = run(tmp_path, "sra", "--format", "csv", "--theme", "corruption")
    assert before.stdout != after.stdout
    assert "user:ti_cpi" in after.stdout
    listing = run(tmp_path, "data", "list")
    assert "user:ti_cpi" in listing.stdout


def test_sra_csv_and_explain(tmp_path: Path) -> None:
    out = tmp_path / "sra.csv"
    proc = run(tmp_path, "sra", "--format", "csv", "--output", str(out), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(out, dtype={"nace": str})
    for column in ("nace", "sector", "theme", "severity", "likelihood", "score"):
        assert column in frame.columns
    assert frame["rank"].min() == 1
    proc = run(tmp_path, "sra", "explain", "14", "--theme", "forced_labour", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "Garments" in proc.stdout and "CHN" in proc.stdout
    assert "ilab_goods_2022" in proc.stdout and "wgi." in proc.stdout
    single = run(tmp_path, "sra", "--format", "csv", "--sector", "14")
    assert len(pd.read_csv(io.StringIO(single.stdout))) == 11


def test_png_heat_map_file(tmp_path: Path) -> None:
    out = tmp_path / "heat.png"
    proc = run(tmp_path, "sra", "--format", "png", "--output", str(out), "--top", "10")
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().startswith(b"\x89PNG")


def _one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_import_of_a_cell_over_the_csv_field_limit_is_one_line(tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    huge.write_text(f"iso3,year,score\nNLD,2024,{'7' * 140_000}\n", encoding="utf-8")
    line = _one_line_error(run(tmp_path, "data", "import", "ti_cpi", str(huge)))
    assert "huge.csv, row 2: not readable as CSV (field larger than field limit" in line
    assert "nothing imported" in line
    assert not (tmp_path / "userdata" / "ti_cpi.csv").exists()


@pytest.mark.parametrize("record", ["{broken", '["not", "an", "object"]'])
def test_data_list_with_a_corrupt_stored_record_is_one_line(tmp_path: Path, record: str) -> None:
    good = tmp_path / "cpi.csv"
    good.write_text("iso3,year,score\nNLD,2024,79\n", encoding="utf-8")
    assert run(tmp_path, "data", "import", "ti_cpi", str(good)).returncode == 0
    (tmp_path / "userdata" / "ti_cpi.json").write_text(record, encoding="utf-8")
    line = _one_line_error(run(tmp_path, "data", "list"))
    assert "ti_cpi.json: not a" in line and "user-data record" in line
