"""The forecast over the real history (issue 11): the backtest's scores are pinned in a fixture,
and a forecast known at T uses nothing recorded after T nor valid after its origin."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Q
from django.utils import timezone

from imvo.agreements.models import Agreement, TargetVersion
from imvo.core.audit import Actor
from imvo.core.moments import end_of_day
from imvo.programme.selectors import (
    BACKTEST_ORIGINS,
    forecast_input,
    programme_backtest,
    programme_forecast,
)
from imvo.proposals.models import ProgressNote
from imvo.reports.forecast import backtest_dict, to_dict
from imvo.trajectories.models import (
    Event,
    GovernmentAction,
    Participation,
    PhaseRecord,
    Trajectory,
)
from imvo.trajectories.services import phase_record_create

FIXTURE = Path(__file__).parent / "fixtures" / "forecast_backtest.json"
#: Set to 1 to write the fixture from the code as it is (then review the diff of the scores).
UPDATE = "IMVO_FORECAST_FIXTURE_UPDATE"
REGENERATE = f"{UPDATE}=1 .venv/bin/pytest tests/programme/test_forecast.py"

#: The first letter to parliament: the first origin with documented priors.
FIRST_LETTER = dt.date(2015, 7, 10)
#: Children before parents: deleting in this order never hits a protected reference.
BITEMPORAL = (
    ProgressNote,
    GovernmentAction,
    Event,
    Participation,
    PhaseRecord,
    Agreement,
    TargetVersion,
    Trajectory,
)


def _as_json(data: Any) -> Any:
    """What the JSON output holds (tuples become lists, as a reader of the file sees them)."""
    return json.loads(json.dumps(data, ensure_ascii=False))


# ---- The backtest, pinned ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def backtest(django_db_setup, django_db_blocker) -> dict[str, Any]:
    """``imvo forecast backtest --format json`` (10,000 runs, seed 0) on the shipped data, once
    for the module (pytest-django sets up the test database only for tests marked
    ``django_db``: each test that uses this fixture is)."""
    with django_db_blocker.unblock():
        return _as_json(backtest_dict(programme_backtest(runs=10_000, seed=0)))


@pytest.mark.django_db  # the module's backtest reads the test database
def test_backtest_matches_the_fixture(backtest):
    """A code change that moves a score shows in review: the fixture changes with it."""
    if os.environ.get(UPDATE) == "1":
        FIXTURE.write_text(
            json.dumps(backtest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert backtest == expected, (
        f"the backtest's scores moved; if that is intended, regenerate the fixture with "
        f"`{REGENERATE}`, review the diff and update the tables in docs/methodology/forecast.md "
        f"(and forecast.nl.md)"
    )


@pytest.mark.django_db  # the module's backtest reads the test database
def test_backtest_keeps_its_json_contract(backtest):
    assert len(backtest["pairs"]) == 16
    for pair in backtest["pairs"]:
        assert {"origin", "horizon", "actual", "p10", "p90", "rps"} <= set(pair)
        assert pair["p10"] <= pair["p90"]
        assert pair["rps"] >= 0
    assert {dt.date.fromisoformat(p["origin"]) for p in backtest["pairs"]} == set(BACKTEST_ORIGINS)
    assert 0 <= backtest["coverage_80"] <= 1
    assert {"model", "target_baseline", "rate_baseline"} <= set(backtest["mean_rps"])
    assert set(backtest["by_convention"]) == {"programme", "all_signed"}


@pytest.mark.django_db  # the module's backtest reads the test database
def test_backtest_figures_the_method_page_states(backtest):
    """docs/methodology/forecast.md: the model beats both baselines on mean RPS under both
    conventions; its 80 % bands hold the real count in 8 of the 16 pairs (the issue asks for
    12: not met, and not asserted as met), every miss too low and from an origin after mid-2016.
    """
    for convention in ("programme", "all_signed"):
        rps = backtest["by_convention"][convention]["mean_rps"]
        assert rps["model"] < rps["target_baseline"], convention
        assert rps["model"] < rps["rate_baseline"], convention
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert backtest["coverage_80"] == expected["coverage_80"]
    pairs = backtest["pairs"]
    assert sum(p["in_80"] for p in pairs) == round(expected["coverage_80"] * 16)
    misses = [p for p in pairs if not p["in_80"]]
    assert all(p["actual"] > p["p90"] for p in misses)
    assert all(p["origin"] > "2016-06-01" for p in misses)


# ---- Known at T: nothing recorded later enters -------------------------------------------------


def _forget_after(moment: dt.datetime) -> int:
    """Make the database hold only what was recorded by ``moment``: delete every bitemporal
    record recorded after it, and undo the supersessions that happened after it. Returns the
    number of records deleted (rolled back with the test)."""
    deleted = 0
    for model in BITEMPORAL:
        later = model._default_manager.filter(recorded_at__gt=moment)
        corrections = any(f.name == "supersedes" for f in model._meta.get_fields())
        while later.exists():
            # a correction protects the record it supersedes: the newest of a chain goes first
            newest = later.filter(superseded_by__isnull=True) if corrections else later
            count = newest.delete()[1].get(model._meta.label, 0)
            assert count, f"{model._meta.label}: records recorded later that cannot be deleted"
            deleted += count
        if corrections:
            model._default_manager.filter(superseded_at__gt=moment).update(superseded_at=None)
    return deleted


@pytest.mark.django_db
def test_forecast_at_the_first_letter_is_the_same_without_the_later_history():
    """Issue 11: the forecast as of 10 July 2015, known at 10 July 2015, is identical whether or
    not the later history is loaded."""
    moment = end_of_day(FIRST_LETTER)
    with_history = to_dict(programme_forecast(as_of=FIRST_LETTER, known_at=moment))

    deleted = _forget_after(moment)
    assert deleted > 50  # the later letters' facts were there, and are gone now
    assert not PhaseRecord.objects.filter(recorded_at__gt=moment).exists()
    assert not Agreement.objects.filter(signed__gt=FIRST_LETTER).exists()
    without_history = to_dict(programme_forecast(as_of=FIRST_LETTER, known_at=moment))

    assert without_history == with_history
    assert with_history["as_of"] == with_history["known_at"] == "2015-07-10"


@pytest.mark.django_db
def test_a_fact_recorded_later_leaves_the_forecast_known_before_unchanged():
    """A phase valid from 1 June 2015 but recorded now: the forecast as of 10 July 2015 known at
    that day does not move; the same forecast known now does."""
    moment = end_of_day(FIRST_LETTER)
    known_then = to_dict(programme_forecast(as_of=FIRST_LETTER, known_at=moment))
    known_now = to_dict(programme_forecast(as_of=FIRST_LETTER))

    gold = Trajectory.objects.get(slug="gold")
    planted = phase_record_create(
        trajectory=gold,
        key="gold-exploration-planted",
        values={"phase": "exploration", "valid_from": dt.date(2015, 6, 1), "source": gold.source},
        actor=Actor("A later report dates the start of gold's exploration"),
    )
    assert planted.recorded_at > moment
    data, _targets = forecast_input(as_of=FIRST_LETTER)
    (gold_facts,) = [t for t in data.trajectories if t.key == "gold"]
    first = gold_facts.spells[0]
    assert (first.phase, first.start, first.exit) == (
        "exploration",
        dt.date(2015, 6, 1),
        "dialogue",
    )

    assert to_dict(programme_forecast(as_of=FIRST_LETTER, known_at=moment)) == known_then
    assert to_dict(programme_forecast(as_of=FIRST_LETTER)) != known_now


def _dates(value: Any, path: str = "data") -> list[tuple[str, dt.date]]:
    """Every date in a (nested) dataclass or container, with where it was found."""
    if isinstance(value, dt.date):
        return [(path, value)]
    if dataclasses.is_dataclass(value):
        return [
            found
            for field in dataclasses.fields(value)
            for found in _dates(getattr(value, field.name), f"{path}.{field.name}")
        ]
    if isinstance(value, (list, tuple, frozenset, set)):
        return [found for i, item in enumerate(value) for found in _dates(item, f"{path}[{i}]")]
    if isinstance(value, dict):
        return [found for k, item in value.items() for found in _dates(item, f"{path}[{k}]")]
    return []


@pytest.mark.django_db
@pytest.mark.parametrize("origin", BACKTEST_ORIGINS)
def test_forecast_input_is_cut_at_the_origin(origin):
    """Known now, with the whole later history in the database: no date after the origin
    anywhere in the input (``known_at`` itself aside), and every spell open at the origin is
    still open."""
    data, targets = forecast_input(as_of=origin)
    assert data.origin == origin
    assert data.known_at == timezone.localdate()
    found = [(where, day) for where, day in _dates(data) if where != "data.known_at"]
    assert found, "the input holds dates"
    assert [(where, day) for where, day in found if day > origin] == []
    for facts in data.trajectories:
        if facts.state in ("signed", "stopped"):
            assert facts.spells == () or facts.spells[-1].exit is not None, facts.key
        else:
            assert facts.spells[-1].phase == facts.state, facts.key
            assert facts.spells[-1].end is None and facts.spells[-1].exit is None, facts.key
    assert all(t.deadline >= origin for t in targets)


@pytest.mark.django_db
def test_textile_signed_after_the_origin_is_still_negotiating_in_the_input():
    """Textile signed on 4 July 2016; as of 17 June 2016 it is in negotiation, known now."""
    data, _targets = forecast_input(as_of=dt.date(2016, 6, 17))
    (textile,) = [t for t in data.trajectories if t.key == "textile"]
    assert (textile.state, textile.signed) == ("negotiation", None)
    assert all(a.signed <= dt.date(2016, 6, 17) for a in data.agreements)
    assert not [a for a in data.agreements if a.key.startswith("textile")]


@pytest.mark.django_db
def test_the_later_records_are_really_later():
    """The known-at tests are not empty: the shipped data records facts after 10 July 2015."""
    moment = end_of_day(FIRST_LETTER)
    later = Q(recorded_at__gt=moment)
    assert PhaseRecord.objects.filter(later).exists()
    assert Agreement.objects.filter(later).exists()
    assert TargetVersion.objects.filter(later).exists()
