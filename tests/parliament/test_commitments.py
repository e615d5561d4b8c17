"""The register of parliamentary commitments and motions (issue 12): loaded from the reference
data with its sources, bitemporal, audited, and bad records refused naming file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from imvo.core.audit import Actor
from imvo.core.moments import end_of_day
from imvo.parliament.models import Commitment
from imvo.parliament.selectors import commitment_list
from imvo.parliament.services import commitment_update
from imvo.programme.selectors import progress_report
from imvo.reference.services import reference_data_load
from imvo.sources.models import Source
from tests.conftest import run_imvo
from tests.reference.test_loader import errors_of, replace


@pytest.mark.django_db
def test_the_commitment_the_seed_answers_is_loaded_with_its_sources() -> None:
    ao = Commitment.objects.current().get(key="ao-imvo-2015-02-25-voortgang")
    assert ao.made == dt.date(2015, 2, 25)
    assert ao.kind == "commitment" and ao.subject == "progress"
    assert ao.answered_by.key == "letter-2015-07-10"
    assert ao.reference == "Kamerstuk 26 485, nr. 201"
    # known from the date of the source that documents it
    assert timezone.localdate(ao.recorded_at) == ao.source.date
    every = Commitment.objects.current()
    assert every.count() >= 5
    assert all(c.source_id for c in every)


@pytest.mark.django_db
def test_a_second_load_changes_nothing() -> None:
    report = reference_data_load()
    assert report.created["parliament.commitment"] == 0
    assert report.updated["parliament.commitment"] == 0
    assert report.unchanged["parliament.commitment"] == Commitment.objects.current().count()


@pytest.mark.django_db
def test_answered_later_is_open_before_and_answered_after() -> None:
    motion = Commitment.objects.current().get(key="motie-26485-225-van-laar-kinderarbeid-textiel")
    answered_on = motion.answered_by.date
    before = progress_report(as_of=answered_on - dt.timedelta(days=1))
    that_day = progress_report(as_of=answered_on)
    later = progress_report(as_of=answered_on + dt.timedelta(days=60), since=answered_on)
    after_next = progress_report(as_of=answered_on + dt.timedelta(days=60))
    assert {c.key: c.status for c in before.commitments}[motion.key] == "open"
    assert {c.key: c.status for c in that_day.commitments}[motion.key] == "answered_here"
    answered = {c.key: c for c in later.commitments}[motion.key]
    assert answered.status == "answered"
    assert answered.answered_by.reference == "Kamerstuk 26 485, nr. 308"
    # a letter after the answering one does not list it again
    assert motion.key not in {c.key for c in after_next.commitments}


@pytest.mark.django_db
def test_a_rejected_motion_is_not_open() -> None:
    report = progress_report(as_of=dt.date(2017, 9, 28), since=dt.date(2016, 6, 18))
    status = {c.key: c.status for c in report.commitments}
    assert status["motie-34550-xvii-21-smaling-voordewind-tien-convenanten"] == "rejected"
    assert status["motie-26485-224-van-laar-jaarlijkse-toets"] == "open"


@pytest.mark.django_db
def test_a_correction_supersedes_and_the_old_answer_stays_knowable() -> None:
    ao = Commitment.objects.current().get(key="ao-imvo-2015-02-25-voortgang")
    other = Source.objects.get(key="kamerstuk-26485-220")
    before = timezone.now()
    commitment_update(commitment=ao, data={"answered_by": other}, actor=Actor(reason="test"))
    now = commitment_list(known_at=timezone.now())
    then = commitment_list(known_at=before)
    assert next(c for c in now if c.key == ao.key).answered_by == other
    assert next(c for c in then if c.key == ao.key).answered_by.key == "letter-2015-07-10"
    # the letter of 10 July 2015 as known then still says it answers the commitment
    report = progress_report(as_of=dt.date(2015, 7, 10), known_at=end_of_day(dt.date(2015, 7, 10)))
    assert report.trigger.key == ao.key


def test_an_unknown_answering_source_names_file_and_line(data_copy: Path) -> None:
    line = replace(data_copy / "commitments.yaml", "answered_by: letter-2015-07-10",
                   "answered_by: no-such-letter")  # fmt: skip
    errors = errors_of(data_copy)
    assert any(f"commitments.yaml:{line}" in e and "no-such-letter" in e for e in errors), errors


def test_a_missing_text_is_refused(data_copy: Path) -> None:
    replace(data_copy / "commitments.yaml", "  text_nl: De Kamer informeren", "  note_x: De")
    errors = errors_of(data_copy)
    assert any("commitments.yaml" in e and "text_nl" in e for e in errors), errors


def test_reported_with_a_later_trajectory_is_one_line(cli_env, data_copy: Path, tmp_path) -> None:
    replace(data_copy / "trajectories.yaml", "reported_with: energy", "reported_with: wholesale")
    env = {**cli_env, "IMVO_VAR_DIR": str(tmp_path)}
    result = run_imvo("init", "--data-dir", str(data_copy), env=env)
    assert result.returncode == 2
    assert "reported_with 'wholesale' must be a trajectory listed before it" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
