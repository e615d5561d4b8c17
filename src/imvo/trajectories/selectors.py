"""Reads of trajectories: phase states at a date as known at a moment, and the pages built on
them (overview, trajectory, programme)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone

from imvo.agreements.models import Agreement
from imvo.agreements.selectors import (
    AgreementDetail,
    TargetProgress,
    agreement_details,
    target_progress,
)
from imvo.analysis.sra import divisions_of
from imvo.core.dates import PartialDate
from imvo.core.errors import NotFound
from imvo.core.i18n import active_language, localized
from imvo.core.models import PartialDateFields
from imvo.initiatives.models import Initiative
from imvo.risks.models import Theme
from imvo.risks.selectors import division_summaries
from imvo.sources.models import Source
from imvo.trajectories.models import Event, GovernmentAction, Participation, PhaseRecord, Trajectory
from imvo.trajectories.phases import GROUP_ORDER, Phase
from imvo.trajectories.timeline import PhaseFact, Segment, phase_segments, states_at


@dataclass(frozen=True)
class TrajectoryState:
    """A trajectory's phase on a date. ``record`` is None when nothing was recorded by then;
    the phase is then ``no_initiative`` and ``since`` is unknown."""

    trajectory: Trajectory
    phase: str
    since: PartialDate | None
    basis: str
    record: PhaseRecord | None

    @property
    def slug(self) -> str:
        return self.trajectory.slug

    @property
    def phase_label(self) -> str:
        return str(Phase(self.phase).label)


@dataclass(frozen=True)
class PhaseGroup:
    phase: str
    states: list[TrajectoryState]

    @property
    def label(self) -> str:
        return str(Phase(self.phase).label)


def _fact(record: PhaseRecord) -> PhaseFact:
    return PhaseFact(
        record_id=record.pk,
        trajectory=record.trajectory.slug,
        phase=record.phase,
        valid_from=record.valid_from_partial,
        basis=record.date_basis,
        recorded_at=record.recorded_at,
        superseded_at=record.superseded_at,
    )


def trajectory_list(
    *, as_of: dt.date | None = None, known_at: dt.datetime | None = None
) -> QuerySet[Trajectory]:
    """The trajectories of the programme on ``as_of`` (joined by then) as known at ``known_at``."""
    trajectories = Trajectory.objects.prefetch_related("sectors").order_by("slug")
    if known_at is not None:
        trajectories = trajectories.filter(recorded_at__lte=known_at)
    if as_of is not None:
        trajectories = trajectories.filter(Q(joined__isnull=True) | Q(joined__lte=as_of))
    return trajectories


def phase_facts(*, known_at: dt.datetime, until: dt.date) -> dict[str, list[PhaseFact]]:
    """Per trajectory slug, the phase facts known at ``known_at`` that start by ``until``, in
    valid-time order (between two with the same start, the one recorded last comes last)."""
    found: dict[str, list[PhaseFact]] = {}
    records = (
        PhaseRecord.objects.known_at(known_at)
        .filter(valid_from__lte=until)
        .select_related("trajectory")
    )
    for fact in sorted(
        (_fact(r) for r in records), key=lambda f: (f.valid_from.start, f.recorded_at)
    ):
        found.setdefault(fact.trajectory, []).append(fact)
    return found


def trajectory_slugs() -> list[str]:
    return list(Trajectory.objects.order_by("slug").values_list("slug", flat=True))


def trajectory_states(
    *, as_of: dt.date, known_at: dt.datetime | None = None, slugs: list[str] | None = None
) -> list[TrajectoryState]:
    """Every trajectory's phase on ``as_of`` by what was recorded at ``known_at`` (default: now)."""
    known_at = known_at or timezone.now()
    trajectories = list(trajectory_list(as_of=as_of, known_at=known_at))
    if slugs is not None:
        trajectories = [t for t in trajectories if t.slug in slugs]
    records = {
        r.pk: r
        for r in PhaseRecord.objects.select_related("trajectory", "source").filter(
            trajectory__in=trajectories
        )
    }
    facts = states_at([_fact(r) for r in records.values()], as_of=as_of, known_at=known_at)
    states = []
    for trajectory in trajectories:
        fact = facts.get(trajectory.slug)
        if fact is None:
            states.append(TrajectoryState(trajectory, Phase.NO_INITIATIVE.value, None, "", None))
        else:
            states.append(
                TrajectoryState(
                    trajectory, fact.phase, fact.valid_from, fact.basis, records[fact.record_id]
                )
            )
    return states


def phase_overview(*, as_of: dt.date, known_at: dt.datetime | None = None) -> list[PhaseGroup]:
    """Trajectories grouped by phase, furthest phase first (signed, negotiation, dialogue, ...)."""
    states = trajectory_states(as_of=as_of, known_at=known_at)
    groups = []
    for phase in GROUP_ORDER:
        members = sorted((s for s in states if s.phase == phase), key=lambda s: s.trajectory.name)
        groups.append(PhaseGroup(phase, members))
    return groups


def phase_history(*, trajectory: Trajectory) -> list[PhaseRecord]:
    """All phase records of a trajectory, superseded ones included, in valid-time order."""
    return list(
        trajectory.phase_records.select_related("source", "supersedes").order_by(
            "valid_from", "recorded_at"
        )
    )


def trajectory_get(*, slug: str, known_at: dt.datetime | None = None) -> Trajectory | None:
    """One trajectory with its participations, events, actions and agreements as known at
    ``known_at`` (default: now)."""
    moment = known_at or timezone.now()
    return (
        Trajectory.objects.filter(slug=slug)
        .select_related("source")
        .prefetch_related(
            "sectors",
            Prefetch("initiatives", queryset=Initiative.objects.select_related("source")),
            Prefetch(
                "participations",
                queryset=Participation.objects.known_at(moment).select_related(
                    "organisation", "source"
                ),
            ),
            Prefetch(
                "events",
                queryset=Event.objects.known_at(moment).prefetch_related("organisations"),
            ),
            "events__source",
            Prefetch(
                "government_actions",
                queryset=GovernmentAction.objects.known_at(moment).select_related("source"),
            ),
            Prefetch(
                "agreements",
                queryset=Agreement.objects.known_at(moment)
                .select_related("source")
                .prefetch_related("parties"),
            ),
        )
        .first()
    )


def _by_date(events: Any) -> list[Event]:
    """Events in date order; those without a date (planned, undated) last."""
    return sorted(events, key=lambda e: (e.date is None, e.date or dt.date.max, e.key))


@dataclass(frozen=True)
class OverviewPage:
    """The programme's state on a date: trajectories by phase and progress to each target."""

    as_of: dt.date
    known_at: dt.datetime | None
    groups: list[PhaseGroup]
    progress: list[TargetProgress]
    data_until: PartialDate | None = None  # the newest source in the record, as known then
    last_updated: dt.datetime | None = None  # the latest write to the record, as known then

    @property
    def total(self) -> int:
        return sum(len(g.states) for g in self.groups)


def overview_page(*, as_of: dt.date, known_at: dt.datetime | None) -> OverviewPage:
    moment = known_at or timezone.now()
    newest = (
        Source.objects.exclude(date=None)
        .filter(date__lte=timezone.localdate(moment))
        .order_by("-date")
        .first()
    )
    writes = [
        model.history.filter(history_date__lte=moment).aggregate(last=Max("history_date"))["last"]
        for model in (PhaseRecord, Event, Agreement, Participation)
    ]
    return OverviewPage(
        as_of=as_of,
        known_at=known_at,
        groups=phase_overview(as_of=as_of, known_at=known_at),
        progress=target_progress(as_of=as_of, known_at=known_at),
        data_until=newest.partial_date if newest else None,
        last_updated=max((w for w in writes if w), default=None),
    )


#: The words in which a date's wording in the reference data says that the source gives no
#: date: an editor's note, not a quotation, so the page says it in its own language.
UNSTATED_DATE_TEXTS = frozenset({"datum niet genoemd", "datum niet vermeld"})

#: The roles of a participation from the most to the least prominent (the order of the
#: model's choices): an organisation's row is placed by its most prominent role.
ROLE_ORDER = tuple(Participation.Role.values)


@dataclass(frozen=True)
class Citation:
    """A source with the passage cited (``locator``)."""

    source: Source
    locator: str


@dataclass(frozen=True)
class RoleSpan:
    """One role of an organisation in a trajectory, with its period where one is recorded."""

    role: str
    label: str
    valid_from: PartialDate | None
    valid_until: PartialDate | None


@dataclass(frozen=True)
class OrganisationRoles:
    """An organisation in a trajectory with all its roles, notes and sources merged."""

    organisation: Any
    roles: list[RoleSpan]
    notes: list[str]
    citations: list[Citation]


def _role_rank(role: str) -> int:
    return ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)


def _by_organisation(participations: list[Participation]) -> list[OrganisationRoles]:
    """One entry per organisation, its roles most prominent first; organisations by their most
    prominent role, then by name."""
    grouped: dict[int, list[Participation]] = {}
    for participation in participations:
        grouped.setdefault(participation.organisation_id, []).append(participation)
    entries = []
    for own in grouped.values():
        own.sort(key=lambda p: (_role_rank(p.role), p.valid_from or dt.date.min))
        notes: list[str] = []
        citations: list[Citation] = []
        for p in own:
            note = localized(p, "note")
            if note and note not in notes:
                notes.append(note)
            citation = Citation(p.source, p.source_locator)
            if citation not in citations:
                citations.append(citation)
        roles = [
            RoleSpan(
                p.role,
                str(p.get_role_display()),
                PartialDateFields.read(p.valid_from, p.valid_from_precision),
                PartialDateFields.read(p.valid_until, p.valid_until_precision),
            )
            for p in own
        ]
        entries.append(OrganisationRoles(own[0].organisation, roles, notes, citations))
    entries.sort(key=lambda e: (_role_rank(e.roles[0].role), e.organisation.name.casefold()))
    return entries


@dataclass(frozen=True)
class TrajectoryPage:
    """Everything the trajectory page shows, with every source cited on it."""

    trajectory: Trajectory
    state: TrajectoryState
    history: list[PhaseRecord]
    participations: list[Participation]
    events: list[Event]
    initiatives: list[Any]
    actions: list[GovernmentAction]
    agreements: list[Any]
    sources: list[Source]
    divisions: list[dict[str, Any]]
    #: The participations once per organisation, with all its roles.
    organisations: list[OrganisationRoles] = field(default_factory=list)
    #: The agreements with their parties grouped by kind of organisation.
    agreement_details: list[AgreementDetail] = field(default_factory=list)


def trajectory_page(*, slug: str, as_of: dt.date, known_at: dt.datetime | None) -> TrajectoryPage:
    """The trajectory ``slug`` on ``as_of`` as known at ``known_at``; NotFound if unknown."""
    trajectory = trajectory_get(slug=slug, known_at=known_at)
    if trajectory is None:
        raise NotFound(f"No trajectory with slug '{slug}'.", field="slug")
    history = phase_history(trajectory=trajectory)
    participations = list(trajectory.participations.all())
    events = _by_date(trajectory.events.all())
    initiatives = list(trajectory.initiatives.all())
    actions = list(trajectory.government_actions.all())
    agreements = list(trajectory.agreements.all())
    cited: dict[int, Source] = {trajectory.source_id: trajectory.source}
    for item in [*history, *participations, *events, *initiatives, *actions, *agreements]:
        cited[item.source_id] = item.source
    sectors = list(trajectory.sectors.all())
    naces = divisions_of(code for sector in sectors for code in sector.nace_codes)
    return TrajectoryPage(
        trajectory=trajectory,
        state=trajectory_states(as_of=as_of, known_at=known_at, slugs=[slug])[0],
        history=history,
        participations=participations,
        events=events,
        initiatives=initiatives,
        actions=actions,
        agreements=agreements,
        sources=sorted(cited.values(), key=lambda s: (s.date or dt.date.min, s.title)),
        divisions=division_summaries(naces=naces, lang=active_language()),
        organisations=_by_organisation(participations),
        agreement_details=agreement_details(agreements=agreements),
    )


@dataclass(frozen=True)
class ProgrammePage:
    """Government's actions per role, the cross-sector themes and every event."""

    by_role: list[tuple[str, list[GovernmentAction]]]
    themes: list[Theme]
    events: list[Event]


def cross_sector_themes() -> list[Theme]:
    """The themes the programme treats across sectors, with who advises on each."""
    return list(
        Theme.objects.filter(cross_sector=True)
        .select_related("source")
        .prefetch_related("advice__organisation")
    )


def programme_page(*, known_at: dt.datetime | None = None) -> ProgrammePage:
    """The programme as known at ``known_at`` (default: now)."""
    moment = known_at or timezone.now()
    actions = list(
        GovernmentAction.objects.known_at(moment)
        .select_related("source")
        .prefetch_related("trajectories", "organisations")
    )
    by_role = [
        (label, [a for a in actions if a.role == role])
        for role, label in GovernmentAction.Role.choices
    ]
    events = (
        Event.objects.known_at(moment)
        .select_related("source")
        .prefetch_related("trajectories", "organisations")
    )
    return ProgrammePage(
        by_role=[(label, items) for label, items in by_role if items],
        themes=cross_sector_themes(),
        events=_by_date(events),
    )


#: Where the programme's timeline starts: the SRA was commissioned in 2013.
TIMELINE_START = dt.date(2013, 1, 1)


@dataclass(frozen=True)
class Mark:
    """A dated moment on a trajectory's lane: an agreement signed or ended."""

    kind: str  # "signed" or "ended"
    date: dt.date
    label: str


@dataclass(frozen=True)
class Lane:
    slug: str
    name: str
    segments: list[Segment]
    marks: list[Mark]


@dataclass(frozen=True)
class Timeline:
    start: dt.date
    end: dt.date
    lanes: list[Lane]


def programme_timeline(*, as_of: dt.date, known_at: dt.datetime | None = None) -> Timeline:
    """Every trajectory's phases from 2013 to ``as_of`` as known at ``known_at``, with its
    agreements' signing and end marked (for the swimlane picture and its table)."""
    moment = known_at or timezone.now()
    trajectories = list(trajectory_list(as_of=as_of, known_at=moment))
    facts: dict[int, list[PhaseFact]] = {}
    for record in PhaseRecord.objects.filter(trajectory__in=trajectories).select_related(
        "trajectory"
    ):
        facts.setdefault(record.trajectory_id, []).append(_fact(record))
    marks: dict[int, list[Mark]] = {}
    for agreement in Agreement.objects.known_at(moment).filter(signed__lte=as_of):
        if agreement.trajectory_id is None:
            continue
        own = marks.setdefault(agreement.trajectory_id, [])
        own.append(Mark("signed", agreement.signed, agreement.title))
        if agreement.ended and agreement.ended <= as_of:
            own.append(Mark("ended", agreement.ended, agreement.title))
    lanes = [
        Lane(
            t.slug,
            t.name,
            phase_segments(facts.get(t.pk, []), known_at=moment, until=as_of),
            sorted(marks.get(t.pk, []), key=lambda m: m.date),
        )
        for t in trajectories
    ]
    lanes.sort(key=lambda lane: (lane.segments[0].start if lane.segments else as_of, lane.name))
    return Timeline(TIMELINE_START, as_of, lanes)


# --- the editors' home: what needs attention per trajectory -------------------------------

#: A trajectory of which nothing new was recorded for this long needs an update.
QUIET_AFTER = dt.timedelta(days=91)


@dataclass(frozen=True)
class Attention:
    """One trajectory an editor edits, with what needs attention."""

    trajectory: Trajectory
    state: TrajectoryState
    overdue_events: list[Event]  # planned, their date passed, no outcome recorded
    last_update: dt.datetime | None  # the latest fact recorded for it (any kind)
    quiet: bool  # no update for three months


def trajectories_attention(
    *, trajectory_ids: set[int] | None, today: dt.date | None = None
) -> list[Attention]:
    """The trajectories ``trajectory_ids`` (None: all) with their planned events whose date
    has passed without an outcome, and whether nothing was recorded for three months. A fixed
    number of queries, whatever the number of trajectories."""
    today = today or timezone.localdate()
    states = trajectory_states(as_of=today)
    if trajectory_ids is not None:
        states = [s for s in states if s.trajectory.pk in trajectory_ids]
    ids = [s.trajectory.pk for s in states]
    overdue: dict[int, list[Event]] = {}
    for event in (
        Event.objects.current()
        .filter(status=Event.Status.PLANNED, date__lt=today, trajectories__in=ids)
        .prefetch_related("trajectories")
        .distinct()
        .order_by("date", "key")
    ):
        for trajectory in event.trajectories.all():
            overdue.setdefault(trajectory.pk, []).append(event)
    last: dict[int, dt.datetime] = {}
    for model, link in (
        (PhaseRecord, "trajectory"),
        (Participation, "trajectory"),
        (Agreement, "trajectory"),
        (Event, "trajectories"),
    ):
        rows = (
            model.objects.filter(**{f"{link}__in": ids})
            .values(link)
            .annotate(last=Max("recorded_at"))
            .values_list(link, "last")
        )
        for pk, moment in rows:
            if moment is not None and (pk not in last or moment > last[pk]):
                last[pk] = moment
    quiet_before = timezone.now() - QUIET_AFTER
    return [
        Attention(
            trajectory=s.trajectory,
            state=s,
            overdue_events=overdue.get(s.trajectory.pk, []),
            last_update=last.get(s.trajectory.pk),
            quiet=last.get(s.trajectory.pk) is None or last[s.trajectory.pk] < quiet_before,
        )
        for s in sorted(states, key=lambda s: s.trajectory.name)
    ]
