import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from imvo.core.audit import Actor
from imvo.trajectories.models import PhaseRecord, Trajectory
from imvo.trajectories.selectors import trajectory_states
from imvo.trajectories.services import phase_record_correct, phase_record_create


@pytest.mark.django_db
def test_a_new_phase_moves_the_trajectory_on_from_its_date():
    textile = Trajectory.objects.get(slug="textile")
    phase_record_create(
        trajectory=textile,
        key="textile-signed-test",
        values={
            "phase": "signed",
            "valid_from": dt.date(2016, 7, 4),
            "source": textile.source,
        },
        actor=Actor("Covenant signed"),
    )
    (before,) = trajectory_states(as_of=dt.date(2016, 7, 3), slugs=["textile"])
    (after,) = trajectory_states(as_of=dt.date(2016, 7, 4), slugs=["textile"])
    assert (before.phase, after.phase) == ("negotiation", "signed")


@pytest.mark.django_db
def test_a_correction_supersedes_and_known_at_still_sees_the_old_belief():
    record = PhaseRecord.objects.get(key="textile-negotiation")
    before_correction = timezone.now()
    correction = phase_record_correct(
        record=record, values={"phase": "dialogue"}, actor=Actor("Mis-read the letter")
    )
    assert correction.supersedes == record
    (now,) = trajectory_states(as_of=dt.date(2015, 7, 10), slugs=["textile"])
    (then,) = trajectory_states(
        as_of=dt.date(2015, 7, 10), known_at=before_correction, slugs=["textile"]
    )
    assert (now.phase, then.phase) == ("dialogue", "negotiation")
    with pytest.raises(ValidationError):
        phase_record_correct(record=record, values={"phase": "signed"}, actor=Actor("again"))
    with pytest.raises(ValidationError):
        phase_record_correct(record=correction, values={"trajectory": None}, actor=Actor("x"))
