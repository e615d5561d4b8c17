"""Every fact answers "as known at": what was published after a moment T changes nothing that
is answered as known at T, and the real history is there to be asked."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from imvo.agreements.models import Convention, Target
from imvo.agreements.selectors import agreement_list, target_progress
from imvo.agreements.services import agreement_create, target_version_create
from imvo.core.audit import Actor
from imvo.core.moments import end_of_day
from imvo.organisations.models import Organisation
from imvo.programme.selectors import programme_changes
from imvo.sources.models import Source
from imvo.trajectories.models import Trajectory
from imvo.trajectories.selectors import programme_page, trajectory_page
from imvo.trajectories.services import (
    event_create,
    participation_create,
    phase_record_create,
)
from tests.commands.test_status import LETTER_2015_07_10, grouped

MOMENTS = [
    dt.date(2015, 7, 11),
    dt.date(2016, 6, 18),
    dt.date(2017, 12, 31),
    dt.date(2019, 12, 31),
]
AS_OF = [dt.date(2015, 7, 10), dt.date(2016, 12, 31), dt.date(2019, 12, 31)]


def _status(*args: str) -> str:
    out = StringIO()
    call_command("status", "--format", "csv", *args, stdout=out)
    return out.getvalue()


def _answers(moment: dt.datetime) -> dict[str, object]:
    """Everything the app answers as known at ``moment``."""
    known = moment.isoformat()
    answers: dict[str, object] = {}
    for day in AS_OF:
        answers[f"status {day}"] = _status("--as-of", day.isoformat(), "--known-at", known)
        answers[f"targets {day}"] = [
            (p.achieved, [(v.version.key, [c.achieved for c in v.counts]) for v in p.versions])
            for p in target_progress(as_of=day, known_at=moment)
        ]
        page = trajectory_page(slug="textile", as_of=day, known_at=moment)
        answers[f"textile {day}"] = (
            page.state.phase,
            [(p.organisation.key, p.role) for p in page.participations],
            [e.key for e in page.events],
        )
    answers["agreements"] = [(a.key, a.signed, a.ended) for a in agreement_list(known_at=moment)]
    answers["events"] = [e.key for e in programme_page(known_at=moment).events]
    answers["changes"] = [
        (c.date, c.kind, c.title)
        for c in programme_changes(
            since=dt.date(2013, 1, 1), until=dt.date(2030, 12, 31), known_at=moment
        ).changes
    ]
    return answers


def _publish_after(day: dt.date) -> None:
    """Facts from a source published after ``day``, through the services like any channel."""
    user = get_user_model().objects.create(username=f"officer-{day}")
    actor = Actor("Later report", user)
    later = end_of_day(day) + dt.timedelta(days=1)
    source = Source.objects.create(key=f"later-{day}", kind="report", title="A later report",
                                   date=later.date())  # fmt: skip
    when = {"recorded_at": later}
    textile = Trajectory.objects.get(slug="textile")
    ser = Organisation.objects.get(key="ser")
    agreement_create(
        data={"key": f"late-{day}", "kind": "imvo_covenant", "title_nl": "Laat convenant",
              "signed": dt.date(2015, 1, 1), "trajectory": textile, "source": source,
              "counted_by": list(Convention.objects.all()), **when},
        actor=actor,
    )  # fmt: skip
    event_create(
        data={"key": f"late-event-{day}", "status": "held", "kind": "meeting",
              "title_nl": "Laat bekende bijeenkomst", "date": dt.date(2015, 3, 1),
              "source": source, "trajectories": [textile], **when},
        actor=actor,
    )  # fmt: skip
    participation_create(
        data={"trajectory": textile, "organisation": ser, "role": "stakeholder",
              "valid_from": dt.date(2015, 2, 1), "source": source, **when},
        actor=actor,
    )  # fmt: skip
    phase_record_create(
        trajectory=textile,
        key=f"textile-late-{day}",
        values={"phase": "signed", "valid_from": dt.date(2015, 6, 1), "source": source, **when},
        actor=actor,
    )
    target_version_create(
        data={"target": Target.objects.get(), "key": f"late-version-{day}",
              "decided": dt.date(2015, 1, 1), "value": 99, "deadline": dt.date(2016, 1, 1),
              "convention": Convention.objects.first(), "source": source, **when},
        actor=actor,
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("day", MOMENTS, ids=str)
def test_facts_published_after_a_moment_change_nothing_known_at_it(day):
    moment = end_of_day(day)
    before = _answers(moment)
    _publish_after(day)
    assert _answers(moment) == before
    # ... while as known now they are there (the test plants real facts, not invisible ones)
    assert f"late-{day}" in {a.key for a in agreement_list()}


@pytest.mark.django_db
def test_the_letter_grouping_known_at_the_letter_stays_as_it_was():
    rows = _status("--as-of", "2015-07-10", "--known-at", "2015-07-10")
    import csv

    assert grouped(list(csv.DictReader(StringIO(rows)))) == LETTER_2015_07_10
    later = _status("--as-of", "2016-12-31", "--known-at", "2015-07-11")
    assert grouped(list(csv.DictReader(StringIO(later)))) == LETTER_2015_07_10


@pytest.mark.django_db
def test_the_real_history_is_there():
    import csv

    def phases(day: str) -> dict[str, str]:
        return {
            r["trajectory"]: r["phase"] for r in csv.DictReader(StringIO(_status("--as-of", day)))
        }

    end_2016 = phases("2016-12-31")
    assert end_2016["textile"] == end_2016["banking"] == "signed"
    end_2019 = phases("2019-12-31")
    for slug in ("natural_stone", "metal", "floriculture"):
        assert end_2019[slug] == "signed", slug
    assert end_2019["vegetable_proteins"] == "ended"  # terminated in March 2019
    assert "renewable_energy" in end_2019 and "renewable_energy" not in phases("2015-07-10")
    end_2023 = phases("2023-12-31")
    assert end_2023["agriculture"] == "stopped" and end_2023["oil_gas"] == "stopped"
    assert end_2023["textile"] == "ended"


@pytest.mark.django_db
def test_what_changed_in_2015_2016_is_what_a_letter_would_report():
    found = programme_changes(since=dt.date(2015, 7, 10), until=dt.date(2016, 12, 31)).changes
    signed = {c.trajectories for c in found if c.kind == "agreement_signed"}
    assert signed == {("textile",), ("banking",)}
    revised = [c for c in found if c.kind == "target_revised" and c.date == dt.date(2016, 6, 17)]
    assert revised and all(c.source.reference.endswith("nr. 220") for c in revised)
    assert any(c.kind == "event_held" for c in found)
    assert {c.trajectories[0] for c in found if c.kind == "phase"} >= {"textile", "banking"}
    assert all(c.source and c.source.title for c in found)
