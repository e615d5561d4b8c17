"""Bad reference files: one line naming file and line, exit code 2, nothing written.

Each case breaks a copy of the shipped data in one way that used to end in a traceback (or
would have failed only when written to the database), and runs ``imvo init --data-dir`` on an
initialised installation: the message names the file and line, and the stored reference data
is exactly as before.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest

from imvo.reference.schema import ReferenceDataError, load_reference_data
from imvo.reference.yamlfile import MAX_DEPTH, YamlError, read_yaml
from tests.conftest import run_imvo
from tests.reference.test_loader import replace

#: Reference tables whose rows must not change when a load is refused.
TABLES = (
    "sectors_sector",
    "organisations_organisation",
    "trajectories_trajectory",
    "trajectories_phaserecord",
    "agreements_target",
    "sources_source",
    "sources_historicalsource",
)


def stored(env: dict[str, str]) -> dict[str, object]:
    """Every row count of the installation's database, and the content of the target table."""
    db = sqlite3.connect(Path(env["IMVO_VAR_DIR"]) / "imvo.sqlite3")
    try:
        tables = [
            name
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith("sqlite_")
        ]
        state: dict[str, object] = {
            name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in tables
        }
        state["targets"] = db.execute("SELECT * FROM agreements_target ORDER BY id").fetchall()
        state["sectors"] = db.execute("SELECT * FROM sectors_sector ORDER BY id").fetchall()
        return state
    finally:
        db.close()


def refused(env: dict[str, str], data_dir: Path, file: str, line: int | None) -> str:
    """Run ``imvo init --data-dir``; check one clear line for ``file`` (and ``line``)."""
    before = stored(env)
    result = run_imvo("init", "--data-dir", str(data_dir), env=env)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    where = re.escape(str(data_dir / file)) + (f":{line}: " if line else r"(:\d+)?: ")
    assert re.search(where, lines[0]), lines[0]
    assert "\x00" not in result.stderr
    assert stored(env) == before, "a refused load changed the database"
    return lines[0]


def field_line(path: Path, text: str) -> int:
    """The 1-based line of the first occurrence of ``text`` in ``path``."""
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


def test_an_escaped_nul_in_a_value_is_refused(cli_env, data_copy):
    line = replace(data_copy / "sectors.yaml", "name_en: Chemicals", 'name_en: "Chem\\0icals"')
    message = refused(cli_env, data_copy, "sectors.yaml", line)
    assert "'name_en' contains the control character U+0000" in message


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f"])
def test_a_raw_control_character_in_a_file_is_refused(cli_env, data_copy, char):
    line = replace(data_copy / "sectors.yaml", "name_en: Chemicals", f"name_en: Chem{char}icals")
    message = refused(cli_env, data_copy, "sectors.yaml", line)
    assert f"control character U+{ord(char):04X} is not allowed" in message


def test_a_control_character_in_a_list_item_is_refused(data_copy):
    line = replace(data_copy / "trajectories.yaml", "sectors: [textile]", 'sectors: ["tex\\x07"]')
    expected = (
        f"{data_copy / 'trajectories.yaml'}:{line}: 'sectors' contains the control character U+0007"
    )
    errors = _errors(data_copy)
    assert any(e.startswith(expected) for e in errors), errors


def test_tab_and_newline_stay_allowed(data_copy):
    replace(data_copy / "sectors.yaml", "name_en: Chemicals", 'name_en: "Chemi\\tcals\\nand more"')
    data = load_reference_data(data_copy)
    names = [s["name_en"] for s in data.records["sectors"]]
    assert "Chemi\tcals\nand more" in names


def test_deep_nesting_is_refused_without_a_recursion_error(cli_env, data_copy):
    (data_copy / "targets.yaml").write_text("[" * 20000 + "\n", encoding="utf-8")
    message = refused(cli_env, data_copy, "targets.yaml", 1)
    assert f"nested more than {MAX_DEPTH} levels deep" in message


def test_deep_block_nesting_names_the_line(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("".join(f"{'  ' * i}- \n" for i in range(MAX_DEPTH + 5)), encoding="utf-8")
    with pytest.raises(YamlError) as caught:
        read_yaml(path)
    assert re.match(rf"{re.escape(str(path))}:\d+: .*nested more than", str(caught.value))


def test_a_data_file_that_is_a_directory_is_refused(cli_env, data_copy):
    (data_copy / "sectors.yaml").unlink()
    (data_copy / "sectors.yaml").mkdir()
    message = refused(cli_env, data_copy, "sectors.yaml", None)
    assert message.endswith("sectors.yaml: not a file (a YAML file is expected here)")


def test_a_target_value_over_the_integer_column_is_refused(cli_env, data_copy):
    text = (data_copy / "targets.yaml").read_text(encoding="utf-8")
    old = re.search(r"value: \d+", text).group(0)
    line = replace(data_copy / "targets.yaml", old, f"value: {10**29}")
    message = refused(cli_env, data_copy, "targets.yaml", line)
    assert "'value' must be from 0 to " in message
    assert f"not {10**29}" in message


def test_a_negative_target_value_is_refused(data_copy):
    text = (data_copy / "targets.yaml").read_text(encoding="utf-8")
    old = re.search(r"value: \d+", text).group(0)
    line = replace(data_copy / "targets.yaml", old, "value: -5")
    assert any(f"targets.yaml:{line}: 'value' must be from 0 to" in e for e in _errors(data_copy))


def test_the_integer_limit_comes_from_the_database_column():
    from django.db import connection

    from imvo.agreements.models import Target
    from imvo.reference.schema import build_schema

    value = next(f for f in build_schema()["targets"][1] if f.name == "value")
    column = Target._meta.get_field("value")
    low, high = connection.ops.integer_field_range(column.get_internal_type())
    assert (value.min_value, value.max_value) == (low, high)


def test_a_name_over_the_model_limit_is_refused(cli_env, data_copy):
    from imvo.sectors.models import Sector

    limit = Sector._meta.get_field("name_nl").max_length
    text = (data_copy / "sectors.yaml").read_text(encoding="utf-8")
    old = re.search(r"name_nl: .+", text).group(0)
    line = replace(data_copy / "sectors.yaml", old, "name_nl: " + "x" * (limit + 1))
    message = refused(cli_env, data_copy, "sectors.yaml", line)
    assert f"'name_nl' is {limit + 1} characters long (at most {limit} are allowed)" in message


def test_a_name_at_the_model_limit_is_accepted(data_copy):
    from imvo.sectors.models import Sector

    limit = Sector._meta.get_field("name_nl").max_length
    replace(data_copy / "sectors.yaml", "name_en: Chemicals", "name_en: " + "y" * limit)
    load_reference_data(data_copy)


def test_a_key_over_the_model_limit_is_refused(cli_env, data_copy):
    from imvo.trajectories.models import Event

    limit = Event._meta.get_field("key").max_length
    text = (data_copy / "events.yaml").read_text(encoding="utf-8")
    old = re.search(r"key: [a-z0-9_-]+", text).group(0)
    line = replace(data_copy / "events.yaml", old, "key: " + "k" * (limit + 1))
    message = refused(cli_env, data_copy, "events.yaml", line)
    assert f"'key' is {limit + 1} characters long (at most {limit} are allowed)" in message


def test_a_slug_over_the_model_limit_is_refused(data_copy):
    from imvo.sectors.models import Sector

    limit = Sector._meta.get_field("slug").max_length
    line = field_line(data_copy / "sectors.yaml", "slug: ")
    text = (data_copy / "sectors.yaml").read_text(encoding="utf-8")
    old = re.search(r"slug: [a-z0-9_-]+", text).group(0)
    replace(data_copy / "sectors.yaml", old, "slug: " + "s" * 101)
    errors = _errors(data_copy)
    expected = f"sectors.yaml:{line}: 'slug' is 101 characters long (at most {limit} are allowed)"
    assert any(expected in e for e in errors), errors


def test_a_failed_init_on_a_fresh_installation_writes_no_reference_rows(tmp_path, data_copy):
    unset = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["IMVO_VAR_DIR"] = str(tmp_path / "var")
    (data_copy / "targets.yaml").write_text("[" * 20000 + "\n", encoding="utf-8")
    result = run_imvo("init", "--data-dir", str(data_copy), env=env)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    db = sqlite3.connect(tmp_path / "var" / "imvo.sqlite3")
    try:
        for table in TABLES:
            assert db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == 0, table
    finally:
        db.close()


def test_the_errors_are_data_errors(data_copy):
    from imvo.core.errors import DataError

    (data_copy / "targets.yaml").write_text("- key: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_reference_data(data_copy)
    assert isinstance(caught.value, ReferenceDataError)
    assert issubclass(YamlError, DataError)
    assert caught.value.problems[0].location == f"{data_copy / 'targets.yaml'}:2"


def _errors(data_dir: Path) -> list[str]:
    with pytest.raises(ReferenceDataError) as caught:
        load_reference_data(data_dir)
    return caught.value.errors
