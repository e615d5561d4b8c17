"""Reads of agreements and targets: what was signed, and the progress towards each target and
each of its versions under each counting convention, on a date as known at a moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.agreements.models import Agreement, Convention, Target, TargetVersion
from imvo.agreements.rules import AgreementFact, count_towards

REASONS = {
    "counts": _("counts towards the target"),
    "not_a_covenant": _("does not count: not an IMVO covenant"),
    "not_counted": _("does not count: not counted by this convention"),
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
class ConventionCount:
    """The count of one target version under one counting convention."""

    convention: Convention
    achieved: int
    verdicts: list[AgreementVerdict]


@dataclass(frozen=True)
class VersionProgress:
    version: TargetVersion
    counts: list[ConventionCount]

    @property
    def own(self) -> ConventionCount:
        """The count under the version's own convention."""
        return next(c for c in self.counts if c.convention.pk == self.version.convention_id)

    @property
    def met(self) -> bool:
        return self.own.achieved >= self.version.value


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    as_of: dt.date
    achieved: int
    verdicts: list[AgreementVerdict]
    versions: list[VersionProgress] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return max(self.target.value - self.achieved, 0)

    @property
    def percentage(self) -> int:
        return round(100 * min(self.achieved, self.target.value) / self.target.value)

    @property
    def days_left(self) -> int:
        return (self.target.deadline - self.as_of).days


def agreement_list(*, known_at: dt.datetime | None = None) -> list[Agreement]:
    """The agreements as known at ``known_at`` (default: now), in order of signing."""
    return list(
        Agreement.objects.known_at(known_at or timezone.now())
        .select_related("source", "trajectory")
        .prefetch_related("parties", "sectors", "counted_by")
        .order_by("signed", "key")
    )


def _fact(agreement: Agreement) -> AgreementFact:
    return AgreementFact(
        agreement.key,
        agreement.kind,
        agreement.signed,
        agreement.ended,
        frozenset(c.key for c in agreement.counted_by.all()),
    )


def _verdicts(
    agreements: list[Agreement], *, deadline: dt.date, as_of: dt.date, convention: str | None
) -> tuple[int, list[AgreementVerdict]]:
    achieved, verdicts = count_towards(
        [_fact(a) for a in agreements], deadline=deadline, as_of=as_of, convention=convention
    )
    return achieved, [
        AgreementVerdict(a, v.counts, str(REASONS[v.reason]))
        for a, v in zip(agreements, verdicts, strict=True)
    ]


def target_progress(*, as_of: dt.date, known_at: dt.datetime | None = None) -> list[TargetProgress]:
    """Every target with the agreements that do and do not count on ``as_of``, as known at
    ``known_at``; and every version of it decided by ``as_of``, counted under each convention."""
    moment = known_at or timezone.now()
    agreements = agreement_list(known_at=moment)
    conventions = list(Convention.objects.order_by("key"))
    versions = list(
        TargetVersion.objects.known_at(moment)
        .filter(decided__lte=as_of)
        .select_related("convention", "source")
        .order_by("decided", "deadline", "key")
    )
    progress = []
    for target in Target.objects.select_related("source"):
        achieved, verdicts = _verdicts(
            agreements, deadline=target.deadline, as_of=as_of, convention=None
        )
        own_versions = [
            VersionProgress(
                version,
                [
                    ConventionCount(
                        convention,
                        *_verdicts(
                            agreements,
                            deadline=version.deadline,
                            as_of=as_of,
                            convention=convention.key,
                        ),
                    )
                    for convention in conventions
                ],
            )
            for version in versions
            if version.target_id == target.pk
        ]
        progress.append(TargetProgress(target, as_of, achieved, verdicts, own_versions))
    return progress


@dataclass(frozen=True)
class CurvePoint:
    date: dt.date
    count: int
    agreement: str  # the agreement whose signing (or end) moved the count


@dataclass(frozen=True)
class Curve:
    """The cumulative number of agreements over time under one counting convention."""

    convention: Convention
    points: list[CurvePoint]


@dataclass(frozen=True)
class AgreementCurves:
    as_of: dt.date
    curves: list[Curve]
    versions: list[TargetVersion]  # every version of every target decided by ``as_of``


def agreement_curves(*, as_of: dt.date, known_at: dt.datetime | None = None) -> AgreementCurves:
    """Agreements signed up to ``as_of`` counted under each convention, as known at
    ``known_at``, against every version of the targets (for the picture and its table)."""
    moment = known_at or timezone.now()
    agreements = [a for a in agreement_list(known_at=moment) if a.signed <= as_of]
    curves = []
    for convention in Convention.objects.order_by("key"):
        counted = sorted(
            (a for a in agreements if convention in a.counted_by.all()),
            key=lambda a: (a.signed, a.key),
        )
        points = [
            CurvePoint(agreement.signed, index, agreement.title)
            for index, agreement in enumerate(counted, start=1)
        ]
        curves.append(Curve(convention, points))
    versions = list(
        TargetVersion.objects.known_at(moment)
        .filter(decided__lte=as_of)
        .select_related("convention", "target")
        .order_by("decided", "deadline")
    )
    return AgreementCurves(as_of, curves, versions)
