"""Which agreements count towards a target: plain Python, no Django.

The rule (also stored with each target, in words, and in docs/domain-model.md): an agreement
counts towards "N IMVO covenants before <deadline>" when it is an IMVO covenant, was signed on
or before the deadline and on or before the reference date, and had not ended by then.
Other sector agreements never count.
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


@dataclass(frozen=True)
class Verdict:
    agreement: AgreementFact
    counts: bool
    reason: str  # a code: counts, not_a_covenant, not_yet_signed, after_deadline, ended


def judge(agreement: AgreementFact, *, deadline: dt.date, as_of: dt.date) -> Verdict:
    if agreement.kind != IMVO_COVENANT:
        return Verdict(agreement, False, "not_a_covenant")
    if agreement.signed > as_of:
        return Verdict(agreement, False, "not_yet_signed")
    if agreement.signed > deadline:
        return Verdict(agreement, False, "after_deadline")
    if agreement.ended is not None and agreement.ended <= as_of:
        return Verdict(agreement, False, "ended")
    return Verdict(agreement, True, "counts")


def count_towards(
    agreements: Iterable[AgreementFact], *, deadline: dt.date, as_of: dt.date
) -> tuple[int, list[Verdict]]:
    verdicts = [judge(a, deadline=deadline, as_of=as_of) for a in agreements]
    return sum(v.counts for v in verdicts), verdicts
