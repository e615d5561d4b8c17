"""The progress letter to parliament as plain data: what a :class:`ProgressReport` holds.

Filled by :func:`imvo.programme.selectors.progress_report` from the record on a reference date
(valid time) as known at a moment (knowledge time); rendered in Dutch or English by the
exporters in :mod:`imvo.reports.progress`. Pure: no Django, no prose. Texts of records travel
in both languages (:data:`~imvo.core.bilingual.Text`), every fact with the source it comes from
(:class:`Cite`), so that each statement of the letter can carry its footnote.

The groups follow the letter of 10 July 2015 (§2): the front runners in negotiation, the
sectors in a multi-stakeholder dialogue, those exploring, those without an initiative yet,
the sectors outside the Sector Risk Analysis that joined; from the first signing on also the
covenants signed and in implementation, ended, and talks stopped. A trajectory the letter
reports inside another's paragraph (coal under energy, electronics under metal) is placed in
that trajectory's group, right after it, and keeps its own phase.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from imvo.core.bilingual import Text
from imvo.core.dates import PartialDate

#: The letter's groups in the order of §2 (``joining``: sectors outside the SRA that joined
#: the programme and have not reached negotiation).
GROUPS: tuple[str, ...] = (
    "signed",
    "negotiation",
    "dialogue",
    "exploration",
    "no_initiative",
    "joining",
    "ended",
    "stopped",
)
#: The phase each group reports (``joining`` reports the phases before negotiation).
GROUP_PHASES: dict[str, tuple[str, ...]] = {
    "signed": ("signed",),
    "negotiation": ("negotiation",),
    "dialogue": ("dialogue",),
    "exploration": ("exploration",),
    "no_initiative": ("no_initiative",),
    "joining": ("no_initiative", "exploration", "dialogue"),
    "ended": ("ended",),
    "stopped": ("stopped",),
}
#: The letter's sections, numbered as in the letter of 10 July 2015.
SECTIONS: tuple[str, ...] = ("introduction", "progress", "government", "stakeholders", "closing")


@dataclass(frozen=True)
class Cite:
    """A source as a footnote cites it: the official reference (Kamerstuk number) first."""

    key: str
    title: str
    reference: str
    date: PartialDate | None
    url: str
    locator: str = ""

    @property
    def document(self) -> tuple[str, str, str]:
        """The document without the passage: one footnote per document and passage."""
        return (self.key, self.reference, self.title)


@dataclass(frozen=True)
class Party:
    key: str
    name: Text
    abbreviation: str
    role: str
    source: Cite


@dataclass(frozen=True)
class EventItem:
    key: str
    date: PartialDate | None
    date_text: str
    status: str  # planned | held | cancelled
    kind: str
    title: Text
    source: Cite
    certainty: str = "confirmed"


@dataclass(frozen=True)
class InitiativeItem:
    key: str
    name: Text
    source: Cite


@dataclass(frozen=True)
class PhaseStep:
    phase: str
    since: PartialDate
    basis: str  # start | observed
    source: Cite


@dataclass(frozen=True)
class NoteItem:
    """The officer's own text for this report (a progress note of the period)."""

    period: str
    text: Text
    recorded_at: dt.datetime


@dataclass(frozen=True)
class AgreementItem:
    key: str
    title: Text
    signed: PartialDate
    ended: PartialDate | None
    source: Cite


@dataclass(frozen=True)
class TrajectoryItem:
    slug: str
    name: Text
    summary: Text
    phase: str
    since: PartialDate | None
    basis: str
    phase_source: Cite | None
    source: Cite
    in_sra: bool
    convenors: tuple[Party, ...]
    parties: tuple[Party, ...]
    events_held: tuple[EventItem, ...]
    next_step: EventItem | None
    initiatives: tuple[InitiativeItem, ...]
    history: tuple[PhaseStep, ...]
    agreement: AgreementItem | None
    note: NoteItem | None
    #: The trajectory whose paragraph reports this one (coal under energy), if any.
    reported_with: str | None = None
    #: Whether anything about it changed since the previous letter.
    changed: bool = False


@dataclass(frozen=True)
class Group:
    code: str  # one of GROUPS
    trajectories: tuple[TrajectoryItem, ...]


@dataclass(frozen=True)
class ActionItem:
    key: str
    role: str
    status: str
    title: Text
    description: Text
    trajectories: tuple[str, ...]
    source: Cite
    new: bool


@dataclass(frozen=True)
class StakeholderItem:
    """An organisation of civil society, a union, a knowledge institute or the SER, with the
    trajectories it takes part in and its roles."""

    key: str
    kind: str
    name: Text
    roles: tuple[str, ...]
    trajectories: tuple[str, ...]
    source: Cite


@dataclass(frozen=True)
class AdviceItem:
    """Advice on a cross-sector theme (land rights, child labour, …) and who gives it."""

    theme: Text
    advisor: Text
    source: Cite


@dataclass(frozen=True)
class TargetLine:
    key: str
    value: int
    deadline: dt.date
    decided: PartialDate
    convention: str
    convention_title: Text
    achieved: int
    text: Text
    source: Cite
    certainty: str = "confirmed"

    @property
    def met(self) -> bool:
        return self.achieved >= self.value


@dataclass(frozen=True)
class ForecastLine:
    """The forecast of the main target in one sentence's data."""

    target: str
    value: int
    deadline: dt.date
    p_target_met: float
    p10: int
    p50: int
    p90: int
    runs: int
    seed: int


@dataclass(frozen=True)
class AnnexRow:
    """One line of the 'totaaloverzicht': a trajectory's phases and target dates."""

    slug: str
    name: Text
    phase: str
    history: tuple[PhaseStep, ...]
    original_target: PartialDate | None
    revised_target: PartialDate | None
    actual: PartialDate | None
    #: Months from the original target to the signing (or to the reference date, when the
    #: target passed unsigned); None without a target date.
    slippage_months: int | None
    target_source: Cite | None
    changed: bool


@dataclass(frozen=True)
class ChangeItem:
    date: PartialDate
    kind: str
    title: str
    trajectories: tuple[str, ...]
    source: Cite


@dataclass(frozen=True)
class CurvePointItem:
    date: dt.date
    count: int
    agreement: str


@dataclass(frozen=True)
class CommitmentItem:
    key: str
    kind: str  # commitment | motion
    reference: str
    made: PartialDate
    made_in: Text
    by: Text
    text: Text
    subject: str
    source: Cite
    #: ``answered_here`` (this letter answers it), ``answered`` (a letter of the period did),
    #: ``open``, ``rejected`` (a motion voted down).
    status: str
    answered_by: Cite | None
    #: The section of this letter that answers it (one of SECTIONS), when it does.
    section: str | None
    certainty: str = "confirmed"


@dataclass(frozen=True)
class Letterhead:
    sender: Text
    #: The address lines per language.
    addressee: dict[str, tuple[str, ...]]
    reference: str
    subject: Text
    annexes: int


@dataclass(frozen=True)
class ProgressReport:
    as_of: dt.date
    since: dt.date | None
    known_at: dt.datetime
    #: The data version it was made from (the token every write renews, and when).
    data_version: str
    data_changed_at: dt.datetime
    software_version: str
    letterhead: Letterhead
    #: The commitment or motion whose answer this letter is (the trigger sentence).
    trigger: CommitmentItem | None
    sra_sectors: tuple[Text, ...]
    sra_source: Cite | None
    groups: tuple[Group, ...]
    actions: tuple[ActionItem, ...]
    stakeholders: tuple[StakeholderItem, ...]
    targets: tuple[TargetLine, ...]
    forecast: ForecastLine | None
    annex: tuple[AnnexRow, ...]
    changes: tuple[ChangeItem, ...]
    #: Cumulative count of agreements under the main target's convention.
    curve: tuple[CurvePointItem, ...]
    curve_convention: Text
    commitments: tuple[CommitmentItem, ...]
    #: Events of the period on the programme as a whole (no trajectory of their own).
    general_events: tuple[EventItem, ...] = field(default_factory=tuple)
    #: Advice on the cross-sector themes, by theme.
    advice: tuple[AdviceItem, ...] = field(default_factory=tuple)
    notes_missing: tuple[str, ...] = field(default_factory=tuple)

    @property
    def trajectories(self) -> tuple[TrajectoryItem, ...]:
        return tuple(t for g in self.groups for t in g.trajectories)
