import datetime as dt

import pytest

from imvo.agreements.rules import AgreementFact, count_towards, judge
from imvo.agreements.selectors import target_progress

DEADLINE = dt.date(2016, 12, 31)


def test_only_signed_covenants_within_the_deadline_count():
    agreements = [
        AgreementFact("coal", "other_agreement", dt.date(2014, 11, 1)),
        AgreementFact("textile", "imvo_covenant", dt.date(2016, 7, 4)),
        AgreementFact("banking", "imvo_covenant", dt.date(2016, 10, 28)),
        AgreementFact("late", "imvo_covenant", dt.date(2017, 3, 1)),
        AgreementFact("gone", "imvo_covenant", dt.date(2016, 1, 1), ended=dt.date(2016, 6, 1)),
    ]
    achieved, verdicts = count_towards(agreements, deadline=DEADLINE, as_of=dt.date(2018, 1, 1))
    assert achieved == 2
    assert [v.reason for v in verdicts] == [
        "not_a_covenant", "counts", "counts", "after_deadline", "ended",
    ]  # fmt: skip
    mid = judge(agreements[2], deadline=DEADLINE, as_of=dt.date(2016, 8, 1))
    assert (mid.counts, mid.reason) == (False, "not_yet_signed")


@pytest.mark.django_db
def test_on_the_letter_date_no_agreement_counts_and_the_coal_agreement_says_why():
    from imvo.core.moments import end_of_day

    # As known on the letter's date: the agreements signed later were not known yet.
    letter = dt.date(2015, 7, 10)
    (progress,) = target_progress(as_of=letter, known_at=end_of_day(letter))
    assert progress.target.value == 10
    assert progress.target.deadline == dt.date(2016, 12, 31)
    assert progress.achieved == 0
    assert progress.remaining == 10
    (coal,) = progress.verdicts
    assert coal.agreement.key == "coal-2014"
    assert not coal.counts
    assert "IMVO" in coal.reason
