"""The forecast: determinism, refusals, consistency of its figures, and what moves them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from imvo.analysis.forecast import (
    Agreement,
    Parameter,
    TargetSpec,
    default_parameters,
    forecast,
)
from imvo.analysis.forecast.data import LETTER_DATE, resolve_parameters
from imvo.analysis.forecast.simulate import quarter_ends

from .inputs import (
    ORIGIN,
    after,
    agreements_of,
    make_input,
    no_arrivals,
    programme,
    spell,
    target,
    trajectory,
)

RUNS = 4000


def run(data=None, targets=None, **kwargs):
    return forecast(data or make_input(), targets or [target()], runs=RUNS, **kwargs)


def test_the_same_seed_gives_the_same_forecast_and_another_seed_a_close_one() -> None:
    first, again = run(seed=7), run(seed=7)
    assert first == again
    other = run(seed=8)
    assert other != first
    a, b = first.targets[0], other.targets[0]
    assert a.p_target_met != b.p_target_met or a.distribution != b.distribution
    assert abs(a.p_target_met - b.p_target_met) < 0.05
    assert abs(a.count_at_deadline.mean - b.count_at_deadline.mean) < 0.2


@pytest.mark.parametrize("runs", [0, -5, 10_000_001, 2.5, True])
def test_runs_outside_one_to_ten_million_are_refused(runs) -> None:
    with pytest.raises(ValueError, match="runs"):
        forecast(make_input(), [target()], runs=runs)


def test_one_run_is_enough() -> None:
    assert forecast(make_input(), [target()], runs=1).runs == 1


@pytest.mark.parametrize(
    ("plant", "field"),
    [
        (
            lambda d: replace(
                d,
                trajectories=(
                    trajectory(
                        "late", spell("negotiation", date(2015, 3, 1), after(ORIGIN, 30), "signed")
                    ),
                    *d.trajectories,
                ),
            ),
            "trajectories[0] (late).spells[0].end",
        ),
        (
            lambda d: replace(
                d,
                trajectories=(
                    *d.trajectories,
                    trajectory("new", spell("dialogue", after(ORIGIN, 1))),
                ),
            ),
            "trajectories[9] (new).spells[0].start",
        ),
        (
            lambda d: replace(
                d, agreements=(*d.agreements, Agreement("later", after(ORIGIN, 200), frozenset()))
            ),
            "agreements[2] (later).signed",
        ),
        (lambda d: replace(d, arrivals=(after(ORIGIN, 10),)), "arrivals[0]"),
    ],
)
def test_a_fact_from_after_the_origin_is_refused_naming_its_field(plant, field) -> None:
    with pytest.raises(ValueError) as caught:
        forecast(plant(make_input()), [target()], runs=10)
    assert field in str(caught.value)
    assert "after the origin 2016-01-01" in str(caught.value)


def test_inconsistent_spells_are_refused() -> None:
    june = date(2015, 6, 1)
    backwards = trajectory(
        "back",
        spell("negotiation", date(2015, 1, 1), june, "dialogue"),
        spell("dialogue", june),
    )
    with pytest.raises(ValueError, match=r"spells\[0\]\.exit: 'dialogue' does not follow"):
        forecast(make_input((backwards,)), [target()], runs=10)
    gap = trajectory(
        "gap",
        spell("dialogue", date(2015, 1, 1), june, "negotiation"),
        spell("exploration", june),
    )
    with pytest.raises(ValueError, match="next spell is another phase"):
        forecast(make_input((gap,)), [target()], runs=10)


def test_no_default_parameter_is_knowable_after_the_origin() -> None:
    for origin in (LETTER_DATE, date(2016, 6, 17), date(2019, 6, 11)):
        params = default_parameters(origin)
        assert params and all(p.knowable <= origin for p in params)
        assert all(p.source for p in params)
    with pytest.raises(ValueError, match="precedes the first documented prior"):
        default_parameters(date(2015, 7, 9))
    # the forecast itself reports the parameters it used
    assert {p.name for p in run().parameters} == {p.name for p in default_parameters(ORIGIN)}


def test_a_parameter_knowable_after_known_at_is_refused() -> None:
    later = Parameter("hazard.negotiation.events", 9.0, "hindsight", after(ORIGIN, 1))
    with pytest.raises(ValueError, match="knowable only from 2016-01-02"):
        run(make_input(parameters=(later,)))
    with pytest.raises(ValueError, match="unknown parameter"):
        resolve_parameters(make_input(parameters=(Parameter("x", 1, "s", ORIGIN),)))


def test_p_target_met_falls_as_the_target_rises() -> None:
    targets = [target(value) for value in range(0, 12)]
    result = forecast(make_input(), targets, runs=RUNS)
    own = [t for t in result.targets if t.convention == "programme"]
    chances = [t.p_target_met for t in own]
    assert chances[0] == 1.0
    assert chances == sorted(chances, reverse=True)
    assert chances[-1] < chances[3]


def test_quantiles_agree_with_the_distribution() -> None:
    for item in run().targets:
        probs = np.array(item.distribution)
        assert probs.sum() == pytest.approx(1.0)
        cdf = np.cumsum(probs)
        q = item.count_at_deadline
        for level, k in zip(
            (0.1, 0.25, 0.5, 0.75, 0.9), (q.p10, q.p25, q.p50, q.p75, q.p90), strict=True
        ):
            assert cdf[k] >= level - 1e-9
            assert k == 0 or cdf[k - 1] < level
        assert q.mean == pytest.approx(float(np.dot(np.arange(len(probs)), probs)))
        assert item.p_target_met == pytest.approx(probs[item.target.value :].sum())


def test_bands_run_by_quarter_and_never_fall() -> None:
    item = run(until=date(2018, 12, 31)).targets[0]
    days = [b.date for b in item.bands]
    assert days[0] == date(2016, 3, 31) and days[-1] == date(2018, 12, 31)
    assert len(days) == 12
    for name in ("p10", "p25", "p50", "p75", "p90", "mean"):
        values = [getattr(b.quantiles, name) for b in item.bands]
        assert values == sorted(values), name
    at_deadline = next(b for b in item.bands if b.date == item.target.deadline)
    assert at_deadline.quantiles == item.count_at_deadline
    assert quarter_ends(date(2016, 2, 10), date(2016, 8, 15)) == (
        date(2016, 3, 31),
        date(2016, 6, 30),
        date(2016, 8, 15),
    )


def test_bands_end_at_the_deadline_or_until_whichever_is_later() -> None:
    early = target(3, date(2016, 12, 31))
    late = target(6, date(2019, 12, 31))
    result = forecast(make_input(), [early, late], runs=200, until=date(2017, 8, 15))
    ends = {(t.target.deadline, t.convention): t.bands[-1].date for t in result.targets}
    assert ends[(early.deadline, "programme")] == date(2017, 8, 15)
    assert ends[(late.deadline, "ser")] == date(2019, 12, 31)


def test_one_forecast_per_target_and_convention_the_targets_own_first() -> None:
    ser_target = TargetSpec("ser-target", 4, date(2017, 12, 31), "ser")
    result = forecast(make_input(), [target(), ser_target], runs=200)
    assert [(t.target.key, t.convention) for t in result.targets] == [
        ("target-test", "programme"),
        ("target-test", "ser"),
        ("ser-target", "ser"),
        ("ser-target", "programme"),
    ]
    assert result.target("ser-target").convention == "ser"


def test_achieved_pace_and_baselines_by_hand() -> None:
    item = run().targets[0]
    assert item.achieved == 2  # alpha and beta signed in 2015
    quarters = (date(2017, 12, 31) - ORIGIN).days / (365.25 / 4)
    assert item.required_per_quarter == pytest.approx(3 / quarters)
    assert item.baseline_target.p50 == 5 and item.baseline_target.mean == 5.0
    # two signings in the 730 days before the origin: 1.0 a year, for 2.0 years
    assert item.baseline_rate_per_year == pytest.approx(2 / (730 / 365.25))
    years = (date(2017, 12, 31) - ORIGIN).days / 365.25
    assert item.baseline_rate.mean == pytest.approx(
        2 + item.baseline_rate_per_year * years, abs=1e-6
    )
    assert run(targets=[target(2)]).targets[0].required_per_quarter == 0.0


def test_a_passed_deadline_is_a_known_count() -> None:
    passed = TargetSpec("old", 3, date(2015, 9, 30), "programme")
    item = forecast(make_input(), [passed], runs=100, until=date(2016, 12, 31)).targets[0]
    assert item.deadline_passed
    assert item.count_at_deadline.p50 == 1 and item.p_target_met == 0.0  # only alpha by then
    assert item.required_per_quarter is None
    assert [b.date for b in item.bands][-1] == date(2016, 12, 31)
    met = forecast(make_input(), [replace(passed, value=1)], runs=100).targets[0]
    assert met.required_per_quarter == 0.0 and met.reach.p50 == date(2015, 7, 20)


def test_a_target_already_reached_dates_its_reaching() -> None:
    item = run(targets=[target(2)]).targets[0]
    assert item.p_target_met == 1.0
    assert item.reach == replace(item.reach, p10=date(2015, 10, 28), p50=date(2015, 10, 28))
    assert item.reach.share_reached == 1.0


def test_reach_dates_are_ordered_and_inside_the_span() -> None:
    item = run(until=date(2025, 12, 31)).targets[0]
    reach = item.reach
    assert 0.5 < reach.share_reached <= 1.0
    assert ORIGIN < reach.p10 <= reach.p50
    assert reach.p90 is None or reach.p50 <= reach.p90 <= date(2025, 12, 31)


def test_trajectories_nearer_signing_are_likelier_to_sign() -> None:
    item = run().targets[0]
    chance = {t.key: t.p_signed_by_deadline for t in item.trajectories}
    assert set(chance) == {"delta", "epsilon", "zeta", "eta", "theta", "iota"}
    assert chance["delta"] > chance["epsilon"] > chance["eta"] > chance["theta"]
    decisive = [t.decisiveness for t in item.trajectories]
    assert decisive == sorted(decisive, reverse=True)
    assert item.trajectories[0].key == "delta"
    delta = item.trajectories[0]
    assert delta.expected_signing is not None and delta.expected_signing > ORIGIN
    # under 'ser' iota does not count
    ser = next(t for t in run().targets if t.convention == "ser")
    assert "iota" not in {t.key for t in ser.trajectories}


def test_arrivals_add_to_every_convention() -> None:
    quiet = make_input(parameters=no_arrivals())
    busy = make_input(arrivals=tuple(after(date(2015, 7, 10), d) for d in (20, 60, 90, 120, 150)))
    for convention in ("programme", "ser"):
        low = next(t for t in run(quiet).targets if t.convention == convention)
        high = next(t for t in run(busy).targets if t.convention == convention)
        assert high.count_at_deadline.mean > low.count_at_deadline.mean + 0.3


def test_a_history_of_quick_signings_raises_the_forecast() -> None:
    base = programme()
    start = date(2014, 12, 1)
    quick = tuple(
        trajectory(f"quick{i}", spell("dialogue", start, after(start, 120 + 10 * i), "signed"))
        for i in range(6)
    )
    faster = make_input(base + quick, agreements=agreements_of(base))
    slow = run(make_input(parameters=no_arrivals())).targets[0]
    fast = run(replace(faster, parameters=no_arrivals())).targets[0]
    assert fast.p_target_met > slow.p_target_met
    assert fast.count_at_deadline.mean > slow.count_at_deadline.mean + 0.5


def _cut(history: list[tuple[str, list[tuple[date, str]]]], origin: date):
    """Phase changes (date, phase) per trajectory, cut at ``origin`` as a selector would."""
    trajectories = []
    for key, changes in history:
        seen = [c for c in changes if c[0] <= origin]
        spells = []
        for i, (day, phase) in enumerate(seen):
            if phase in ("signed", "stopped"):
                break
            nxt = seen[i + 1] if i + 1 < len(seen) else (None, None)
            spells.append(spell(phase, day, nxt[0], nxt[1]))
        trajectories.append(trajectory(key, *spells))
    return make_input(tuple(trajectories))


def test_a_later_fact_leaves_the_forecast_at_t_unchanged() -> None:
    """The same programme with and without what happened after the origin: once cut at T the
    inputs are equal and so are the forecasts; uncut, the later facts are refused."""
    known = [
        ("a", [(date(2015, 1, 1), "dialogue"), (date(2015, 6, 1), "negotiation")]),
        ("b", [(date(2015, 3, 1), "exploration")]),
    ]
    later = [
        ("a", [*known[0][1], (date(2016, 5, 1), "signed")]),
        ("b", [*known[1][1], (date(2016, 2, 1), "dialogue"), (date(2017, 1, 1), "signed")]),
    ]
    early, full = _cut(known, ORIGIN), _cut(later, ORIGIN)
    assert early == full
    assert run(early, seed=3) == run(full, seed=3)
    uncut = replace(_cut(later, date(2016, 6, 1)), origin=ORIGIN, known_at=ORIGIN)
    with pytest.raises(ValueError, match=r"trajectories\[0\] \(a\)\.spells\[1\]\.end"):
        run(uncut)
