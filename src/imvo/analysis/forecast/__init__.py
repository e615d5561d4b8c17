"""Will the programme reach its target? A forecast from what was known at T, with its backtest.

Pure engine (NumPy; no Django, no language). A selector fills a :class:`ForecastInput` with
the facts valid on the origin D as known at T; :func:`forecast` returns, per target and
counting convention, P(target met), the count distribution at the deadline and at each
quarter end, when the target is reached, the outlook per trajectory, the pace required and
two baselines. :func:`backtest` scores forecasts made at past origins against what happened.
See ``docs/methodology/forecast.md`` for the method and the backtest's figures.
"""

from __future__ import annotations

from imvo.analysis.forecast.backtest import (
    BacktestCase,
    BacktestPair,
    BacktestResult,
    backtest,
    ranked_probability_score,
    to_json,
)
from imvo.analysis.forecast.data import (
    CLOSED,
    OPEN_PHASES,
    Agreement,
    ForecastInput,
    Parameter,
    PhaseSpell,
    TargetSpec,
    TrajectoryFacts,
    default_parameters,
)
from imvo.analysis.forecast.model import CumulativeIncidence, Posterior, aalen_johansen, estimate
from imvo.analysis.forecast.result import (
    BandPoint,
    Forecast,
    Quantiles,
    ReachDate,
    TargetForecast,
    TrajectoryOutlook,
)
from imvo.analysis.forecast.simulate import forecast

__all__ = [
    "CLOSED",
    "OPEN_PHASES",
    "Agreement",
    "BacktestCase",
    "BacktestPair",
    "BacktestResult",
    "BandPoint",
    "CumulativeIncidence",
    "Forecast",
    "ForecastInput",
    "Parameter",
    "PhaseSpell",
    "Posterior",
    "Quantiles",
    "ReachDate",
    "TargetForecast",
    "TargetSpec",
    "TrajectoryFacts",
    "TrajectoryOutlook",
    "aalen_johansen",
    "backtest",
    "default_parameters",
    "estimate",
    "forecast",
    "ranked_probability_score",
    "to_json",
]
