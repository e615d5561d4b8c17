"""Which agreements count towards a target: plain Python, no Django.

The rule (also stored with each target, in words, and in docs/domain-model.md): an agreement
counts towards "N IMVO covenants before <deadline>" when it is an IMVO covenant, was signed on
or before the deadline and on or before the reference date, and had not ended by then (by the
deadline, when the reference date lies after it: a target is met or missed at its deadline).
Other sector agreements never count.

Under a counting convention (the SER's list, the KIT evaluation's, …) the convention decides
which agreements are covenants: an agreement counts when the convention counts it, instead of by
its kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

IMVO_COVENANT = "imvo_covenant"


@dataclass(frozen=True)
class AgreementFact:
    key: str
    kind: str
    signed: dt.date  # first day of the signing period (precision as in the source)
    ended: dt.date | None = None
    conventions: frozenset[str] = frozenset()  # the counting conventions that count it


@dataclass(frozen=True)
class Verdict:
    agreement: AgreementFact
    counts: bool
    reason: str  # a code: counts, not_a_covenant, not_counted, not_yet_signed, after_deadline,
    # ended


def judge(
    agreement: AgreementFact,
    *,
    deadline: dt.date,
    as_of: dt.date,
    convention: str | None = None,
) -> Verdict:
    if convention is None and agreement.kind != IMVO_COVENANT:
        return Verdict(agreement, False, "not_a_covenant")
    if convention is not None and convention not in agreement.conventions:
        return Verdict(agreement, False, "not_counted")
    if agreement.signed > as_of:
        return Verdict(agreement, False, "not_yet_signed")
    if agreement.signed > deadline:
        return Verdict(agreement, False, "after_deadline")
    if agreement.ended is not None and agreement.ended <= min(as_of, deadline):
        return Verdict(agreement, False, "ended")
    return Verdict(agreement, True, "counts")


def count_towards(
    agreements: Iterable[AgreementFact],
    *,
    deadline: dt.date,
    as_of: dt.date,
    convention: str | None = None,
) -> tuple[int, list[Verdict]]:
    verdicts = [judge(a, deadline=deadline, as_of=as_of, convention=convention) for a in agreements]
    return sum(v.counts for v in verdicts), verdicts
