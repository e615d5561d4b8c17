"""Estimation: conjugate hazards per phase, censoring, left truncation, arrivals, Aalen–Johansen."""

from __future__ import annotations

from datetime import date

import pytest

from imvo.analysis.forecast import aalen_johansen, estimate
from imvo.analysis.forecast.data import YEAR, Parameter, resolve_parameters
from imvo.analysis.forecast.model import destinations

from .inputs import ORIGIN, after, make_input, spell, trajectory

START = date(2012, 1, 1)


def posterior_of(trajectories, **kwargs):
    data = make_input(tuple(trajectories), agreements=(), **kwargs)
    return estimate(data, resolve_parameters(data))


def test_the_posterior_is_the_conjugate_update_of_the_prior() -> None:
    trajectories = [
        trajectory("a", spell("negotiation", START, after(START, 365), "signed")),
        trajectory("b", spell("negotiation", START, after(START, 730), "stopped")),
        trajectory("c", spell("negotiation", after(ORIGIN, -100))),  # censored at the origin
    ]
    post = posterior_of(trajectories).phase("negotiation")
    assert post.destinations == ("signed", "stopped")
    assert post.events == (1, 1)
    assert post.exposure_years == pytest.approx((365 + 730 + 100) / YEAR)
    # prior: 2 pseudo-events, mean duration 205 days x 55.5/33.9, split 0.9 / 0.1
    prior_rate = 2 * (205 / YEAR) * round(55.5 / 33.9, 4)
    assert post.prior_rate == pytest.approx(round(205 / YEAR, 4) * round(55.5 / 33.9, 4) * 2)
    assert post.prior_shape == pytest.approx((1.8, 0.2))
    assert post.shape == pytest.approx((2.8, 1.2))
    assert post.rate == pytest.approx(prior_rate + (1195 / YEAR), rel=1e-4)
    assert post.mean_hazard("signed") == pytest.approx(2.8 / post.rate)
    assert post.share("signed") == pytest.approx(0.7)


def test_more_signings_mean_shorter_expected_durations() -> None:
    quick = [
        trajectory(f"t{i}", spell("dialogue", START, after(START, 180), "signed")) for i in range(1)
    ]
    many = [
        trajectory(f"t{i}", spell("dialogue", START, after(START, 180), "signed")) for i in range(6)
    ]
    one = posterior_of(quick).phase("dialogue")
    six = posterior_of(many).phase("dialogue")
    prior = posterior_of([]).phase("dialogue")
    assert six.expected_duration() < one.expected_duration() < prior.expected_duration()
    assert six.mean_hazard("signed") > one.mean_hazard("signed") > prior.mean_hazard("signed")
    slow = [
        trajectory(f"t{i}", spell("dialogue", START, after(START, 1800), "signed"))
        for i in range(6)
    ]
    assert posterior_of(slow).phase("dialogue").expected_duration() > six.expected_duration()


def test_censoring_gives_longer_durations_than_taking_the_censored_for_events() -> None:
    begun = [after(ORIGIN, -d) for d in (400, 500, 600)]
    censored = [trajectory(f"t{i}", spell("negotiation", b)) for i, b in enumerate(begun)]
    as_events = [
        trajectory(f"t{i}", spell("negotiation", b, ORIGIN, "signed")) for i, b in enumerate(begun)
    ]
    open_post = posterior_of(censored).phase("negotiation")
    event_post = posterior_of(as_events).phase("negotiation")
    assert open_post.exposure_years == pytest.approx(event_post.exposure_years)
    assert open_post.events == (0, 0) and event_post.events == (3, 0)
    assert open_post.expected_duration() > event_post.expected_duration()


def test_a_left_truncated_spell_counts_exposure_from_when_it_was_observed() -> None:
    seen = date(2015, 7, 10)
    post = posterior_of([trajectory("t", spell("dialogue", seen, truncated=True))])
    assert post.phase("dialogue").exposure_years == pytest.approx((ORIGIN - seen).days / YEAR)
    # The same spell known from its real start (two years earlier) adds that time at risk.
    known = posterior_of([trajectory("t", spell("dialogue", after(seen, -730)))])
    assert known.phase("dialogue").exposure_years == pytest.approx(
        (ORIGIN - after(seen, -730)).days / YEAR
    )
    assert known.phase("dialogue").expected_duration() > post.phase("dialogue").expected_duration()


def test_arrivals_after_the_inventory_update_the_rate() -> None:
    joined = [date(2015, 3, 1), date(2015, 7, 10), date(2015, 9, 1), date(2015, 12, 1)]
    trajectories = [
        trajectory("late", spell("dialogue", date(2015, 9, 1))),
        trajectory("later", spell("exploration", date(2015, 12, 1), truncated=True)),
        trajectory("cohort", spell("dialogue", date(2015, 7, 10), truncated=True)),
    ]
    post = posterior_of(trajectories, arrivals=tuple(joined)).arrivals
    assert post.events == 2  # 2015-03-01 and 2015-07-10 belong to the first inventory
    assert post.exposure_years == pytest.approx((ORIGIN - date(2015, 7, 10)).days / YEAR)
    assert post.shape == pytest.approx(4.0)
    # entry weights over (no_initiative, exploration, dialogue, negotiation, signed)
    assert post.entry == pytest.approx((0.0, 2.0, 1.0, 0.0, 0.0))
    without_cohort = posterior_of(trajectories, arrivals=tuple(joined), cohort_until=None)
    assert without_cohort.arrivals.events == 4


def test_every_phase_exits_forward_only() -> None:
    assert destinations("no_initiative") == (
        "exploration",
        "dialogue",
        "negotiation",
        "signed",
        "stopped",
    )
    assert destinations("negotiation") == ("signed", "stopped")


def test_shares_that_sum_to_zero_are_refused() -> None:
    zero = tuple(
        Parameter(f"share.negotiation.{d}", 0.0, "test", date(2015, 7, 10))
        for d in ("signed", "stopped")
    )
    with pytest.raises(ValueError, match="shares of 'negotiation'"):
        posterior_of([], parameters=zero)


# --- Aalen–Johansen on examples computed by hand -------------------------------------------


def _years(n: float) -> date:
    return after(START, round(n * YEAR))


def test_aalen_johansen_competing_risks_by_hand() -> None:
    """Four negotiations: signed at 1, censored at 2, stopped at 3, signed at 4 (years).

    t=1: 4 at risk, 1 signs        -> signed 1/4, still 3/4
    t=3: 2 at risk (one censored), 1 stops -> stopped 3/4 x 1/2 = 3/8, still 3/8
    t=4: 1 at risk, signs          -> signed 1/4 + 3/8 = 5/8
    """
    origin = _years(2)  # the second subject is censored at the origin
    subjects = [
        trajectory("a", spell("negotiation", START, _years(1), "signed")),
        trajectory("b", spell("negotiation", START)),
        trajectory("c", spell("negotiation", _years(-1), _years(2), "stopped")),
        trajectory("d", spell("negotiation", _years(-2), _years(2), "signed")),
    ]
    ci = aalen_johansen(subjects, "negotiation", origin)
    assert ci.subjects == 4
    assert ci.times == pytest.approx((1.0, 3.0, 4.0), abs=0.01)
    assert ci.signed == pytest.approx((1 / 4, 1 / 4, 5 / 8))
    assert ci.stopped == pytest.approx((0.0, 3 / 8, 3 / 8))
    assert ci.at(0.5) == (0.0, 0.0)
    assert ci.at(3.5) == pytest.approx((1 / 4, 3 / 8))


def test_aalen_johansen_through_a_later_phase_by_hand() -> None:
    """From dialogue. A: to negotiation at 1, signed at 2. B: signed at 1.5. C: censored at 3.
    D: stopped at 2.5.

    t=1:   4 in dialogue, A leaves    -> dialogue 3/4, negotiation 1/4
    t=1.5: 3 in dialogue, B signs     -> signed 3/4 x 1/3 = 1/4, dialogue 1/2
    t=2:   1 in negotiation, A signs  -> signed 1/4 + 1/4 = 1/2
    t=2.5: 2 in dialogue, D stops     -> stopped 1/2 x 1/2 = 1/4, dialogue 1/4
    """
    origin = _years(3)
    subjects = [
        trajectory(
            "a",
            spell("dialogue", START, _years(1), "negotiation"),
            spell("negotiation", _years(1), _years(2), "signed"),
        ),
        trajectory("b", spell("dialogue", START, _years(1.5), "signed")),
        trajectory("c", spell("dialogue", START)),
        trajectory("d", spell("dialogue", START, _years(2.5), "stopped")),
    ]
    ci = aalen_johansen(subjects, "dialogue", origin)
    assert ci.times == pytest.approx((1.0, 1.5, 2.0, 2.5), abs=0.01)
    assert ci.signed == pytest.approx((0.0, 1 / 4, 1 / 2, 1 / 2))
    assert ci.stopped == pytest.approx((0.0, 0.0, 0.0, 1 / 4))
    # From negotiation only A entered: it signed.
    assert aalen_johansen(subjects, "negotiation", origin).signed == pytest.approx((1.0,))


def test_aalen_johansen_can_leave_left_truncated_spells_out() -> None:
    subjects = [
        trajectory("a", spell("dialogue", START, _years(1), "signed")),
        trajectory("b", spell("dialogue", START, _years(2), "stopped", truncated=True)),
    ]
    included = aalen_johansen(subjects, "dialogue", _years(3))
    excluded = aalen_johansen(subjects, "dialogue", _years(3), left_truncated="exclude")
    assert included.signed[-1] == pytest.approx(0.5) and included.stopped[-1] == pytest.approx(0.5)
    assert excluded.subjects == 1 and excluded.signed == pytest.approx((1.0,))
