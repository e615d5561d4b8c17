"""The two baselines beside the model: the target itself, and a naive rate of recent signings.

- **Target baseline**: a point mass. At the target's deadline it is the target value; at a
  horizon before it, the straight line from the count at the origin to the target at its
  deadline, rounded to the nearest whole agreement (halves up); after the deadline, the target
  value. Never below the count at the origin. Without a target in force there is none.
- **Rate baseline**: the count at the origin plus a Poisson number of new signings with mean
  ``rate x years ahead``; ``rate`` = the signings counted in the 730 days before the origin
  (origin included) / 2 years, or 0.5 a year when there were none.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta

import numpy as np

from imvo.analysis.forecast.data import YEAR, Agreement, TargetSpec

RATE_WINDOW_DAYS = 730
RATE_FLOOR_PER_YEAR = 0.5


def count_at(agreements: Iterable[Agreement], convention: str, day: date) -> int:
    """Agreements counted under ``convention`` and signed on or before ``day``."""
    return sum(1 for a in agreements if convention in a.counted_by and a.signed <= day)


def target_point(target: TargetSpec, origin: date, achieved: int, horizon: date) -> int:
    """The target baseline's count at ``horizon`` (see the module docstring)."""
    if horizon >= target.deadline or target.deadline <= origin:
        return max(achieved, target.value)
    share = (horizon - origin).days / (target.deadline - origin).days
    value = achieved + (target.value - achieved) * max(0.0, share)
    return max(achieved, math.floor(value + 0.5))


def recent_rate(
    agreements: Iterable[Agreement],
    convention: str,
    origin: date,
    *,
    window_days: float = RATE_WINDOW_DAYS,
    floor: float = RATE_FLOOR_PER_YEAR,
) -> float:
    """Signings a year counted under ``convention`` in the window before the origin."""
    since = origin - timedelta(days=window_days)
    recent = sum(1 for a in agreements if convention in a.counted_by and since < a.signed <= origin)
    return recent / (window_days / YEAR) if recent else floor


def poisson_pmf(mean: float, upto: int) -> np.ndarray:
    """P(N = k), k = 0..upto, for N ~ Poisson(mean), computed in log space."""
    k = np.arange(upto + 1)
    if mean <= 0:
        out = np.zeros(upto + 1)
        out[0] = 1.0
        return out
    logs = k * math.log(mean) - mean - np.array([math.lgamma(i + 1) for i in k])
    return np.exp(logs)


def poisson_support(mean: float) -> int:
    """A count beyond which a Poisson(mean) has negligible mass (< 1e-12)."""
    return int(mean + 12 * math.sqrt(mean + 1) + 20)


def rate_distribution(achieved: int, rate: float, years: float) -> np.ndarray:
    """P(count = k), k = 0..K: ``achieved`` plus Poisson(rate x years) new signings."""
    mean = rate * max(0.0, years)
    extra = poisson_pmf(mean, poisson_support(mean))
    return np.concatenate([np.zeros(achieved), extra / extra.sum()])


def point_distribution(value: int) -> np.ndarray:
    out = np.zeros(value + 1)
    out[value] = 1.0
    return out
