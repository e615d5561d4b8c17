"""Backtest: forecasts made at past origins with what was known then, scored on what happened.

Scores (see docs/methodology/forecast.md):

- **Ranked probability score** of a count forecast ``P(count = k)``, ``k = 0, 1, ...`` against
  the real count ``y``: ``RPS = Σ_k (F(k) - 1[y <= k])²``, summed over every ``k`` from 0 up to
  the largest count either side gives mass to, *not normalised* (not divided by the number of
  categories). Beyond that the terms are zero, so the score does not depend on where the sum
  stops; it equals the continuous ranked probability score of the integer forecast, in
  agreements (0 for a sure and right forecast; a sure forecast ``n`` off scores ``n``).
- **Brier score** of "target met" (the target in force at the origin, at its deadline):
  ``(p - o)²`` with ``o`` 1 if the real count at the deadline reached the value. The target
  baseline says ``p = 1``. Only for targets whose deadline is after the origin and whose real
  count at the deadline is given.
- **Coverage**: the share of pairs whose real count lies in the central 50 % band (p25..p75)
  and 80 % band (p10..p90) of the model. Counts are whole numbers, so a band holds at least
  its nominal probability; coverage near or above nominal is what calibration looks like.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from imvo.analysis.forecast import baselines
from imvo.analysis.forecast.data import ForecastInput, TargetSpec
from imvo.analysis.forecast.montecarlo import years_from
from imvo.analysis.forecast.result import Quantiles, distribution_of
from imvo.analysis.forecast.simulate import prepare
from imvo.analysis.forecast.validate import check_runs

METHODS = ("model", "target_baseline", "rate_baseline")


@dataclass(frozen=True)
class BacktestCase:
    origin: date
    data: ForecastInput
    target: TargetSpec | None  # the target in force at the origin
    horizons: tuple[date, ...]
    actual: dict[tuple[str, date], int]  # (convention, horizon) -> real count


@dataclass(frozen=True)
class BacktestPair:
    origin: date
    horizon: date
    convention: str
    actual: int
    p10: int
    p25: int
    p50: int
    p75: int
    p90: int
    rps_model: float
    rps_target_baseline: float | None  # None: no target in force at the origin
    rps_rate_baseline: float
    in_50: bool
    in_80: bool
    mean: float = 0.0
    target_point: int | None = None  # the target baseline's count
    rate_mean: float = 0.0  # the rate baseline's mean count


@dataclass(frozen=True)
class BrierItem:
    origin: date
    target: str
    convention: str
    deadline: date
    met: bool
    p_model: float
    p_target_baseline: float
    p_rate_baseline: float


@dataclass(frozen=True)
class BacktestResult:
    conventions: tuple[str, ...]  # the first is the main one
    pairs: tuple[BacktestPair, ...]
    coverage_50: Mapping[str, float]  # convention -> share
    coverage_80: Mapping[str, float]
    mean_rps: Mapping[str, Mapping[str, float | None]]  # convention -> method -> mean RPS
    brier: Mapping[str, Mapping[str, float | None]]  # convention -> method -> mean Brier
    brier_items: tuple[BrierItem, ...]
    runs: int
    seed: int


def ranked_probability_score(probabilities: Sequence[float] | np.ndarray, actual: int) -> float:
    """Unnormalised RPS of ``P(count = k)`` (k = 0..K) against the count ``actual``."""
    probs = np.asarray(probabilities, dtype=float)
    size = max(len(probs), actual + 1)
    cdf = np.cumsum(np.concatenate([probs, np.zeros(size - len(probs))]))
    step = (np.arange(size) >= actual).astype(float)
    return float(np.sum((cdf - step) ** 2))


def _mean(values: Sequence[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return float(np.mean(kept)) if kept else None


def _tail(probs: np.ndarray, value: int) -> float:
    return float(probs[value:].sum()) if value < len(probs) else 0.0


def _score_case(
    case: BacktestCase, conventions: Sequence[str], runs: int, seed: int
) -> tuple[list[BacktestPair], list[BrierItem]]:
    if case.origin != case.data.origin:
        raise ValueError(f"backtest case {case.origin}: its data has origin {case.data.origin}")
    if not case.horizons:
        raise ValueError(f"backtest case {case.origin}: give at least one horizon")
    target = case.target
    deadline_ahead = target is not None and target.deadline > case.origin
    ends = [*case.horizons, *([target.deadline] if deadline_ahead else [])]
    prep = prepare(case.data, end=max(ends), runs=runs, seed=seed)
    values = {p.name: p.value for p in prep.parameters}
    pairs, briers = [], []
    for convention in conventions:
        achieved = baselines.count_at(case.data.agreements, convention, case.origin)
        rate = baselines.recent_rate(
            case.data.agreements,
            convention,
            case.origin,
            window_days=values["baseline.rate_window_days"],
            floor=values["baseline.rate_floor_per_year"],
        )
        counts = prep.simulation.counts_at(
            convention, [years_from(case.origin, d) for d in ends], achieved
        )
        for j, horizon in enumerate(case.horizons):
            key = (convention, horizon)
            if key not in case.actual:
                raise ValueError(f"backtest case {case.origin}: no actual count for {key}")
            actual = case.actual[key]
            model = distribution_of(counts[:, j])
            quant = Quantiles.of(model)
            years = years_from(case.origin, horizon)
            rate_probs = baselines.rate_distribution(achieved, rate, years)
            point = None
            if target is not None:
                point = baselines.target_point(target, case.origin, achieved, horizon)
            pairs.append(
                BacktestPair(
                    origin=case.origin,
                    horizon=horizon,
                    convention=convention,
                    actual=actual,
                    p10=quant.p10,
                    p25=quant.p25,
                    p50=quant.p50,
                    p75=quant.p75,
                    p90=quant.p90,
                    rps_model=ranked_probability_score(model, actual),
                    rps_target_baseline=None
                    if point is None
                    else ranked_probability_score(baselines.point_distribution(point), actual),
                    rps_rate_baseline=ranked_probability_score(rate_probs, actual),
                    in_50=quant.covers(actual, 0.5),
                    in_80=quant.covers(actual, 0.8),
                    mean=quant.mean,
                    target_point=point,
                    rate_mean=achieved + rate * max(0.0, years),
                )
            )
        if deadline_ahead and (convention, target.deadline) in case.actual:
            met = case.actual[(convention, target.deadline)] >= target.value
            model = distribution_of(counts[:, -1])
            rate_probs = baselines.rate_distribution(
                achieved, rate, years_from(case.origin, target.deadline)
            )
            briers.append(
                BrierItem(
                    origin=case.origin,
                    target=target.key,
                    convention=convention,
                    deadline=target.deadline,
                    met=met,
                    p_model=_tail(model, target.value),
                    p_target_baseline=1.0,
                    p_rate_baseline=_tail(rate_probs, target.value),
                )
            )
    return pairs, briers


def backtest(
    cases: Sequence[BacktestCase],
    *,
    conventions: Sequence[str],
    runs: int = 10_000,
    seed: int = 0,
) -> BacktestResult:
    """Forecast at each case's origin with its own input, and score every (horizon, convention).

    Every case uses the same ``seed``. Raises ``ValueError`` for bad runs, an empty list of
    conventions, or a (convention, horizon) without a real count.
    """
    check_runs(runs)
    if not conventions:
        raise ValueError("conventions: give at least one counting convention")
    pairs: list[BacktestPair] = []
    briers: list[BrierItem] = []
    for case in cases:
        more_pairs, more_briers = _score_case(case, conventions, runs, seed)
        pairs += more_pairs
        briers += more_briers
    cover50, cover80, rps, brier = {}, {}, {}, {}
    for c in conventions:
        own = [p for p in pairs if p.convention == c]
        cover50[c] = float(np.mean([p.in_50 for p in own])) if own else 0.0
        cover80[c] = float(np.mean([p.in_80 for p in own])) if own else 0.0
        rps[c] = {
            "model": _mean([p.rps_model for p in own]),
            "target_baseline": _mean([p.rps_target_baseline for p in own]),
            "rate_baseline": _mean([p.rps_rate_baseline for p in own]),
        }
        items = [b for b in briers if b.convention == c]
        brier[c] = {
            "model": _mean([(b.p_model - b.met) ** 2 for b in items]),
            "target_baseline": _mean([(b.p_target_baseline - b.met) ** 2 for b in items]),
            "rate_baseline": _mean([(b.p_rate_baseline - b.met) ** 2 for b in items]),
        }
    return BacktestResult(
        conventions=tuple(conventions),
        pairs=tuple(pairs),
        coverage_50=cover50,
        coverage_80=cover80,
        mean_rps=rps,
        brier=brier,
        brier_items=tuple(briers),
        runs=runs,
        seed=seed,
    )


def _num(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def _pair_json(pair: BacktestPair) -> dict[str, Any]:
    return {
        "origin": pair.origin.isoformat(),
        "horizon": pair.horizon.isoformat(),
        "convention": pair.convention,
        "actual": pair.actual,
        "p10": pair.p10,
        "p25": pair.p25,
        "p50": pair.p50,
        "p75": pair.p75,
        "p90": pair.p90,
        "mean": _num(pair.mean),
        "rps": _num(pair.rps_model),
        "rps_target_baseline": _num(pair.rps_target_baseline),
        "rps_rate_baseline": _num(pair.rps_rate_baseline),
        "in_50": pair.in_50,
        "in_80": pair.in_80,
    }


def _summary(result: BacktestResult, convention: str) -> dict[str, Any]:
    def nums(scores: Mapping[str, float | None]) -> dict[str, float | None]:
        return {method: _num(scores[method]) for method in METHODS}

    items = [b for b in result.brier_items if b.convention == convention]
    return {
        "pairs": [_pair_json(p) for p in result.pairs if p.convention == convention],
        "coverage_50": _num(result.coverage_50[convention]),
        "coverage_80": _num(result.coverage_80[convention]),
        "in_80": sum(p.in_80 for p in result.pairs if p.convention == convention),
        "mean_rps": nums(result.mean_rps[convention]),
        "brier": nums(result.brier[convention]),
        "brier_items": [
            {
                "origin": b.origin.isoformat(),
                "target": b.target,
                "deadline": b.deadline.isoformat(),
                "met": b.met,
                "p_model": _num(b.p_model),
                "p_target_baseline": _num(b.p_target_baseline),
                "p_rate_baseline": _num(b.p_rate_baseline),
            }
            for b in items
        ],
    }


def to_json(result: BacktestResult) -> dict[str, Any]:
    """The stable JSON form: the main convention's figures at the top, every one by convention.

    ``rps`` is the model's unnormalised ranked probability score (see the module docstring).
    """
    main = result.conventions[0]
    return {
        "convention": main,
        **_summary(result, main),
        "runs": result.runs,
        "seed": result.seed,
        "rps_definition": "unnormalised: sum over k of (F(k) - 1[actual <= k])^2",
        "by_convention": {c: _summary(result, c) for c in result.conventions},
    }
