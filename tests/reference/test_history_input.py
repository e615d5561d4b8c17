"""Bad history input: one line naming the file and line, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from imvo.reference.schema import ReferenceDataError, load_reference_data
from tests.conftest import run_imvo


def errors_of(data_dir: Path) -> list[str]:
    with pytest.raises(ReferenceDataError) as caught:
        load_reference_data(data_dir)
    return caught.value.errors


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_agreement_that_ends_before_it_is_signed(data_copy):
    _edit(
        data_copy / "agreements.yaml",
        "- key: textile-2016\n",
        "- key: textile-2016\n  ended: 2015-01-01\n",
    )
    errors = errors_of(data_copy)
    assert errors and all("agreements.yaml:" in e for e in errors)
    assert any("'textile-2016' ends before it is signed" in e for e in errors), errors


def test_a_source_cannot_report_a_signing_before_it_happened(data_copy):
    _edit(data_copy / "agreements.yaml", '  signed: "2016-07-04"', '  signed: "2026-07-04"')
    errors = errors_of(data_copy)
    assert any("after its source" in e and "agreements.yaml:" in e for e in errors), errors


def test_a_target_revision_needs_a_source(data_copy):
    path = data_copy / "targets.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("key: target-2016-milestone")
    end = text.index("\n", text.index("source:", start))
    line = text[text.rindex("\n", 0, text.index("source:", start)) + 1 : end]
    path.write_text(
        text.replace(line, "", 1)
        if line.strip().startswith("source:")
        else text.replace("source:", "sauce:", 1)
    )
    errors = errors_of(data_copy)
    assert any("targets.yaml:" in e and "'source'" in e for e in errors), errors


def test_changes_since_after_until_is_one_line(cli_env):
    result = run_imvo("changes", "--since", "2017-01-01", "--until", "2016-01-01", env=cli_env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("imvo changes: error: --since:")


def test_changes_bad_date_is_one_line(cli_env):
    result = run_imvo("changes", "--since", "2016-13-01", env=cli_env)
    assert result.returncode == 2 and "--since" in result.stderr and result.stderr.count("\n") == 1


def test_a_failed_history_load_writes_nothing(cli_env, data_copy):
    before = run_imvo("changes", "--since", "2013-01-01", "--format", "csv", env=cli_env).stdout
    _edit(
        data_copy / "agreements.yaml",
        "- key: textile-2016\n",
        "- key: textile-2016\n  ended: 2015-01-01\n",
    )
    failed = run_imvo("init", "--data-dir", str(data_copy), env=cli_env)
    assert failed.returncode == 2 and "ends before it is signed" in failed.stderr
    after = run_imvo("changes", "--since", "2013-01-01", "--format", "csv", env=cli_env).stdout
    assert after == before and len(after.splitlines()) > 50
