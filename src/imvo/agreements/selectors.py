"""Reads of agreements and targets: what was signed, and the progress towards each target and
each of its versions under each counting convention, on a date as known at a moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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


#: The order in which an agreement's parties are grouped by the kind of organisation: the
#: business side first, then civil society and unions, then government and the rest.
PARTY_KIND_ORDER = (
    "business_association",
    "company",
    "ngo",
    "trade_union",
    "government",
    "ser",
    "knowledge_institute",
    "international",
    "multi_stakeholder",
    "other",
)


def _party_label(kind: str, count: int) -> str:
    """'3 business associations', '1 trade union', … in the active language."""
    labels = {
        "business_association": ngettext(
            "%(count)d business association", "%(count)d business associations", count
        ),
        "company": ngettext("%(count)d company", "%(count)d companies", count),
        "ngo": ngettext(
            "%(count)d civil society organisation", "%(count)d civil society organisations", count
        ),
        "trade_union": ngettext("%(count)d trade union", "%(count)d trade unions", count),
        "government": ngettext(
            "%(count)d ministry or government body",
            "%(count)d ministries or government bodies",
            count,
        ),
        "ser": ngettext("%(count)d advisory council", "%(count)d advisory councils", count),
        "knowledge_institute": ngettext(
            "%(count)d knowledge institute", "%(count)d knowledge institutes", count
        ),
        "international": ngettext(
            "%(count)d international organisation", "%(count)d international organisations", count
        ),
        "multi_stakeholder": ngettext(
            "%(count)d multi-stakeholder initiative",
            "%(count)d multi-stakeholder initiatives",
            count,
        ),
    }
    text = labels.get(kind) or ngettext(
        "%(count)d other organisation", "%(count)d other organisations", count
    )
    return text % {"count": count}


@dataclass(frozen=True)
class PartyGroup:
    """The parties of an agreement of one kind of organisation, e.g. its trade unions."""

    kind: str
    label: str  # with the count: "2 vakbonden" / "2 trade unions"
    organisations: list[Any]


@dataclass(frozen=True)
class AgreementDetail:
    """An agreement as a page shows it: the record and its named parties grouped by kind."""

    agreement: Agreement
    parties: list[PartyGroup]


def agreement_parties(*, agreement: Agreement) -> list[PartyGroup]:
    """The organisations that signed ``agreement`` (its ``parties``; prefetch them), grouped
    by kind in :data:`PARTY_KIND_ORDER`, each group by name. Parties the source only describes
    are in ``agreement.parties_text``."""
    by_kind: dict[str, list[Any]] = {}
    for organisation in agreement.parties.all():
        kind = organisation.kind if organisation.kind in PARTY_KIND_ORDER else "other"
        by_kind.setdefault(kind, []).append(organisation)
    return [
        PartyGroup(kind, _party_label(kind, len(members)), sorted(members, key=lambda o: o.name))
        for kind in PARTY_KIND_ORDER
        if (members := by_kind.get(kind))
    ]


def agreement_details(*, agreements: list[Agreement]) -> list[AgreementDetail]:
    """Each of ``agreements`` with its parties grouped by kind (see :func:`agreement_parties`)."""
    return [AgreementDetail(a, agreement_parties(agreement=a)) for a in agreements]
