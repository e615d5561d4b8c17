"""What changed in the programme between two dates, as known at a moment.

The core of every progress report: phase changes, agreements signed and ended, events held and
newly planned, organisations joining and leaving, target revisions; each with its date and the
source that reports it. Valid time decides what happened in the period; knowledge time
(``known_at``) decides what is known of it. "Newly planned" is the one change told by knowledge
time: a planned event that became known in the period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.agreements.models import Agreement, Convention, TargetVersion
from imvo.analysis.forecast import (
    OPEN_PHASES,
    BacktestCase,
    ForecastInput,
    PhaseSpell,
    TargetSpec,
    TrajectoryFacts,
    backtest,
    forecast,
)
from imvo.analysis.forecast import Agreement as SignedAgreement
from imvo.analysis.forecast.data import LETTER_DATE
from imvo.core.dates import PartialDate
from imvo.core.errors import ImvoError
from imvo.core.moments import end_of_day, start_of_day
from imvo.sources.models import Source
from imvo.trajectories.models import Event, Participation, PhaseRecord
from imvo.trajectories.phases import Phase
from imvo.trajectories.selectors import phase_facts, trajectory_list, trajectory_states

KINDS = (
    "phase",
    "agreement_signed",
    "agreement_ended",
    "event_held",
    "event_planned",
    "organisation_joined",
    "organisation_left",
    "target_revised",
)


@dataclass(frozen=True)
class Change:
    date: dt.date
    kind: str  # one of KINDS
    title: str  # what changed, in the active language
    trajectories: tuple[str, ...]  # slugs
    source: Source
    locator: str
    certainty: str = "confirmed"
    #: The precision of ``date`` as the source gives it (day, month, year).
    precision: str = "day"

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


KIND_LABELS = {
    "phase": gettext_lazy("phase change"),
    "agreement_signed": gettext_lazy("agreement signed"),
    "agreement_ended": gettext_lazy("agreement ended"),
    "event_held": gettext_lazy("event held"),
    "event_planned": gettext_lazy("event newly planned"),
    "organisation_joined": gettext_lazy("organisation joined"),
    "organisation_left": gettext_lazy("organisation left"),
    "target_revised": gettext_lazy("target revised"),
}


@dataclass(frozen=True)
class Changes:
    since: dt.date
    until: dt.date
    known_at: dt.datetime | None
    changes: list[Change]


def programme_changes(
    *, since: dt.date, until: dt.date, known_at: dt.datetime | None = None
) -> Changes:
    """Every change dated from ``since`` to ``until`` (both included), as known at ``known_at``
    (default: now), in date order."""
    if since > until:
        raise ImvoError(
            _("the first day (%(since)s) is after the last day (%(until)s)")
            % {"since": since.isoformat(), "until": until.isoformat()},
            field="since",
        )
    moment = known_at or timezone.now()
    period = {"__gte": since, "__lte": until}

    def within(field: str) -> dict[str, dt.date]:
        return {f"{field}{op}": day for op, day in period.items()}

    found: list[Change] = []
    phases = (
        PhaseRecord.objects.known_at(moment)
        .filter(**within("valid_from"), date_basis=PhaseRecord.DateBasis.START)
        .select_related("trajectory", "source")
    )
    for r in phases:
        title = _("%(trajectory)s: %(phase)s") % {
            "trajectory": r.trajectory.name,
            "phase": Phase(r.phase).label,
        }
        found.append(
            Change(r.valid_from, "phase", title, (r.trajectory.slug,), r.source,
                   r.source_locator, r.certainty, r.valid_from_precision)
        )  # fmt: skip
    agreements = Agreement.objects.known_at(moment).select_related("trajectory", "source")
    for a in agreements.filter(**within("signed")):
        found.append(_agreement(a, "agreement_signed", a.signed))
    for a in agreements.filter(**within("ended")):
        found.append(_agreement(a, "agreement_ended", a.ended))
    events = (
        Event.objects.known_at(moment).select_related("source").prefetch_related("trajectories")
    )
    for e in events.filter(status=Event.Status.HELD, **within("date")):
        found.append(_event(e, "event_held", e.date))
    newly = events.filter(
        status=Event.Status.PLANNED,
        recorded_at__gte=start_of_day(since),
        recorded_at__lte=end_of_day(until),
    )
    for e in newly:
        found.append(_event(e, "event_planned", timezone.localdate(e.recorded_at)))
    participations = Participation.objects.known_at(moment).select_related(
        "trajectory", "organisation", "source"
    )
    for p in participations.filter(**within("valid_from")):
        found.append(_participation(p, "organisation_joined", p.valid_from))
    for p in participations.filter(**within("valid_until")):
        found.append(_participation(p, "organisation_left", p.valid_until))
    versions = TargetVersion.objects.known_at(moment).select_related("target", "source")
    for v in versions.filter(**within("decided")):
        title = _("%(target)s: %(value)d by %(deadline)s") % {
            "target": v.target.title,
            "value": v.value,
            "deadline": v.deadline.isoformat(),
        }
        found.append(
            Change(v.decided, "target_revised", title, (), v.source, v.source_locator, v.certainty)
        )
    found.sort(key=lambda c: (c.date, KINDS.index(c.kind), c.title))
    return Changes(since, until, known_at, found)


def _first_told(record: Any, field: str) -> Any:
    """The earliest record of a correction chain that already held ``field``'s current value:
    its source is the one that first reported it (a later correction may cite another)."""
    value = getattr(record, field)
    while record.supersedes_id and getattr(record.supersedes, field) == value:
        record = record.supersedes
    return record


def _agreement(a: Agreement, kind: str, day: dt.date) -> Change:
    slugs = (a.trajectory.slug,) if a.trajectory else ()
    told = _first_told(a, "signed" if kind == "agreement_signed" else "ended")
    precision = a.signed_precision if kind == "agreement_signed" else a.ended_precision
    return Change(
        day, kind, a.title, slugs, told.source, told.source_locator, told.certainty, precision
    )


def _event(e: Event, kind: str, day: dt.date) -> Change:
    slugs = tuple(t.slug for t in e.trajectories.all())
    told = _first_told(e, "status")
    precision = e.date_precision if kind == "event_held" else "day"
    return Change(
        day, kind, e.title, slugs, told.source, told.source_locator, told.certainty, precision
    )


def _participation(p: Participation, kind: str, day: dt.date) -> Change:
    title = _("%(organisation)s in %(trajectory)s (%(role)s)") % {
        "organisation": p.organisation.name,
        "trajectory": p.trajectory.name,
        "role": p.get_role_display(),
    }
    return Change(day, kind, title, (p.trajectory.slug,), p.source, p.source_locator, p.certainty)


# -- The forecast's input: the bitemporal facts as of D, known at T -------------------------

#: The seed letter (Kamerstuk 26 485, nr. 212, 10 July 2015) lists every sector trajectory of
#: the programme at its date; a trajectory first recorded after it is a new arrival.
PROGRAMME_INVENTORY = dt.date(2015, 7, 10)

#: How far past the last deadline the forecast is simulated (for the date the target is reached).
REACH_YEARS = 5

#: The real letters to parliament that are the backtest's forecast origins (programme history).
BACKTEST_ORIGINS = (
    dt.date(2015, 7, 10),
    dt.date(2016, 6, 17),
    dt.date(2016, 11, 7),
    dt.date(2017, 9, 28),
    dt.date(2019, 6, 11),
)
#: Horizons: the end of each year 2016-2019 after the origin.
BACKTEST_YEARS = (2016, 2017, 2018, 2019)
#: The two counting conventions the backtest scores: the programme's own count of IMVO
#: covenants, and every signed agreement (the 2014 coal agreement included).
BACKTEST_CONVENTIONS = ("programme", "all_signed")


def _spells(facts: list[Any]) -> tuple[tuple[PhaseSpell, ...], str, dt.date | None]:
    """A trajectory's phase spells from its known facts (sorted by start, none after the
    origin), its state on the origin and its signing date."""
    runs: list[tuple[str, dt.date, bool]] = []  # (phase, start, left_truncated)
    for fact in facts:
        phase = "signed" if fact.phase == "ended" else fact.phase
        if runs and runs[-1][0] == phase:
            continue  # the same phase observed again
        if runs and runs[-1][1] == fact.valid_from.start:
            runs.pop()  # a later record with the same start takes over
        runs.append((phase, fact.valid_from.start, fact.basis == "observed"))
    spells = []
    for index, (phase, start, truncated) in enumerate(runs):
        if phase not in OPEN_PHASES:
            break
        following = runs[index + 1] if index + 1 < len(runs) else None
        spells.append(
            PhaseSpell(
                phase=phase,
                start=start,
                left_truncated=truncated,
                end=following[1] if following else None,
                exit=following[0] if following else None,
            )
        )
    state = runs[-1][0] if runs else "no_initiative"
    signed = next((start for phase, start, _t in runs if phase == "signed"), None)
    return tuple(spells), state, signed


def forecast_input(*, as_of: dt.date, known_at: dt.datetime | None = None) -> tuple[Any, list[Any]]:
    """What the forecast engine needs on ``as_of`` by what was recorded at ``known_at``
    (default: now): each trajectory's phase spells cut at ``as_of``, the agreements signed by
    then, the arrivals of new trajectories, and the target versions in force (deadline on or
    after ``as_of``). Nothing recorded after ``known_at`` or valid after ``as_of`` is used."""
    moment = known_at or timezone.now()
    conventions = list(Convention.objects.order_by("key").values_list("key", flat=True))
    conventions.sort(key=lambda key: (key != "programme", key))
    agreements = list(
        Agreement.objects.known_at(moment)
        .filter(signed__lte=as_of)
        .select_related("trajectory")
        .prefetch_related("counted_by")
        .order_by("signed", "key")
    )
    counted = {a.key: frozenset(c.key for c in a.counted_by.all()) for a in agreements}
    by_trajectory = {a.trajectory.slug: counted[a.key] for a in agreements if a.trajectory}
    facts = phase_facts(known_at=moment, until=as_of)
    trajectories, arrivals = [], []
    for trajectory in trajectory_list(as_of=as_of, known_at=moment):
        own = facts.get(trajectory.slug, [])
        if not own and trajectory.joined is None:
            continue  # nothing known of it by then
        spells, state, signed = _spells(own)
        first = own[0].valid_from.start if own else trajectory.joined
        if not own:
            spells = (PhaseSpell("no_initiative", first, True, None, None),)
        if first is not None and first > PROGRAMME_INVENTORY:
            arrivals.append(first)
        trajectories.append(
            TrajectoryFacts(
                key=trajectory.slug,
                spells=spells,
                state=state,
                signed=signed,
                counted_by=by_trajectory.get(trajectory.slug, frozenset(conventions)),
            )
        )
    data = ForecastInput(
        origin=as_of,
        known_at=timezone.localdate(moment),
        trajectories=tuple(trajectories),
        agreements=tuple(SignedAgreement(a.key, a.signed, counted[a.key]) for a in agreements),
        arrivals=tuple(sorted(arrivals)),
        arrivals_since=min(PROGRAMME_INVENTORY, as_of),
        conventions=tuple(conventions),
    )
    versions = (
        TargetVersion.objects.known_at(moment)
        .filter(decided__lte=as_of, deadline__gte=as_of)
        .select_related("convention")
        .order_by("decided", "deadline", "key")
    )
    specs = [TargetSpec(v.key, v.value, v.deadline, v.convention.key) for v in versions]
    # a revision that restates an earlier one (same value, deadline and counting) replaces it
    targets = [
        spec
        for i, spec in enumerate(specs)
        if not any(
            (later.value, later.deadline, later.convention)
            == (spec.value, spec.deadline, spec.convention)
            for later in specs[i + 1 :]
        )
    ]
    return data, targets


def forecast_backtest_cases() -> list[Any]:
    """The backtest: at each real letter (:data:`BACKTEST_ORIGINS`), the forecast input as
    known at the end of that day and the target version then in force; the real counts at the
    end of each later year (:data:`BACKTEST_YEARS`) under each of :data:`BACKTEST_CONVENTIONS`,
    by what is known now."""
    now = timezone.now()
    agreements = list(Agreement.objects.known_at(now).prefetch_related("counted_by"))
    cases = []
    for origin in BACKTEST_ORIGINS:
        data, targets = forecast_input(as_of=origin, known_at=end_of_day(origin))
        horizons = tuple(dt.date(year, 12, 31) for year in BACKTEST_YEARS if year >= origin.year)
        actual = {
            (convention, horizon): sum(
                1
                for a in agreements
                if a.signed <= horizon and convention in {c.key for c in a.counted_by.all()}
            )
            for convention in BACKTEST_CONVENTIONS
            for horizon in horizons
        }
        target = targets[-1] if targets else None  # the latest decided version in force
        cases.append(BacktestCase(origin, data, target, horizons, actual))
    return cases


def programme_forecast(
    *,
    as_of: dt.date,
    known_at: dt.datetime | None = None,
    target: str | None = None,
    runs: int = 10_000,
    seed: int = 0,
) -> Any:
    """The forecast of the targets in force on ``as_of`` by what was recorded at ``known_at``
    (:func:`imvo.analysis.forecast.forecast`); ``target`` keeps only that target version.

    Refused with a message (``ImvoError``): an origin or a moment before the first documented
    prior (10 July 2015), no trajectory known by then, no target in force, an unknown target
    version."""
    if as_of < LETTER_DATE:
        raise ImvoError(
            _(
                "--as-of %(date)s: the forecast starts on %(first)s, the date of the first "
                "letter to parliament; no documented prior was knowable before it"
            )
            % {"date": as_of.isoformat(), "first": LETTER_DATE.isoformat()},
            field="as_of",
        )
    if known_at is not None and timezone.localdate(known_at) < LETTER_DATE:
        raise ImvoError(
            _(
                "--known-at %(date)s: the forecast needs what was known on %(first)s or "
                "later; no documented prior was knowable before it"
            )
            % {"date": timezone.localdate(known_at).isoformat(), "first": LETTER_DATE.isoformat()},
            field="known_at",
        )
    data, targets = forecast_input(as_of=as_of, known_at=known_at)
    if not data.trajectories:
        raise ImvoError(
            _("No trajectory was known on %(date)s: there is nothing to forecast.")
            % {"date": as_of.isoformat()},
            field="as_of",
        )
    if target is not None:
        known = [t.key for t in targets]
        targets = [t for t in targets if t.key == target]
        if not targets:
            raise ImvoError(
                _(
                    "--target: no target version '%(key)s' in force on %(date)s "
                    "(in force: %(known)s)"
                )
                % {
                    "key": target,
                    "date": as_of.isoformat(),
                    "known": ", ".join(known) or _("none"),
                },
                field="target",
            )
    if not targets:
        raise ImvoError(
            _("No target was in force on %(date)s (every known deadline had passed).")
            % {"date": as_of.isoformat()},
            field="as_of",
        )
    # simulated beyond the last deadline, so that a target missed in time still gets the date
    # by which it is reached
    until = max(t.deadline for t in targets) + dt.timedelta(days=round(REACH_YEARS * 365.25))
    return forecast(data, targets, runs=runs, seed=seed, until=until)


def programme_backtest(*, runs: int = 10_000, seed: int = 0) -> Any:
    """The backtest over :func:`forecast_backtest_cases`
    (:func:`imvo.analysis.forecast.backtest`)."""
    return backtest(
        forecast_backtest_cases(), conventions=BACKTEST_CONVENTIONS, runs=runs, seed=seed
    )


# --------------------------------------------------------------------------- progress report

#: Roles that lead a trajectory's talks (named as its convenor in the letter) and roles of the
#: parties at the table.
CONVENOR_ROLES = ("convenor", "mediator", "penvoerder", "chair", "facilitator")
PARTY_ROLES = ("initiator", "lead", "party")
#: Kinds of organisation §4 of the letter names as stakeholders.
STAKEHOLDER_KINDS = ("ngo", "trade_union", "ser", "knowledge_institute", "multi_stakeholder")
#: The runs of the forecast sentence in §5 (enough for its band to settle; see issue 11).
REPORT_FORECAST_RUNS = 10_000
ADDRESSEE = {
    "nl": ("Aan de Voorzitter van de", "Tweede Kamer der Staten-Generaal", "Binnenhof 4",
           "Den Haag"),
    "en": ("To the Speaker of the", "House of Representatives of the States General",
           "Binnenhof 4", "The Hague"),
}  # fmt: skip


def _cite(source: Source, locator: str = "") -> Any:
    from imvo.programme.letter import Cite

    return Cite(
        key=source.key,
        title=source.title,
        reference=source.reference,
        date=source.partial_date,
        url=source.url,
        locator=locator,
    )


def _text(record: Any, name: str) -> dict[str, str]:
    return {"nl": getattr(record, f"{name}_nl", "") or "", "en": getattr(record, f"{name}_en", "")}


def programme_start() -> dt.date | None:
    """The first day of the programme: the first decision on its target (June 2014)."""
    first = TargetVersion.objects.order_by("decided").values_list("decided", flat=True).first()
    return first


def previous_letter(*, before: dt.date, known_at: dt.datetime) -> Event | None:
    """The last letter to parliament on the whole programme (not one on a single trajectory)
    held before ``before``."""
    return (
        Event.objects.known_at(known_at)
        .filter(kind=Event.Kind.LETTER_TO_PARLIAMENT, status=Event.Status.HELD, date__lt=before)
        .filter(trajectories__isnull=True)
        .order_by("-date", "-key")
        .first()
    )


def _months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def progress_report(
    *, as_of: dt.date, since: dt.date | None = None, known_at: dt.datetime | None = None
) -> Any:
    """The progress letter's data on ``as_of`` by what was recorded at ``known_at`` (default:
    the end of ``as_of``), with what changed since ``since`` (default: the day after the
    previous letter to parliament on the programme).

    Refused with a message naming the option (``ImvoError``): a day before the programme,
    ``since`` after ``as_of``, a moment before the programme, nothing known by then."""
    from imvo import __version__
    from imvo.core.models import DataVersion
    from imvo.parliament.selectors import commitment_list
    from imvo.programme import letter as L
    from imvo.proposals.models import ProgressNote
    from imvo.trajectories.models import Trajectory

    start = programme_start()
    if start is None or as_of < start:
        raise ImvoError(
            _("%(date)s is before the programme (its first target was decided on %(start)s)")
            % {"date": as_of.isoformat(), "start": start.isoformat() if start else "—"},
            field="as_of",
        )
    if since is not None and since > as_of:
        raise ImvoError(
            _("%(since)s is after the reference date %(as_of)s")
            % {"since": since.isoformat(), "as_of": as_of.isoformat()},
            field="since",
        )
    moment = known_at or end_of_day(as_of)
    if timezone.localdate(moment) < start:
        raise ImvoError(
            _("%(date)s is before the programme (its first target was decided on %(start)s)")
            % {"date": timezone.localdate(moment).isoformat(), "start": start.isoformat()},
            field="known_at",
        )
    if since is None:
        previous = previous_letter(before=as_of, known_at=moment)
        since = previous.date + dt.timedelta(days=1) if previous and previous.date else start

    states = {s.slug: s for s in trajectory_states(as_of=as_of, known_at=moment)}
    if not states:
        raise ImvoError(
            _("No trajectory was known on %(date)s.") % {"date": as_of.isoformat()},
            field="as_of",
        )
    trajectories = {
        t.slug: t
        for t in Trajectory.objects.filter(slug__in=states)
        .select_related("source", "reported_with")
        .prefetch_related("sectors__parent", "initiatives__source")
    }
    participations: dict[str, list[Participation]] = {}
    for p in (
        Participation.objects.known_at(moment)
        .filter(trajectory__slug__in=states)
        .select_related("organisation", "source", "trajectory")
        .order_by("organisation__name_nl", "role")
    ):
        if p.valid_from and p.valid_from > as_of:
            continue
        if p.valid_until and p.valid_until < as_of:
            continue
        participations.setdefault(p.trajectory.slug, []).append(p)
    events = list(
        Event.objects.known_at(moment)
        .select_related("source")
        .prefetch_related("trajectories")
        .order_by("date", "key")
    )
    events_of: dict[str, list[Event]] = {}
    for e in events:
        for t in e.trajectories.all():
            events_of.setdefault(t.slug, []).append(e)
    history = phase_facts(known_at=moment, until=as_of)
    records = {
        r.pk: r
        for r in PhaseRecord.objects.filter(trajectory__slug__in=states).select_related("source")
    }
    agreements = {
        a.trajectory.slug: a
        for a in Agreement.objects.known_at(moment)
        .filter(signed__lte=as_of, trajectory__isnull=False)
        .select_related("trajectory", "source")
        .order_by("signed")
    }
    period = str(as_of.year)
    notes = {
        n.trajectory.slug: n
        for n in ProgressNote.objects.known_at(moment)
        .filter(period=period)
        .select_related("trajectory")
    }
    changes = programme_changes(since=since, until=as_of, known_at=moment)
    changed = {slug for c in changes.changes for slug in c.trajectories}

    def party(p: Participation) -> Any:
        o = p.organisation
        return L.Party(
            o.key, _text(o, "name"), o.abbreviation, p.role, _cite(p.source, p.source_locator)
        )

    def event(e: Event) -> Any:
        return L.EventItem(
            e.key, e.date_partial, e.date_text, e.status, e.kind, _text(e, "title"),
            _cite(e.source, e.source_locator), e.certainty,
        )  # fmt: skip

    def steps(slug: str) -> tuple[Any, ...]:
        return tuple(
            L.PhaseStep(f.phase, f.valid_from, f.basis,
                        _cite(records[f.record_id].source, records[f.record_id].source_locator))
            for f in history.get(slug, [])
        )  # fmt: skip

    items: dict[str, Any] = {}
    for slug, state in states.items():
        t = trajectories[slug]
        own = participations.get(slug, [])
        own_events = events_of.get(slug, [])
        held = [
            e for e in own_events
            if e.status == Event.Status.HELD and e.date and since <= e.date <= as_of
        ]  # fmt: skip
        planned = [
            e for e in own_events
            if e.status == Event.Status.PLANNED and (e.date is None or e.date_partial.end >= as_of)
        ]  # fmt: skip
        planned.sort(key=lambda e: (e.date is None, e.date or dt.date.max, e.key))
        sectors = list(t.sectors.all())
        in_sra = any(
            s.sra_2014_elevated or (s.parent and s.parent.sra_2014_elevated) for s in sectors
        )
        agreement = agreements.get(slug)
        note = notes.get(slug)
        items[slug] = L.TrajectoryItem(
            slug=slug,
            name=_text(t, "name"),
            summary=_text(t, "summary"),
            phase=state.phase,
            since=state.since,
            basis=state.basis,
            phase_source=_cite(state.record.source, state.record.source_locator)
            if state.record else None,
            source=_cite(t.source, t.source_locator),
            in_sra=in_sra,
            convenors=tuple(party(p) for p in own if p.role in CONVENOR_ROLES),
            parties=tuple(party(p) for p in own if p.role in PARTY_ROLES),
            events_held=tuple(event(e) for e in held),
            next_step=event(planned[0]) if planned else None,
            initiatives=tuple(
                L.InitiativeItem(i.key, _text(i, "name"), _cite(i.source, i.source_locator))
                for i in sorted(t.initiatives.all(), key=lambda i: i.key)
            ),
            history=steps(slug),
            agreement=L.AgreementItem(
                agreement.key, _text(agreement, "title"), agreement.signed_partial,
                agreement.ended_partial if agreement.ended and agreement.ended <= as_of else None,
                _cite(agreement.source, agreement.source_locator),
            ) if agreement else None,
            note=L.NoteItem(period, _text(note, "text"), note.recorded_at) if note else None,
            reported_with=t.reported_with.slug
            if t.reported_with and t.reported_with.slug in states else None,
            changed=slug in changed,
        )  # fmt: skip

    groups = _letter_groups(items, L)
    version = DataVersion.objects.filter(pk=DataVersion.ROW).first()
    targets = tuple(_targets(as_of, moment, L))
    commitments = tuple(
        _commitments(commitment_list(known_at=moment, made_by=as_of), as_of, since, L)
    )
    trigger = next((c for c in commitments if c.status == "answered_here"), None)
    curve, convention = _curve(as_of, moment, targets, L)
    return L.ProgressReport(
        as_of=as_of,
        since=since,
        known_at=moment,
        data_version=version.token if version else "",
        data_changed_at=version.changed_at if version else moment,
        software_version=__version__,
        letterhead=L.Letterhead(
            sender={"nl": "Ministerie van Buitenlandse Zaken", "en": "Ministry of Foreign Affairs"},
            addressee=ADDRESSEE,
            reference=f"IMVO Monitor {as_of.isoformat()}",
            subject={
                "nl": "Voortgangsrapportage IMVO-convenanten",
                "en": "Progress report on the IRBC agreements",
            },
            annexes=1,
        ),
        trigger=trigger,
        sra_sectors=tuple(_sra_sectors()),
        sra_source=_sra_source(),
        groups=groups,
        actions=tuple(_actions(moment, since, L)),
        stakeholders=tuple(_stakeholders(participations, L)),
        targets=targets,
        forecast=_forecast_line(as_of, moment, L),
        annex=tuple(_annex(items, events, as_of, moment, changed, L)),
        changes=tuple(
            L.ChangeItem(
                PartialDate.of(c.date, c.precision), c.kind, c.title, c.trajectories,
                _cite(c.source, c.locator),
            )
            for c in changes.changes
        ),
        curve=curve,
        curve_convention=convention,
        commitments=commitments,
        advice=tuple(_advice(moment, L)),
        general_events=tuple(
            event(e)
            for e in events
            if not e.trajectories.all()
            and e.kind not in (Event.Kind.LETTER_TO_PARLIAMENT, Event.Kind.PARLIAMENTARY_DEBATE)
            and (
                (e.status == Event.Status.HELD and e.date and since <= e.date <= as_of)
                or (
                    e.status == Event.Status.PLANNED
                    and (e.date is None or e.date >= as_of.replace(day=1))
                )
            )
        ),
        notes_missing=tuple(
            s for g in groups for s in (t.slug for t in g.trajectories)
            if s not in notes and g.code not in ("ended", "stopped")
        ),
    )  # fmt: skip


def _letter_groups(items: dict[str, Any], L: Any) -> tuple[Any, ...]:
    """The trajectories in the letter's groups (:data:`~imvo.programme.letter.GROUPS`), each
    by name; one reported with another right after it, in that one's group."""
    placed: dict[str, list[Any]] = {code: [] for code in L.GROUPS}
    for item in items.values():
        if item.reported_with:
            continue
        if not item.in_sra and item.phase in L.GROUP_PHASES["joining"]:
            code = "joining"
        else:
            code = item.phase
        placed[code].append(item)
    groups = []
    for code in L.GROUPS:
        members = sorted(placed[code], key=lambda i: i["nl"] if False else i.name["nl"].casefold())
        ordered = []
        for item in members:
            ordered.append(item)
            ordered += sorted(
                (i for i in items.values() if i.reported_with == item.slug),
                key=lambda i: i.name["nl"].casefold(),
            )
        if ordered:
            groups.append(L.Group(code, tuple(ordered)))
    return tuple(groups)


def _sra_sectors() -> list[dict[str, str]]:
    from imvo.sectors.models import Sector

    return [
        _text(s, "name")
        for s in Sector.objects.filter(sra_2014_elevated=True, parent__isnull=True).order_by(
            "name_nl"
        )
    ]


def _sra_source() -> Any:
    source = Source.objects.filter(key="sra-2014").first()
    return _cite(source) if source else None


def _actions(moment: dt.datetime, since: dt.date, L: Any) -> list[Any]:
    from imvo.trajectories.models import GovernmentAction

    found = (
        GovernmentAction.objects.known_at(moment)
        .select_related("source")
        .prefetch_related("trajectories")
        .order_by("role", "key")
    )
    roles = list(GovernmentAction.Role.values)
    return sorted(
        (
            L.ActionItem(
                a.key, a.role, a.status, _text(a, "title"), _text(a, "description"),
                tuple(sorted(t.slug for t in a.trajectories.all())),
                _cite(a.source, a.source_locator),
                timezone.localdate(a.recorded_at) >= since,
            )
            for a in found
        ),
        key=lambda a: (roles.index(a.role) if a.role in roles else len(roles), a.key),
    )  # fmt: skip


def _stakeholders(participations: dict[str, list[Participation]], L: Any) -> list[Any]:
    by_org: dict[str, dict[str, Any]] = {}
    for slug, own in sorted(participations.items()):
        for p in own:
            o = p.organisation
            if o.kind not in STAKEHOLDER_KINDS:
                continue
            entry = by_org.setdefault(
                o.key,
                {
                    "o": o,
                    "roles": [],
                    "trajectories": [],
                    "source": _cite(p.source, p.source_locator),
                },
            )
            if p.role not in entry["roles"]:
                entry["roles"].append(p.role)
            if slug not in entry["trajectories"]:
                entry["trajectories"].append(slug)
    kinds = list(STAKEHOLDER_KINDS)
    return [
        L.StakeholderItem(e["o"].key, e["o"].kind, _text(e["o"], "name"), tuple(e["roles"]),
                          tuple(e["trajectories"]), e["source"])
        for e in sorted(by_org.values(), key=lambda e: (kinds.index(e["o"].kind), e["o"].name_nl))
    ]  # fmt: skip


def _advice(moment: dt.datetime, L: Any) -> list[Any]:
    """Advice on the cross-sector themes whose source was out by ``moment`` (advice has no
    knowledge time of its own: its source's date stands for it)."""
    from imvo.risks.models import ThemeAdvice

    day = timezone.localdate(moment)
    found = ThemeAdvice.objects.select_related("theme", "organisation", "source").order_by(
        "theme__name_nl", "key"
    )
    items = []
    for a in found:
        if a.source.date is not None and a.source.date > day:
            continue
        advisor = _text(a.organisation, "name") if a.organisation else _text(a, "advisor")
        items.append(
            L.AdviceItem(_text(a.theme, "name"), advisor, _cite(a.source, a.source_locator))
        )
    return items


def _targets(as_of: dt.date, moment: dt.datetime, L: Any) -> list[Any]:
    from imvo.agreements.selectors import target_progress

    lines = []
    for progress in target_progress(as_of=as_of, known_at=moment):
        for vp in progress.versions:
            v = vp.version
            lines.append(
                L.TargetLine(
                    v.key, v.value, v.deadline, v.decided_partial, v.convention.key,
                    _text(v.convention, "title"), vp.own.achieved, _text(v, "text"),
                    _cite(v.source, v.source_locator), v.certainty,
                )
            )  # fmt: skip
    return lines


def _forecast_line(as_of: dt.date, moment: dt.datetime, L: Any) -> Any:
    """The forecast of the latest target version in force, under its own convention; None
    where there is none (before the first letter, no target in force)."""
    try:
        forecast = programme_forecast(as_of=as_of, known_at=moment, runs=REPORT_FORECAST_RUNS)
    except ImvoError:
        return None
    own = [t for t in forecast.targets if t.convention == t.target.convention]
    tf = own[-1] if own else forecast.targets[-1]
    q = tf.count_at_deadline
    return L.ForecastLine(
        tf.target.key, tf.target.value, tf.target.deadline, tf.p_target_met, q.p10, q.p50, q.p90,
        forecast.runs, forecast.seed,
    )  # fmt: skip


def _curve(as_of: dt.date, moment: dt.datetime, targets: tuple[Any, ...], L: Any) -> Any:
    from imvo.agreements.selectors import agreement_curves

    convention = targets[-1].convention if targets else "programme"
    curves = agreement_curves(as_of=as_of, known_at=moment)
    curve = next((c for c in curves.curves if c.convention.key == convention), None)
    if curve is None:
        return (), {}
    points = tuple(L.CurvePointItem(p.date, p.count, p.agreement) for p in curve.points)
    return points, _text(curve.convention, "title")


def _annex(
    items: dict[str, Any],
    events: list[Event],
    as_of: dt.date,
    moment: dt.datetime,
    changed: set[str],
    L: Any,
) -> list[Any]:
    """Per trajectory its phases and target dates: the first and the latest date planned for
    its signing, the actual one, and the slippage in months."""
    every = (
        Event.objects.filter(kind=Event.Kind.SIGNING, recorded_at__lte=moment)
        .select_related("source")
        .prefetch_related("trajectories")
        .order_by("recorded_at", "pk")
    )
    plans: dict[str, list[Event]] = {}
    for e in every:
        if e.status == Event.Status.PLANNED and e.date:
            for t in e.trajectories.all():
                plans.setdefault(t.slug, []).append(e)
    rows = []
    for slug, item in items.items():
        own = plans.get(slug, [])
        original = own[0].date_partial if own else None
        current = [e for e in own if e.superseded_at is None or e.superseded_at > moment]
        revised = current[-1].date_partial if current else (own[-1].date_partial if own else None)
        if revised == original:
            revised = None
        actual = item.agreement.signed if item.agreement else None
        slip = None
        if original is not None:
            if actual is not None:
                slip = max(_months(original.end, actual.start), 0)
            elif original.end < as_of:
                slip = _months(original.end, as_of)
            else:
                slip = 0
        rows.append(
            L.AnnexRow(
                slug, item.name, item.phase, item.history, original, revised, actual, slip,
                _cite(own[0].source, own[0].source_locator) if own else None,
                slug in changed,
            )
        )  # fmt: skip
    rows.sort(key=lambda r: r.name["nl"].casefold())
    return rows


def _commitments(found: list[Any], as_of: dt.date, since: dt.date, L: Any) -> list[Any]:
    """The register as this letter gives it: what it answers (the answering letter is dated on
    the reference date, or a commitment to report progress is still open: a progress letter
    answers it), what is still open, what an earlier letter of the period answered, and the
    motions rejected in the period."""
    items = []
    for c in found:
        answered = c.answered_by
        answered_on = answered.date if answered else None
        if c.rejected:
            if c.made < since:
                continue
            status, section = "rejected", None
        elif answered_on is not None and answered_on == as_of:
            status, section = "answered_here", "closing" if c.subject == "target" else "progress"
        elif answered_on is not None and answered_on < as_of:
            if answered_on < since:
                continue  # answered before the previous letter: not this letter's business
            status, section = "answered", None
        elif c.subject == "progress":
            status, section = "answered_here", "progress"
        else:
            status, section = "open", None
        items.append(
            L.CommitmentItem(
                c.key, c.kind, c.reference, c.made_partial, _text(c, "made_in"), _text(c, "by"),
                _text(c, "text"), c.subject, _cite(c.source, c.source_locator), status,
                _cite(answered, c.answered_locator) if status == "answered" else None,
                section, c.certainty,
            )
        )  # fmt: skip
    return items


def programme_letters(*, known_at: dt.datetime | None = None) -> list[Event]:
    """The letters to parliament on the programme as a whole (not on one trajectory), oldest
    first, from the first day the record knew a trajectory: the progress letters the public
    pages reconstruct from the record."""
    from imvo.trajectories.models import Trajectory

    first = Trajectory.objects.order_by("recorded_at").values_list("recorded_at", flat=True)
    known = first.first()
    if known is None:
        return []
    return list(
        Event.objects.known_at(known_at or timezone.now())
        .filter(kind=Event.Kind.LETTER_TO_PARLIAMENT, status=Event.Status.HELD)
        .filter(date__gte=timezone.localdate(known), trajectories__isnull=True)
        .select_related("source")
        .order_by("date", "key")
    )
