"""The bitemporal rule, on plain data."""

import datetime as dt

from imvo.core.dates import PartialDate
from imvo.trajectories.timeline import PhaseFact, state_at

UTC = dt.UTC


def moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def fact(pk, phase, valid, recorded, superseded=None):
    return PhaseFact(
        pk, "t", phase, PartialDate.parse(valid), "start", moment(recorded),
        moment(superseded) if superseded else None,
    )  # fmt: skip


FACTS = [
    fact(1, "exploration", "2014-09", "2015-07-10"),
    fact(2, "negotiation", "2015-05-18", "2015-07-10", superseded="2016-01-01"),
    # the correction: negotiation really started on 22 June
    fact(3, "negotiation", "2015-06-22", "2016-01-01"),
]


def test_latest_start_on_or_before_the_date_wins():
    now = moment("2030-01-01")
    assert state_at(FACTS, as_of=dt.date(2014, 8, 31), known_at=now) is None
    assert state_at(FACTS, as_of=dt.date(2014, 9, 1), known_at=now).phase == "exploration"
    assert state_at(FACTS, as_of=dt.date(2015, 6, 1), known_at=now).phase == "exploration"
    assert state_at(FACTS, as_of=dt.date(2015, 6, 22), known_at=now).record_id == 3


def test_known_at_answers_what_we_knew_then():
    before_correction = moment("2015-12-31")
    state = state_at(FACTS, as_of=dt.date(2015, 6, 1), known_at=before_correction)
    assert state.record_id == 2  # we then believed negotiation began on 18 May
    assert state_at(FACTS, as_of=dt.date(2015, 6, 1), known_at=moment("2015-07-09")) is None


def test_a_month_counts_from_its_first_day():
    facts = [fact(1, "signed", "2014-11", "2015-07-10")]
    now = moment("2030-01-01")
    assert state_at(facts, as_of=dt.date(2014, 10, 31), known_at=now) is None
    assert state_at(facts, as_of=dt.date(2014, 11, 1), known_at=now).phase == "signed"
