"""Backtest scores: RPS, Brier and coverage on cases whose numbers are computed by hand."""

from __future__ import annotations

import math
from datetime import date

import pytest

from imvo.analysis.forecast import (
    BacktestCase,
    TargetSpec,
    backtest,
    ranked_probability_score,
    to_json,
)
from imvo.analysis.forecast.baselines import rate_distribution, target_point

from .inputs import ORIGIN, make_input, no_arrivals, spell, trajectory


def test_rps_by_hand() -> None:
    probs = [0.2, 0.5, 0.3]  # cumulative 0.2, 0.7, 1.0
    assert ranked_probability_score(probs, 1) == pytest.approx(0.2**2 + 0.3**2)  # 0.13
    assert ranked_probability_score(probs, 0) == pytest.approx(0.8**2 + 0.3**2)  # 0.73
    assert ranked_probability_score(probs, 3) == pytest.approx(0.04 + 0.49 + 1.0)  # 1.53
    assert ranked_probability_score([0, 0, 0, 0, 0, 1], 2) == pytest.approx(3.0)  # 3 off
    assert ranked_probability_score([0, 0, 1], 2) == 0.0
    # unnormalised: padding the support with zeros changes nothing
    assert ranked_probability_score([*probs, 0, 0, 0], 1) == pytest.approx(0.13)


def test_the_target_baseline_interpolates_to_the_deadline() -> None:
    goal = TargetSpec("t", 10, date(2016, 12, 31), "programme")
    # 182 of 365 days: 2 + 8 x 0.4986 = 5.99 -> 6
    assert target_point(goal, ORIGIN, 2, date(2016, 7, 1)) == 6
    assert target_point(goal, ORIGIN, 2, date(2016, 12, 31)) == 10
    assert target_point(goal, ORIGIN, 2, date(2019, 12, 31)) == 10
    assert target_point(goal, ORIGIN, 12, date(2016, 7, 1)) == 12  # never below the count


def _quiet_case(actual: int) -> BacktestCase:
    """Nothing open and no arrivals: the model is sure the count stays at the 2 signed."""
    signed = (
        trajectory("a", spell("negotiation", date(2015, 1, 1), date(2015, 3, 1), "signed")),
        trajectory("b", spell("dialogue", date(2015, 1, 1), date(2015, 9, 1), "signed")),
    )
    data = make_input(signed, parameters=no_arrivals())
    horizon = date(2016, 12, 31)
    goal = TargetSpec("goal", 5, horizon, "programme")
    counts = {(c, horizon): actual for c in ("programme", "ser")}
    return BacktestCase(ORIGIN, data, goal, (horizon,), counts)


def test_backtest_scores_by_hand() -> None:
    result = backtest([_quiet_case(3)], conventions=("programme", "ser"), runs=500)
    pair = result.pairs[0]
    assert (pair.convention, pair.actual, pair.p10, pair.p90) == ("programme", 3, 2, 2)
    assert pair.rps_model == pytest.approx(1.0)  # sure of 2, it was 3
    assert pair.rps_target_baseline == pytest.approx(2.0)  # sure of 5, it was 3
    # rate: 2 signings in the 730 days before -> 1.0 a year, x 365/365.25 years
    mean = (2 / (730 / 365.25)) * (365 / 365.25)
    probs = [0.0, 0.0] + [math.exp(-mean) * mean**k / math.factorial(k) for k in range(40)]
    assert pair.rps_rate_baseline == pytest.approx(ranked_probability_score(probs, 3))
    assert pair.rate_mean == pytest.approx(2 + mean)
    assert not pair.in_50 and not pair.in_80
    assert result.coverage_80 == {"programme": 0.0, "ser": 0.0}
    assert result.mean_rps["programme"] == {
        "model": pytest.approx(1.0),
        "target_baseline": pytest.approx(2.0),
        "rate_baseline": pytest.approx(pair.rps_rate_baseline),
    }
    # target met? 3 < 5: no. The model said 0, the target baseline 1, the rate baseline P(N>=3)
    p_rate = 1 - sum(math.exp(-mean) * mean**k / math.factorial(k) for k in range(3))
    assert result.brier["programme"]["model"] == pytest.approx(0.0)
    assert result.brier["programme"]["target_baseline"] == pytest.approx(1.0)
    assert result.brier["programme"]["rate_baseline"] == pytest.approx(p_rate**2)
    covered = backtest([_quiet_case(2)], conventions=("programme",), runs=50)
    assert covered.coverage_80["programme"] == 1.0 and covered.pairs[0].rps_model == 0.0


def test_rate_distribution_starts_at_the_count() -> None:
    probs = rate_distribution(4, 1.0, 2.0)
    assert probs[:4].sum() == 0.0 and probs.sum() == pytest.approx(1.0)
    assert probs[4] == pytest.approx(math.exp(-2.0))


def test_backtest_json_has_the_stable_keys() -> None:
    result = backtest([_quiet_case(3)], conventions=("programme", "ser"), runs=100)
    payload = to_json(result)
    assert payload["convention"] == "programme"
    assert {"origin", "horizon", "actual", "p10", "p90", "rps"} <= set(payload["pairs"][0])
    assert payload["pairs"][0]["origin"] == "2016-01-01"
    assert payload["coverage_80"] == 0.0
    assert set(payload["mean_rps"]) == {"model", "target_baseline", "rate_baseline"}
    assert set(payload["by_convention"]) == {"programme", "ser"}
    assert payload["by_convention"]["ser"]["mean_rps"]["model"] == pytest.approx(1.0)


def test_backtest_refuses_missing_actuals_and_bad_runs() -> None:
    case = _quiet_case(3)
    missing = BacktestCase(case.origin, case.data, case.target, case.horizons, {})
    with pytest.raises(ValueError, match="no actual count"):
        backtest([missing], conventions=("programme",), runs=10)
    with pytest.raises(ValueError, match="runs"):
        backtest([case], conventions=("programme",), runs=0)


def test_a_calibrated_model_covers_its_own_simulations() -> None:
    """Cases drawn from the model's own prior predictive are covered about as often as the
    bands say: sixty futures of one open programme, scored at 80 %."""
    from imvo.analysis.forecast.simulate import prepare

    data = make_input()
    horizon = date(2017, 12, 31)
    truth = prepare(data, end=horizon, runs=60, seed=99).simulation
    futures = truth.counts_at("programme", [(horizon - ORIGIN).days / 365.25], 2)[:, 0]
    cases = [
        BacktestCase(ORIGIN, data, None, (horizon,), {("programme", horizon): int(n)})
        for n in futures
    ]
    result = backtest(cases, conventions=("programme",), runs=2000)
    assert 0.65 <= result.coverage_80["programme"] <= 1.0
    assert result.mean_rps["programme"]["target_baseline"] is None
