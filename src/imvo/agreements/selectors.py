"""Reads of agreements and targets, with the progress towards each target on a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from imvo.agreements.models import Agreement, Target
from imvo.agreements.rules import AgreementFact, count_towards

REASONS = {
    "counts": _("counts towards the target"),
    "not_a_covenant": _("does not count: not an IMVO covenant"),
    "not_yet_signed": _("does not count: not yet signed on the reference date"),
    "after_deadline": _("does not count: signed after the deadline"),
    "ended": _("does not count: ended"),
}


@dataclass(frozen=True)
class AgreementVerdict:
    agreement: Agreement
    counts: bool
    reason: str


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    as_of: dt.date
    achieved: int
    verdicts: list[AgreementVerdict]

    @property
    def remaining(self) -> int:
        return max(self.target.value - self.achieved, 0)

    @property
    def percentage(self) -> int:
        return round(100 * min(self.achieved, self.target.value) / self.target.value)

    @property
    def days_left(self) -> int:
        return (self.target.deadline - self.as_of).days


def agreement_list() -> list[Agreement]:
    return list(
        Agreement.objects.select_related("source", "trajectory").prefetch_related(
            "parties", "sectors"
        )
    )


def target_progress(*, as_of: dt.date) -> list[TargetProgress]:
    """Every target with the agreements that do and do not count on ``as_of``."""
    agreements = agreement_list()
    facts = {a.pk: AgreementFact(a.key, a.kind, a.signed, a.ended) for a in agreements}
    progress = []
    for target in Target.objects.select_related("source"):
        achieved, verdicts = count_towards(facts.values(), deadline=target.deadline, as_of=as_of)
        by_key = {v.agreement.key: v for v in verdicts}
        progress.append(
            TargetProgress(
                target=target,
                as_of=as_of,
                achieved=achieved,
                verdicts=[
                    AgreementVerdict(a, by_key[a.key].counts, str(REASONS[by_key[a.key].reason]))
                    for a in agreements
                ],
            )
        )
    return progress
