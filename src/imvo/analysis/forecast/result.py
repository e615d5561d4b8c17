"""The forecast's output: plain data, no language, no prose.

Counts are whole agreements under one counting convention. Quantiles of a count are read off
its distribution: ``p10`` is the smallest count ``k`` with ``P(count <= k) >= 0.10`` (and so
on), so that they agree exactly with ``distribution``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from imvo.analysis.forecast.data import Parameter, TargetSpec
from imvo.analysis.forecast.model import Posterior

LEVELS = (0.10, 0.25, 0.50, 0.75, 0.90)


@dataclass(frozen=True)
class Quantiles:
    p10: int
    p25: int
    p50: int
    p75: int
    p90: int
    mean: float

    @classmethod
    def point(cls, value: int) -> Quantiles:
        return cls(value, value, value, value, value, float(value))

    @classmethod
    def of(cls, probabilities: np.ndarray) -> Quantiles:
        """Quantiles of a distribution over 0..K (``probabilities[k] = P(count = k)``)."""
        probs = np.asarray(probabilities, dtype=float)
        cdf = np.cumsum(probs)
        cdf /= cdf[-1]
        ks = [int(np.searchsorted(cdf, level - 1e-12, side="left")) for level in LEVELS]
        mean = float(np.dot(np.arange(len(probs)), probs) / probs.sum())
        return cls(*ks, mean=mean)

    def covers(self, value: int, width: float) -> bool:
        """Whether ``value`` lies in the central ``width`` band (0.5: p25-p75, 0.8: p10-p90)."""
        if width == 0.5:
            return self.p25 <= value <= self.p75
        if width == 0.8:
            return self.p10 <= value <= self.p90
        raise ValueError("width must be 0.5 or 0.8")


def distribution_of(counts: np.ndarray) -> np.ndarray:
    """P(count = k) for k = 0..max from simulated counts (non-negative integers)."""
    return np.bincount(np.asarray(counts, dtype=np.int64)) / len(counts)


@dataclass(frozen=True)
class BandPoint:
    date: date
    quantiles: Quantiles


@dataclass(frozen=True)
class ReachDate:
    """When the count first reaches the target value: percentiles over the runs.

    Runs that do not reach it within the simulated span count as "later than any date", so a
    percentile is ``None`` when more runs than its level fail to reach it in time.
    """

    p10: date | None
    p50: date | None
    p90: date | None
    share_reached: float


@dataclass(frozen=True)
class TrajectoryOutlook:
    key: str
    p_signed_by_deadline: float
    expected_signing: date | None  # median signing date among runs signing within the span
    p_signed_in_span: float = 0.0  # share of runs in which it signs within the simulated span
    decisiveness: float = 0.0  # P(the target is met only thanks to it): it signs by the deadline
    # and the count there is exactly the target (removing it would miss the target)


@dataclass(frozen=True)
class TargetForecast:
    target: TargetSpec
    convention: str
    achieved: int  # counted at the origin
    p_target_met: float
    count_at_deadline: Quantiles
    distribution: tuple[float, ...]  # P(count at the deadline = k), k = 0..K
    bands: tuple[BandPoint, ...]  # quarter ends after the origin, up to the deadline / `until`
    reach: ReachDate
    trajectories: tuple[TrajectoryOutlook, ...]  # most decisive first, then by p(1 - p)
    required_per_quarter: float | None  # None: the deadline has passed and it was not met
    baseline_target: Quantiles  # the target as a point forecast at the deadline
    baseline_rate: Quantiles  # achieved + Poisson(recent rate x years), at the deadline
    baseline_rate_per_year: float = 0.0  # the rate behind baseline_rate
    deadline_passed: bool = False  # the count at the deadline is known, not forecast


@dataclass(frozen=True)
class Forecast:
    origin: date
    known_at: date
    runs: int
    seed: int
    parameters: tuple[Parameter, ...]
    targets: tuple[TargetForecast, ...]
    posterior: Posterior | None = None  # the estimated hazards and arrival rate behind it

    def target(self, key: str, convention: str | None = None) -> TargetForecast:
        """The forecast of target ``key`` (under its own convention unless one is named)."""
        for item in self.targets:
            if item.target.key == key and (convention or item.target.convention) == item.convention:
                return item
        raise KeyError((key, convention))
