"""Estimation: competing-risk hazards per open phase, the arrival rate, and Aalen–Johansen.

Each open phase ``p`` has a cause-specific constant hazard ``λ[p, d]`` for every exit ``d`` (a
later open phase, 'signed', 'stopped'). The prior is Gamma(a_p, b_p) on the phase's total exit
hazard, split over the exits by a Dirichlet(a_p · w_p) on the destinations; equivalently the
``λ[p, d]`` are independent Gamma(a_p · w_pd, b_p). With a constant hazard the likelihood of
the spells is ``Π_d λ[p, d]^n_pd · exp(-Σ_d λ[p, d] · E_p)``, so the posterior is again of that
form: Gamma(a_p · w_pd + n_pd, b_p + E_p), with ``n_pd`` the observed exits and ``E_p`` the
exposure in years. Exposure runs from each spell's ``start``: for a left-truncated spell that is
the date it was first observed, which is exact for a constant hazard (the time before it is
not at risk of an observed exit). Censored spells add exposure only.

New trajectories arrive as a Poisson process whose rate has a Gamma prior updated by the
arrivals counted in the window; their first phase follows a Dirichlet over the first phases
of the trajectories that arrived in it.

:func:`aalen_johansen` is the non-parametric estimate of the cumulative incidence of
'signed' and 'stopped' from entering a phase (for the method documentation and diagnostics;
the simulation uses the parametric posterior).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np

from imvo.analysis.forecast.data import (
    CLOSED,
    OPEN_PHASES,
    STATES,
    YEAR,
    ForecastInput,
    Parameter,
    TrajectoryFacts,
)

#: The states an arriving trajectory can be first recorded in.
ENTRY_STATES: tuple[str, ...] = (*OPEN_PHASES, "signed")


def destinations(phase: str) -> tuple[str, ...]:
    """The exits of an open phase: every later open phase, then 'signed' and 'stopped'."""
    return OPEN_PHASES[OPEN_PHASES.index(phase) + 1 :] + CLOSED


@dataclass(frozen=True)
class PhasePosterior:
    """Prior and data of one open phase; the posterior hazards are Gamma(shape[d], rate)."""

    phase: str
    destinations: tuple[str, ...]
    prior_shape: tuple[float, ...]  # a_p · w_pd per destination
    prior_rate: float  # b_p, in years
    events: tuple[int, ...]  # observed exits per destination
    exposure_years: float

    @property
    def shape(self) -> tuple[float, ...]:
        return tuple(a + n for a, n in zip(self.prior_shape, self.events, strict=True))

    @property
    def rate(self) -> float:
        return self.prior_rate + self.exposure_years

    def mean_hazard(self, destination: str | None = None) -> float:
        """Posterior mean exit hazard per year (to ``destination``, or in total)."""
        if destination is None:
            return sum(self.shape) / self.rate
        return self.shape[self.destinations.index(destination)] / self.rate

    def expected_duration(self) -> float:
        """Years in the phase at the posterior mean total hazard (1 / E[Λ])."""
        total = sum(self.shape)
        return float("inf") if total == 0 else self.rate / total

    def share(self, destination: str) -> float:
        """Posterior mean share of exits going to ``destination``."""
        total = sum(self.shape)
        return self.shape[self.destinations.index(destination)] / total if total else 0.0


@dataclass(frozen=True)
class ArrivalPosterior:
    """Poisson arrivals: rate ~ Gamma(shape, rate); first state ~ Dirichlet(entry)."""

    prior_shape: float
    prior_rate: float  # years
    events: int  # arrivals counted in the window
    exposure_years: float  # length of the window
    entry: tuple[float, ...]  # Dirichlet weights over ENTRY_STATES (prior + first states seen)

    @property
    def shape(self) -> float:
        return self.prior_shape + self.events

    @property
    def rate(self) -> float:
        return self.prior_rate + self.exposure_years

    def mean_rate(self) -> float:
        return self.shape / self.rate


@dataclass(frozen=True)
class Posterior:
    phases: tuple[PhasePosterior, ...]  # in OPEN_PHASES order
    arrivals: ArrivalPosterior

    def phase(self, name: str) -> PhasePosterior:
        return self.phases[OPEN_PHASES.index(name)]

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Posterior Gamma shapes (open phases x STATES, zero where no exit) and rates."""
        shape = np.zeros((len(OPEN_PHASES), len(STATES)))
        for i, post in enumerate(self.phases):
            for dest, value in zip(post.destinations, post.shape, strict=True):
                shape[i, STATES.index(dest)] = value
        rate = np.array([post.rate for post in self.phases])
        return shape, rate


def _years(start: date, end: date) -> float:
    return (end - start).days / YEAR


def _phase_priors(values: Mapping[str, float]) -> dict[str, tuple[float, float, dict[str, float]]]:
    """(a_p, b_p, normalised shares) per open phase from the named parameters."""
    upstream = (values["hazard.upstream.events"], values["hazard.upstream.exposure_years"])
    events = values["hazard.negotiation.events"]
    mean_years = (
        values["hazard.negotiation.stated_years"] * values["hazard.negotiation.optimism_ratio"]
    )
    priors = {}
    for phase in OPEN_PHASES:
        a, b = (events, events * mean_years) if phase == "negotiation" else upstream
        raw = {dest: values[f"share.{phase}.{dest}"] for dest in destinations(phase)}
        total = sum(raw.values())
        if total <= 0:
            raise ValueError(f"parameters: the shares of {phase!r} sum to zero")
        if b <= 0 and a > 0:
            raise ValueError(f"parameters: the prior exposure of {phase!r} must be > 0")
        priors[phase] = (a, b, {dest: v / total for dest, v in raw.items()})
    return priors


def first_state(facts: TrajectoryFacts) -> tuple[str, date] | None:
    """The state a trajectory was first recorded in, and when."""
    if facts.spells:
        return facts.spells[0].phase, facts.spells[0].start
    if facts.state == "signed" and facts.signed is not None:
        return "signed", facts.signed
    return None


def estimate(data: ForecastInput, parameters: Iterable[Parameter]) -> Posterior:
    """The posterior of every phase's hazards and of the arrivals, from the input's facts."""
    values = {p.name: p.value for p in parameters}
    priors = _phase_priors(values)
    events = {p: dict.fromkeys(destinations(p), 0) for p in OPEN_PHASES}
    exposure = dict.fromkeys(OPEN_PHASES, 0.0)
    for facts in data.trajectories:
        for spell in facts.spells:
            exposure[spell.phase] += _years(spell.start, spell.end or data.origin)
            if spell.exit is not None:
                events[spell.phase][spell.exit] += 1
    phases = []
    for phase in OPEN_PHASES:
        a, b, shares = priors[phase]
        dests = destinations(phase)
        phases.append(
            PhasePosterior(
                phase=phase,
                destinations=dests,
                prior_shape=tuple(a * shares[d] for d in dests),
                prior_rate=b,
                events=tuple(events[phase][d] for d in dests),
                exposure_years=exposure[phase],
            )
        )
    since = data.arrival_window_start
    entry = [values.get(f"entry.{state}", 0.0) for state in ENTRY_STATES]
    for facts in data.trajectories:
        first = first_state(facts)
        if first is not None and since < first[1] <= data.origin and first[0] in ENTRY_STATES:
            entry[ENTRY_STATES.index(first[0])] += 1
    if sum(entry) <= 0:
        raise ValueError("parameters: the entry weights of arriving trajectories sum to zero")
    arrivals = ArrivalPosterior(
        prior_shape=values["arrivals.events"],
        prior_rate=values["arrivals.exposure_years"],
        events=sum(1 for day in data.arrivals if since < day <= data.origin),
        exposure_years=max(0.0, _years(since, data.origin)),
        entry=tuple(entry),
    )
    if arrivals.rate <= 0 and arrivals.shape > 0:
        raise ValueError("parameters: arrivals.exposure_years must be > 0")
    return Posterior(tuple(phases), arrivals)


# --- Aalen–Johansen ------------------------------------------------------------------------


@dataclass(frozen=True)
class CumulativeIncidence:
    """Aalen–Johansen estimate of reaching 'signed' / 'stopped' from entering ``phase``.

    ``times`` are the distinct event times in years since entering the phase; ``signed[i]``
    and ``stopped[i]`` hold just after ``times[i]``. ``subjects``: spells that entered.
    """

    phase: str
    times: tuple[float, ...]
    signed: tuple[float, ...]
    stopped: tuple[float, ...]
    subjects: int

    def at(self, years: float) -> tuple[float, float]:
        """(CIF signed, CIF stopped) at ``years`` since entry (a step function)."""
        i = int(np.searchsorted(np.asarray(self.times), years, side="right")) - 1
        return (0.0, 0.0) if i < 0 else (self.signed[i], self.stopped[i])


def _path(facts: TrajectoryFacts, k: int, origin: date) -> tuple[list, float]:
    """Transitions (time, from, to) from spell ``k`` on, and the censoring time (inf if closed)."""
    start = facts.spells[k].start
    moves = []
    for spell in facts.spells[k:]:
        if spell.exit is None:
            return moves, _years(start, origin)
        moves.append(
            (_years(start, spell.end), STATES.index(spell.phase), STATES.index(spell.exit))
        )
    return moves, float("inf")


def aalen_johansen(
    trajectories: Iterable[TrajectoryFacts],
    phase: str,
    origin: date,
    *,
    left_truncated: Literal["include", "exclude"] = "include",
) -> CumulativeIncidence:
    """The multi-state Aalen–Johansen estimator on time since entering ``phase``.

    Every spell in ``phase`` starts a subject at time 0 and is followed through the later
    phases until it is absorbed or censored at the origin. Left-truncated spells enter at their
    observed start ("include", exact only under a constant hazard) or are left out
    ("exclude"). At tied times, exits are applied from the earliest phase on, and censoring
    after the exits.
    """
    subjects = []
    for facts in trajectories:
        for k, spell in enumerate(facts.spells):
            if spell.phase == phase and not (spell.left_truncated and left_truncated == "exclude"):
                subjects.append(_path(facts, k, origin))
    n_states = len(STATES)
    start = STATES.index(phase)
    times = sorted({t for moves, _ in subjects for t, _, _ in moves})
    prob = np.zeros(n_states)
    prob[start] = 1.0
    out_t, out_signed, out_stopped = [], [], []
    for t in times:
        for source in range(start, len(OPEN_PHASES)):
            at_risk = 0
            exits = np.zeros(n_states)
            for moves, censor in subjects:
                entered = 0.0 if source == start else None
                left = censor
                for when, src, dst in moves:
                    if dst == source:
                        entered = when
                    if src == source:
                        left = when
                if entered is None or not entered <= t <= min(left, censor):
                    continue
                at_risk += 1
                for when, src, dst in moves:
                    if when == t and src == source:
                        exits[dst] += 1
            if at_risk and exits.any():
                moved = prob[source] * exits / at_risk
                prob[source] -= moved.sum()
                prob += moved
        out_t.append(t)
        out_signed.append(float(prob[STATES.index("signed")]))
        out_stopped.append(float(prob[STATES.index("stopped")]))
    return CumulativeIncidence(
        phase, tuple(out_t), tuple(out_signed), tuple(out_stopped), len(subjects)
    )
