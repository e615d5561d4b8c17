"""Loading the reference data: validation before writing, idempotence, corrections, audit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imvo.core.audit import audit_entries, system_user
from imvo.reference.schema import ReferenceDataError, load_reference_data
from imvo.reference.services import DEFAULT_DATA_DIR, reference_data_load
from imvo.sectors.models import Sector
from imvo.trajectories.models import PhaseRecord, Trajectory
from tests.conftest import run_imvo


def replace(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in ``path``; return its 1-based line number."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old) :], encoding="utf-8")
    return text[:index].count("\n") + 1


def errors_of(data_dir: Path) -> list[str]:
    with pytest.raises(ReferenceDataError) as caught:
        load_reference_data(data_dir)
    return caught.value.errors


def test_the_shipped_reference_data_is_valid():
    data = load_reference_data(DEFAULT_DATA_DIR)
    # 20 from the letter of July 2015, and vegetable proteins, natural stone, renewable energy.
    assert data.count("trajectories") == 23
    assert data.count("sectors") >= 20
    elevated = [s for s in data.records["sectors"] if s["sra_2014_elevated"]]
    assert len(elevated) == 13  # "Er zijn dertien sectoren met verhoogde risico's"


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "trajectories.yaml",
            "sectors: [textile]",
            "sectors: [textiles]",
            "unknown sector 'textiles'",
        ),
        (
            "trajectories.yaml",
            'from: "2015-06-22"',
            'from: "2015-06-31"',
            "not a valid calendar date",
        ),
        ("trajectories.yaml", "phase: negotiation", "phase: talking", "unknown phase 'talking'"),
        ("events.yaml", 'date: "2015-06-09"', 'date: "9 juni 2015"', "'9 juni 2015' is not a date"),
        ("organisations.yaml", "kind: trade_union", "kind: union", "unknown kind 'union'"),
        ("sectors.yaml", 'nace: ["20"]', 'nace: ["C20x"]', "'C20x' is not a NACE Rev.2 code"),
        ("events.yaml", "status: held", "state: held", "unknown field 'state'"),
    ],
)
def test_a_bad_file_is_refused_naming_file_and_line(data_copy, file, old, new, message):
    line = replace(data_copy / file, old, new)
    errors = errors_of(data_copy)
    assert len(errors) == 1 or any(message in e for e in errors), errors
    matching = [e for e in errors if message in e]
    assert matching, errors
    found = re.match(r"(.+):(\d+): ", matching[0])
    assert found, matching[0]
    assert Path(found.group(1)).name == file
    assert abs(int(found.group(2)) - line) <= 3  # the record or the field line


def test_duplicate_keys_and_yaml_syntax_errors_are_named(data_copy):
    text = (data_copy / "organisations.yaml").read_text(encoding="utf-8")
    (data_copy / "organisations.yaml").write_text(
        text + text.splitlines()[1] + "\n", encoding="utf-8"
    )
    assert any("duplicate key 'bz'" in e for e in errors_of(data_copy))
    (data_copy / "targets.yaml").write_text("- key: [unclosed\n", encoding="utf-8")
    assert any(
        e.startswith(f"{data_copy / 'targets.yaml'}:") and "invalid YAML" in e
        for e in errors_of(data_copy)
    )


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    before = PhaseRecord.history.count() + Trajectory.history.count() + Sector.history.count()
    report = reference_data_load(user=system_user())
    assert not report.changed
    assert sum(report.unchanged.values()) > 150
    after = PhaseRecord.history.count() + Trajectory.history.count() + Sector.history.count()
    assert after == before


@pytest.mark.django_db
def test_a_bad_file_writes_nothing(data_copy):
    replace(
        data_copy / "trajectories.yaml", "name_nl: Bancaire sector", "name_nl: Banken (gewijzigd)"
    )
    replace(data_copy / "trajectories.yaml", "sectors: [textile]", "sectors: [nonsense]")
    with pytest.raises(ReferenceDataError):
        reference_data_load(data_dir=data_copy, user=system_user())
    assert Trajectory.objects.get(slug="banking").name_nl == "Bancaire sector"


@pytest.mark.django_db
def test_a_changed_phase_fact_becomes_a_correction_that_keeps_the_old_record(data_copy):
    replace(data_copy / "trajectories.yaml", 'from: "2015-06-22"', 'from: "2015-06-23"')
    report = reference_data_load(data_dir=data_copy, user=system_user())
    assert report.updated["trajectories.phaserecord"] == 1
    records = PhaseRecord.objects.filter(key="banking-negotiation").order_by("recorded_at")
    old, new = list(records)
    assert old.valid_from.isoformat() == "2015-06-22"  # content untouched
    assert old.superseded_at is not None
    assert new.supersedes == old
    assert new.valid_from.isoformat() == "2015-06-23"
    assert new.superseded_at is None
    entries = audit_entries(new)
    assert entries[0].who == "imvo-system"
    assert entries[0].reason == "Reference data (trajectories.yaml)"


@pytest.mark.django_db
def test_a_changed_record_is_audited_with_old_and_new_value(data_copy):
    replace(data_copy / "sectors.yaml", "name_en: Chemicals", "name_en: Chemical industry")
    reference_data_load(data_dir=data_copy, user=system_user())
    last = audit_entries(Sector.objects.get(slug="chemicals"))[-1]
    assert last.action == "changed"
    assert last.reason == "Reference data (sectors.yaml)"
    assert [(c.field, c.old, c.new) for c in last.changes] == [
        ("name_en", "Chemicals", "Chemical industry")
    ]


def test_init_with_a_broken_file_exits_2_with_file_and_line(cli_env, data_copy):
    line = replace(data_copy / "trajectories.yaml", "sectors: [textile]", "sectors: [textiles]")
    result = run_imvo("init", "--data-dir", str(data_copy), env=cli_env)
    assert result.returncode == 2
    assert f"trajectories.yaml:{line}: unknown sector 'textiles'" in result.stderr
    assert "Traceback" not in result.stderr


def test_init_twice_reports_no_change(cli_env):
    result = run_imvo("init", env={**cli_env, "IMVO_LANG": "nl"})
    assert result.returncode == 0, result.stderr
    assert "Referentiegegevens ongewijzigd." in result.stdout
    english = run_imvo("init", env=cli_env)  # the cli_env speaks English
    assert "Reference data unchanged." in english.stdout
