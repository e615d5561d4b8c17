"""The forecast's input: what was known at T about the programme as of D, and the priors.

Plain data, no Django, no language. A selector fills :class:`ForecastInput` from the
bitemporal records (the facts valid on ``origin`` as known at ``known_at``); the engine never
sees a record. :func:`default_parameters` gives the documented priors, each with its source and
the date it was knowable (see ``docs/methodology/forecast.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: The phases a trajectory can be in before it ends; the order is the order of progress.
OPEN_PHASES: tuple[str, ...] = ("no_initiative", "exploration", "dialogue", "negotiation")
#: Absorbing for the forecast ("ended" after signed counts as signed).
CLOSED: tuple[str, ...] = ("signed", "stopped")
#: Every state of the forecast's multi-state model, in index order.
STATES: tuple[str, ...] = OPEN_PHASES + CLOSED
#: Days per year: durations and hazards are in years of 365.25 days.
YEAR = 365.25


@dataclass(frozen=True)
class PhaseSpell:
    phase: str  # one of OPEN_PHASES
    start: date  # entry date, or the first date it was observed to hold
    left_truncated: bool  # True: `start` is only the date the phase was observed (entry earlier)
    end: date | None  # None: still in this phase at the origin (right-censored)
    exit: str | None  # the next phase (a later open phase, 'signed' or 'stopped'); None if censored


@dataclass(frozen=True)
class TrajectoryFacts:
    key: str  # trajectory slug
    spells: tuple[PhaseSpell, ...]  # in order, as known at T, cut at the origin
    state: str  # phase at the origin: an open phase, 'signed' or 'stopped'
    signed: date | None  # signing date if state == 'signed'
    counted_by: frozenset[str]  # conventions under which its signing counts / would count


@dataclass(frozen=True)
class Agreement:
    """An agreement already signed by the origin (known at T); the count at the origin."""

    key: str
    signed: date
    counted_by: frozenset[str]


@dataclass(frozen=True)
class TargetSpec:
    key: str  # target version key, e.g. "target-2015"
    value: int
    deadline: date
    convention: str  # e.g. "programme"


@dataclass(frozen=True)
class Parameter:
    """A prior or parameter, with its source and the date it was knowable."""

    name: str
    value: float
    source: str
    knowable: date


@dataclass(frozen=True)
class ForecastInput:
    """Everything the forecast uses. ``arrivals`` are the dates trajectories were first recorded.

    Only arrivals after ``arrivals_since`` and after ``cohort_until`` (when given) count as new
    trajectories: set ``cohort_until`` to the date of the first inventory (10 July 2015) so that
    the trajectories the first letter lists are not taken for a burst of arrivals; the prior
    already describes how sectors joined before it (docs/methodology/forecast.md, "Arrivals").
    """

    origin: date  # as-of D
    known_at: date  # T (for the record; the selector already filtered)
    trajectories: tuple[TrajectoryFacts, ...]
    agreements: tuple[Agreement, ...]
    arrivals: tuple[date, ...]
    arrivals_since: date
    conventions: tuple[str, ...]
    parameters: tuple[Parameter, ...] = ()  # overrides of the default priors (by name)
    cohort_until: date | None = field(default=None)

    @property
    def arrival_window_start(self) -> date:
        """Arrivals strictly after this date (and up to the origin) are new trajectories."""
        if self.cohort_until is None:
            return self.arrivals_since
        return max(self.arrivals_since, self.cohort_until)


# --- The documented priors --------------------------------------------------------------------

LETTER = "Kamerstuk 26 485, nr. 212 (10 July 2015)"
LETTER_DATE = date(2015, 7, 10)
SRA_SENT = date(2014, 11, 19)  # the letter, §1: the SRA was sent to parliament on 19 November 2014
PLANNING_FALLACY = (
    "Buehler, Griffin & Ross (1994), 'Exploring the \"planning fallacy\"', J. Pers. Soc. "
    "Psychol. 67(3), 366-381, study 1: predicted 33.9 days, took 55.5 days"
)
PLANNING_FALLACY_DATE = date(1994, 9, 1)
METHOD = "method choice (docs/methodology/forecast.md)"

_WINDOW_YEARS = (LETTER_DATE - SRA_SENT).days / YEAR  # 233 days
_SECTORS = 19  # sectors the letter's §2 describes (13 SRA sectors split out, + 2 others)

#: Prior destination shares (Dirichlet mean) per open phase; each phase's shares sum to 1.
SHARES: dict[str, dict[str, float]] = {
    "no_initiative": {
        "exploration": 0.40,
        "dialogue": 0.20,
        "negotiation": 0.05,
        "signed": 0.05,
        "stopped": 0.30,
    },
    "exploration": {"dialogue": 0.50, "negotiation": 0.20, "signed": 0.10, "stopped": 0.20},
    "dialogue": {"negotiation": 0.50, "signed": 0.40, "stopped": 0.10},
    "negotiation": {"signed": 0.90, "stopped": 0.10},
}
_SHARE_REASONS = {
    "no_initiative": (
        f"{METHOD}; {LETTER}, §2: of the three sectors without an initiative one (oil and gas) "
        "holds that company policy suffices, hence 0.3 to 'stopped'"
    ),
    "exploration": f"{METHOD}; {LETTER}, §2-3: exploring sectors move to a dialogue first",
    "dialogue": (
        f"{METHOD}; {LETTER}, §2: textile and banking went from talks to negotiations under the "
        "SER; some sectors record no separate negotiation"
    ),
    "negotiation": f"{METHOD}; {LETTER}, §2, §5: the negotiating front runners are to sign first",
}


def default_parameters(origin: date) -> tuple[Parameter, ...]:
    """The documented priors: every one knowable on or before 10 July 2015.

    Raises ``ValueError`` for an origin before that date: no documented prior was knowable
    then, and a prior from a later source would carry knowledge from after the origin.
    """
    if origin < LETTER_DATE:
        raise ValueError(
            f"origin {origin.isoformat()} precedes the first documented prior "
            f"({LETTER_DATE.isoformat()}, {LETTER})"
        )
    upstream = (
        f"{LETTER}, §1-2: 2 of the {_SECTORS} sectors described reached negotiations (textile "
        f"18 May 2015, banking 22 June 2015) in the 233 days since the SRA was sent (19 "
        f"November 2014); exposure {_SECTORS} x 233 days"
    )
    params = [
        Parameter("hazard.upstream.events", 2.0, upstream, LETTER_DATE),
        Parameter(
            "hazard.upstream.exposure_years",
            round(_SECTORS * _WINDOW_YEARS, 4),
            upstream,
            LETTER_DATE,
        ),
        Parameter(
            "hazard.negotiation.stated_years",
            round((date(2015, 12, 31) - date(2015, 6, 9)).days / YEAR, 4),
            f"{LETTER}, §2, gold: round table on 9 June 2015, 'het streven is om deze afspraken "
            "eind 2015 vast te leggen in een convenant' (205 days)",
            LETTER_DATE,
        ),
        Parameter(
            "hazard.negotiation.optimism_ratio",
            round(55.5 / 33.9, 4),
            PLANNING_FALLACY,
            PLANNING_FALLACY_DATE,
        ),
        Parameter(
            "hazard.negotiation.events",
            2.0,
            f"{METHOD}: the same prior weight (2 pseudo-events) as the phases before it",
            LETTER_DATE,
        ),
    ]
    for phase, shares in SHARES.items():
        params += [
            Parameter(f"share.{phase}.{dest}", value, _SHARE_REASONS[phase], LETTER_DATE)
            for dest, value in shares.items()
        ]
    joined = (
        f"{LETTER}, §2 ('Naast de dertien sectoren ...'): shipbuilding and tourism joined in the "
        "233 days between the SRA (19 November 2014) and the letter"
    )
    params += [
        Parameter("arrivals.events", 2.0, joined, LETTER_DATE),
        Parameter("arrivals.exposure_years", round(_WINDOW_YEARS, 4), joined, LETTER_DATE),
        Parameter(
            "entry.exploration",
            1.0,
            f"{LETTER}, §2: the sectors that joined (shipbuilding, tourism) started by exploring",
            LETTER_DATE,
        ),
        Parameter(
            "baseline.rate_window_days", 730.0, f"{METHOD}: naive rate baseline", LETTER_DATE
        ),
        Parameter(
            "baseline.rate_floor_per_year",
            0.5,
            f"{METHOD}: naive rate baseline with no signings in its window",
            LETTER_DATE,
        ),
    ]
    return tuple(params)


def resolve_parameters(data: ForecastInput) -> tuple[Parameter, ...]:
    """The defaults with the input's overrides applied (by name), checked.

    Unknown names, negative values and parameters knowable after ``known_at`` raise
    ``ValueError``: no parameter may carry knowledge from after T.
    """
    defaults = default_parameters(min(data.origin, data.known_at))
    by_name = {p.name: p for p in defaults}
    entry_names = {f"entry.{s}" for s in (*OPEN_PHASES, "signed")}
    for override in data.parameters:
        if override.name not in by_name and override.name not in entry_names:
            raise ValueError(f"parameters: unknown parameter {override.name!r}")
        by_name[override.name] = override
    for param in by_name.values():
        if not param.value >= 0:
            raise ValueError(f"parameters: {param.name} must be >= 0 (got {param.value!r})")
        if param.knowable > data.known_at:
            raise ValueError(
                f"parameters: {param.name} is knowable only from {param.knowable.isoformat()}, "
                f"after known_at {data.known_at.isoformat()}"
            )
    return tuple(by_name.values())
