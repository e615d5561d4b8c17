"""Hand-made forecast inputs for the engine's tests (no Django, no database)."""

from __future__ import annotations

from datetime import date, timedelta

from imvo.analysis.forecast import (
    Agreement,
    ForecastInput,
    Parameter,
    PhaseSpell,
    TargetSpec,
    TrajectoryFacts,
)

ORIGIN = date(2016, 1, 1)
CONVENTIONS = ("programme", "ser")
BOTH = frozenset(CONVENTIONS)


def spell(
    phase: str,
    start: date,
    end: date | None = None,
    exit: str | None = None,
    *,
    truncated: bool = False,
) -> PhaseSpell:
    return PhaseSpell(phase, start, truncated, end, exit)


def trajectory(key: str, *spells: PhaseSpell, counted: frozenset[str] = BOTH) -> TrajectoryFacts:
    last = spells[-1]
    state = last.exit or last.phase
    signed = last.end if state == "signed" else None
    return TrajectoryFacts(key, tuple(spells), state, signed, counted)


def after(day: date, days: int) -> date:
    return day + timedelta(days=days)


def programme() -> tuple[TrajectoryFacts, ...]:
    """A small programme in 2015: two signed, one stopped, six open in every phase."""
    y = date(2015, 1, 1)
    return (
        trajectory("alpha", spell("negotiation", y, after(y, 200), "signed")),
        trajectory(
            "beta",
            spell("dialogue", y, after(y, 100), "negotiation"),
            spell("negotiation", after(y, 100), after(y, 300), "signed"),
        ),
        trajectory("gamma", spell("exploration", y, after(y, 250), "stopped", truncated=True)),
        trajectory("delta", spell("negotiation", after(y, 150))),
        trajectory("epsilon", spell("dialogue", y, truncated=True)),
        trajectory("zeta", spell("dialogue", after(y, 60))),
        trajectory("eta", spell("exploration", y, truncated=True)),
        trajectory("theta", spell("no_initiative", y, truncated=True)),
        trajectory("iota", spell("exploration", after(y, 30)), counted=frozenset({"programme"})),
    )


def agreements_of(trajectories: tuple[TrajectoryFacts, ...]) -> tuple[Agreement, ...]:
    return tuple(
        Agreement(f"{t.key}-agreement", t.signed, t.counted_by)
        for t in trajectories
        if t.signed is not None
    )


def make_input(
    trajectories: tuple[TrajectoryFacts, ...] | None = None,
    *,
    origin: date = ORIGIN,
    agreements: tuple[Agreement, ...] | None = None,
    arrivals: tuple[date, ...] = (),
    parameters: tuple[Parameter, ...] = (),
    cohort_until: date | None = date(2015, 7, 10),
) -> ForecastInput:
    trajectories = programme() if trajectories is None else trajectories
    return ForecastInput(
        origin=origin,
        known_at=origin,
        trajectories=trajectories,
        agreements=agreements_of(trajectories) if agreements is None else agreements,
        arrivals=arrivals,
        arrivals_since=date(2014, 11, 24),
        conventions=CONVENTIONS,
        parameters=parameters,
        cohort_until=cohort_until,
    )


def target(value: int = 5, deadline: date = date(2017, 12, 31)) -> TargetSpec:
    return TargetSpec("target-test", value, deadline, "programme")


def no_arrivals() -> tuple[Parameter, ...]:
    """Overrides that switch the arrival of new trajectories off (a rate fixed at zero)."""
    return (Parameter("arrivals.events", 0.0, "test", date(2015, 7, 10)),)
