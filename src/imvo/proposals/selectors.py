"""Reads of proposals, and the versions that keep concurrent edits from overwriting each other.

**Versions (optimistic concurrency).** A form that edits an existing record carries the
record's version (:func:`record_version`): its id and the id of its latest history row. A
correction supersedes a bitemporal record (a new row, the old one stamped), so any change
gives another version. A form that adds to a trajectory's phase history (a phase change, a
signing) carries the version of that history (:func:`phase_history_version`). When the version
a proposal was based on is no longer current, :func:`version_changes` tells what changed
since: field, old → new, by whom, when and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.agreements.models import Agreement
from imvo.core.audit import AuditEntry, audit_entries, audit_trails
from imvo.core.errors import NotFound
from imvo.organisations.models import Organisation
from imvo.proposals.models import ProgressNote, Proposal
from imvo.sources.models import Source
from imvo.trajectories.models import Event, Participation, PhaseRecord, Trajectory

#: Knowledge-time bookkeeping: never part of what a person changes.
BOOKKEEPING = {"id", "recorded_at", "superseded_at", "supersedes"}

#: The kind of record each kind of proposal writes (a correction names its own).
KIND_MODELS: dict[str, type[models.Model]] = {
    Proposal.Kind.PHASE_CHANGE: PhaseRecord,
    Proposal.Kind.AGREEMENT_SIGN: PhaseRecord,
    Proposal.Kind.EVENT_PLAN: Event,
    Proposal.Kind.EVENT_OUTCOME: Event,
    Proposal.Kind.PARTICIPATION_ADD: Participation,
    Proposal.Kind.PARTICIPATION_END: Participation,
    Proposal.Kind.PROGRESS_NOTE: ProgressNote,
}


@dataclass(frozen=True)
class RecordChange:
    """One change made after a version: which field, from what to what, by whom, when, why."""

    record: str
    field: str
    old: str
    new: str
    who: str
    when: dt.datetime
    reason: str


# --- versions ----------------------------------------------------------------------------


def _last_history_id(model: type[models.Model], **lookup: Any) -> int:
    found = model.history.filter(**lookup).aggregate(last=Max("history_id"))["last"]  # type: ignore[attr-defined]
    return int(found or 0)


def record_version(record: models.Model) -> str:
    """The version of one stored record: ``rec:<label>:<id>:<latest history id>``."""
    label = record._meta.label_lower
    return f"rec:{label}:{record.pk}:{_last_history_id(type(record), id=record.pk)}"


def phase_history_version(trajectory: Trajectory) -> str:
    """The version of a trajectory's phase history and agreements."""
    phases = _last_history_id(PhaseRecord, trajectory_id=trajectory.pk)
    agreements = _last_history_id(Agreement, trajectory_id=trajectory.pk)
    return f"phases:{trajectory.pk}:{phases}:{agreements}"


def progress_note_version(trajectory: Trajectory, period: str) -> str:
    """The version of a trajectory's progress note for one report (there may be none yet)."""
    last = _last_history_id(ProgressNote, trajectory_id=trajectory.pk, period=period)
    return f"notes:{trajectory.pk}:{period}:{last}"


def current_version(token: str) -> str:
    """The version now of what ``token`` is a version of ('' when it cannot be read)."""
    parts = token.split(":")
    if parts[0] == "notes" and len(parts) >= 4:
        trajectory = Trajectory.objects.filter(pk=parts[1]).first()
        period = ":".join(parts[2:-1])
        return progress_note_version(trajectory, period) if trajectory is not None else ""
    if parts[0] == "rec" and len(parts) == 4:
        model = apps.get_model(parts[1])
        record = model._base_manager.filter(pk=parts[2]).first()
        return record_version(record) if record is not None else ""
    if parts[0] == "phases" and len(parts) == 4:
        trajectory = Trajectory.objects.filter(pk=parts[1]).first()
        return phase_history_version(trajectory) if trajectory is not None else ""
    return ""


def is_current(token: str) -> bool:
    """Whether nothing changed since version ``token`` (an empty token is always current)."""
    return not token or current_version(token) == token


def _who(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def shown(model: type[models.Model], name: str, value: Any) -> str:
    """A stored or proposed value as a person reads it: choice labels, related records by name,
    dates in ISO."""
    if value in (None, "", [], ()):
        return "—"
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation and model_field.related_model is not None:
        related = model_field.related_model._default_manager
        if model_field.many_to_many:
            ids = [v.pk if isinstance(v, models.Model) else v for v in value]
            return ", ".join(sorted(str(o) for o in related.filter(pk__in=ids))) or "—"
        if isinstance(value, models.Model):
            return str(value)
        found = related.filter(pk=value).first()
        return str(found) if found is not None else f"#{value}"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def content_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields a person changes: concrete and many-to-many, without the bookkeeping."""
    concrete = [f for f in model._meta.concrete_fields if f.name not in BOOKKEEPING]
    return [*concrete, *model._meta.many_to_many]


def field_value(record: models.Model, model_field: models.Field) -> Any:
    if model_field.many_to_many:
        return sorted(getattr(record, model_field.name).values_list("pk", flat=True))
    return getattr(record, model_field.attname)


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _row_diff(
    before: models.Model, after: models.Model, *, who: str, when: dt.datetime, reason: str
) -> list[RecordChange]:
    model = type(after)
    changes = []
    for model_field in content_fields(model):
        old, new = field_value(before, model_field), field_value(after, model_field)
        if old != new:
            changes.append(
                RecordChange(
                    str(after),
                    str(model_field.verbose_name),
                    shown(model, model_field.name, old),
                    shown(model, model_field.name, new),
                    who,
                    when,
                    reason,
                )
            )
    return changes


def successor(record: models.Model) -> models.Model | None:
    """The record that superseded ``record`` (None: current, or retracted)."""
    return type(record)._base_manager.filter(supersedes=record).first()


def current_row(model: type[models.Model], pk: Any) -> models.Model | None:
    """The current record of the chain that ``pk`` belongs to (following corrections);
    None when it was retracted or never existed."""
    row = model._base_manager.filter(pk=pk).first()
    while row is not None and getattr(row, "superseded_at", None) is not None:
        row = successor(row)
    return row


def _first_history(record: models.Model) -> Any:
    return record.history.order_by("history_id").select_related("history_user").first()  # type: ignore[attr-defined]


def _record_changes(model: type[models.Model], pk: str, since: int) -> list[RecordChange]:
    row = model._base_manager.filter(pk=pk).first()
    if row is None:
        return []
    if not hasattr(row, "superseded_at"):  # an ordinary record: its history after the version
        history = list(
            row.history.filter(history_id__gt=since)  # type: ignore[attr-defined]
            .select_related("history_user")
            .order_by("history_id")
        )
        changes: list[RecordChange] = []
        for entry in history:
            previous = entry.prev_record
            if previous is None:
                continue
            for change in entry.diff_against(previous).changes:
                changes.append(
                    RecordChange(
                        str(row),
                        _label(model, change.field),
                        shown(model, change.field, change.old),
                        shown(model, change.field, change.new),
                        _who(entry.history_user),
                        entry.history_date,
                        entry.history_change_reason or "",
                    )
                )
        return changes
    changes = []
    while row.superseded_at is not None:
        after = successor(row)
        if after is None:  # retracted
            last = row.history.order_by("-history_id").select_related("history_user").first()  # type: ignore[attr-defined]
            changes.append(
                RecordChange(
                    str(row),
                    _("record"),
                    str(row),
                    _("retracted"),
                    _who(last.history_user) if last else "",
                    row.superseded_at,
                    (last.history_change_reason or "") if last else "",
                )
            )
            break
        first = _first_history(after)
        changes += _row_diff(
            row,
            after,
            who=_who(first.history_user) if first else "",
            when=first.history_date if first else after.recorded_at,
            reason=(first.history_change_reason or "") if first else "",
        )
        row = after
    return changes


def _history_additions(trajectory_id: str, phases: int, agreements: int) -> list[RecordChange]:
    changes = []
    for model, since in ((PhaseRecord, phases), (Agreement, agreements)):
        rows = (
            model.history.filter(trajectory_id=trajectory_id, history_id__gt=since)  # type: ignore[attr-defined]
            .select_related("history_user")
            .order_by("history_id")
        )
        for entry in rows:
            if entry.history_type == "+":
                old, new = "—", str(entry.instance)
            elif entry.superseded_at is not None:
                old, new = str(entry.instance), _("superseded or retracted")
            else:
                old, new = "—", str(entry.instance)
            changes.append(
                RecordChange(
                    str(entry.instance),
                    str(model._meta.verbose_name),
                    old,
                    new,
                    _who(entry.history_user),
                    entry.history_date,
                    entry.history_change_reason or "",
                )
            )
    changes.sort(key=lambda c: c.when)
    return changes


def version_changes(token: str) -> list[RecordChange]:
    """What changed after version ``token`` (nothing when it is current)."""
    if is_current(token):
        return []
    parts = token.split(":")
    if parts[0] == "rec":
        return _record_changes(apps.get_model(parts[1]), parts[2], int(parts[3]))
    if parts[0] == "notes":
        return _note_changes(parts[1], ":".join(parts[2:-1]), int(parts[-1]))
    return _history_additions(parts[1], int(parts[2]), int(parts[3]))


def _note_changes(trajectory_id: str, period: str, since: int) -> list[RecordChange]:
    rows = (
        ProgressNote.history.filter(  # type: ignore[attr-defined]
            trajectory_id=trajectory_id, period=period, history_id__gt=since
        )
        .select_related("history_user")
        .order_by("history_id")
    )
    return [
        RecordChange(
            str(entry.instance),
            str(ProgressNote._meta.get_field("text_nl").verbose_name),
            "—",
            entry.text_nl,
            _who(entry.history_user),
            entry.history_date,
            entry.history_change_reason or "",
        )
        for entry in rows
        if entry.history_type == "+"
    ]


# --- proposals ---------------------------------------------------------------------------


def proposal_get(*, pk: int) -> Proposal:
    """One proposal; NotFound when there is none with ``pk``."""
    found = (
        Proposal.objects.select_related("trajectory", "proposed_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("There is no proposal %(pk)s.") % {"pk": pk}, field="pk")
    return found


def _proposals() -> models.QuerySet[Proposal]:
    return Proposal.objects.select_related("trajectory", "proposed_by", "decided_by")


def proposals_pending(*, trajectory_ids: Iterable[int] | None = None) -> list[Proposal]:
    """Pending proposals, oldest first; only of ``trajectory_ids`` when given (None: all)."""
    pending = _proposals().filter(status=Proposal.Status.PENDING)
    if trajectory_ids is not None:
        pending = pending.filter(trajectory_id__in=list(trajectory_ids))
    return list(pending.order_by("proposed_at", "pk"))


def proposals_by(*, user: Any, pending_only: bool = False) -> list[Proposal]:
    """The proposals ``user`` made, newest first."""
    mine = _proposals().filter(proposed_by=user)
    if pending_only:
        mine = mine.filter(status=Proposal.Status.PENDING)
    return list(mine.order_by("-proposed_at", "-pk"))


def proposals_of_trajectory(*, trajectory: Trajectory, pending_only: bool = True) -> list[Proposal]:
    found = _proposals().filter(trajectory=trajectory)
    if pending_only:
        found = found.filter(status=Proposal.Status.PENDING)
    return list(found.order_by("-proposed_at", "-pk"))


@dataclass(frozen=True)
class DiffRow:
    """One proposed value beside the value stored now."""

    group: str
    label: str
    current: str
    proposed: str

    @property
    def changes(self) -> bool:
        return self.current != self.proposed


@dataclass(frozen=True)
class ProposalPage:
    proposal: Proposal
    diff: list[DiffRow]
    stale_changes: list[RecordChange]
    history: list[AuditEntry]
    record: models.Model | None = None
    record_history: list[AuditEntry] = field(default_factory=list)


def proposal_record_model(proposal: Proposal) -> type[models.Model] | None:
    if proposal.record_model:
        return apps.get_model(proposal.record_model)
    return KIND_MODELS.get(proposal.kind)


def _current_phase(trajectory: Trajectory) -> PhaseRecord | None:
    today = timezone.localdate()
    return (
        PhaseRecord.objects.current()
        .filter(trajectory=trajectory, valid_from__lte=today)
        .order_by("-valid_from", "-recorded_at")
        .first()
    )


def _rows(
    group: str, model: type[models.Model], values: dict[str, Any], current: models.Model | None
) -> list[DiffRow]:
    rows = []
    for name, value in values.items():
        if isinstance(value, dict):
            continue
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        now = "—"
        if current is not None:
            now = shown(model, name, field_value(current, model_field))
        rows.append(DiffRow(group, str(model_field.verbose_name), now, shown(model, name, value)))
    return rows


def proposal_diff(proposal: Proposal) -> list[DiffRow]:
    """The proposed values beside the current record (for a new record: the trajectory's
    current phase, or nothing)."""
    payload = dict(proposal.payload)
    model = proposal_record_model(proposal)
    current: models.Model | None = None
    if proposal.record_id and model is not None:
        current = current_row(model, proposal.record_id)
    elif model is PhaseRecord:
        current = _current_phase(proposal.trajectory)
    values = payload.get("values", payload)
    rows = (
        _rows(str(model._meta.verbose_name) if model else "", model, values, current)
        if model
        else []
    )
    if isinstance(payload.get("new_source"), dict):
        rows += _rows(_("new source"), Source, payload["new_source"], None)
    agreement = payload.get("agreement")
    if isinstance(agreement, dict):
        if agreement.get("id"):
            linked = Agreement.objects.filter(pk=agreement["id"]).first()
            rows.append(DiffRow(_("agreement"), _("agreement"), "—", str(linked or "—")))
        else:
            rows += _rows(_("agreement"), Agreement, agreement, None)
    return rows


def proposal_page(*, pk: int) -> ProposalPage:
    """One proposal with its diff against the current record, what changed since it was
    proposed (when it is out of date), its own history and the record's."""
    proposal = proposal_get(pk=pk)
    model = proposal_record_model(proposal)
    record = None
    if proposal.record_id and model is not None:
        record = (
            current_row(model, proposal.record_id)
            or model._base_manager.filter(pk=proposal.record_id).first()
        )
    stale = version_changes(proposal.based_on) if proposal.is_pending else []
    return ProposalPage(
        proposal=proposal,
        diff=proposal_diff(proposal),
        stale_changes=stale,
        history=audit_entries(proposal),
        record=record,
        record_history=audit_entries(record) if record is not None else [],
    )


def organisation_choices() -> list[Organisation]:
    """Organisations to pick from, by kind and name (with their abbreviation)."""
    return list(Organisation.objects.order_by("kind", "name_nl"))


# --- what the editors' forms and pages read ---------------------------------------------------


def editor_trajectory(*, slug: str) -> Trajectory:
    """The trajectory ``slug`` for an editors' form; NotFound when there is none."""
    found = Trajectory.objects.filter(slug=slug).prefetch_related("sectors").first()
    if found is None:
        raise NotFound(_("No trajectory with slug '%(slug)s'.") % {"slug": slug}, field="slug")
    return found


@dataclass(frozen=True)
class Choices:
    """The choices of the editors' forms, with their labels in the active language."""

    phases: list[tuple[str, str]]
    precisions: list[tuple[str, str]]
    date_bases: list[tuple[str, str]]
    source_kinds: list[tuple[str, str]]
    agreement_kinds: list[tuple[str, str]]
    roles: list[tuple[str, str]]
    event_kinds: list[tuple[str, str]]
    outcomes: list[tuple[str, str]]


def form_choices() -> Choices:
    from imvo.core.models import PRECISION_CHOICES
    from imvo.trajectories.phases import Phase

    def labelled(choices: Iterable[tuple[str, Any]]) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in choices]

    return Choices(
        phases=labelled(c for c in Phase.choices if c[0] != Phase.NO_INITIATIVE),
        precisions=labelled(PRECISION_CHOICES),
        date_bases=labelled(PhaseRecord.DateBasis.choices),
        source_kinds=labelled(Source.Kind.choices),
        agreement_kinds=labelled(Agreement.Kind.choices),
        roles=labelled(Participation.Role.choices),
        event_kinds=labelled(Event.Kind.choices),
        outcomes=labelled(
            c for c in Event.Status.choices if c[0] in (Event.Status.HELD, Event.Status.CANCELLED)
        ),
    )


def source_label(source: Source) -> str:
    """A source as a choice: title, reference and date, so that look-alikes differ."""
    parts = [source.title]
    if source.reference:
        parts.append(source.reference)
    parts.append(source.partial_date.iso() if source.partial_date else _("undated"))
    return " — ".join(parts)


def source_choices() -> list[tuple[int, str]]:
    """Every source as (id, 'title — reference — date'), newest first."""
    return [(s.pk, source_label(s)) for s in Source.objects.order_by("-date", "title")]


def organisation_label(organisation: Organisation) -> str:
    name = organisation.name
    if organisation.abbreviation and organisation.abbreviation != name:
        name = f"{name} ({organisation.abbreviation})"
    return name


def organisation_choices_by_kind() -> list[tuple[str, list[tuple[int, str]]]]:
    """Organisations grouped by kind (each group by name), as grouped form choices."""
    labels = dict(Organisation.Kind.choices)
    groups: dict[str, list[tuple[int, str]]] = {}
    for organisation in Organisation.objects.order_by("name_nl"):
        groups.setdefault(organisation.kind, []).append(
            (organisation.pk, organisation_label(organisation))
        )
    return [
        (str(labels.get(kind, kind)), groups[kind])
        for kind in Organisation.Kind.values
        if kind in groups
    ]


def agreement_choices(*, trajectory: Trajectory) -> list[tuple[int, str]]:
    """The current agreements of ``trajectory`` (to link a signing to)."""
    return [
        (a.pk, f"{a.title} — {a.signed_partial.iso()}")
        for a in Agreement.objects.current().filter(trajectory=trajectory).order_by("signed")
    ]


@dataclass(frozen=True)
class HistoryItem:
    """A record of a form's history, with its audit trail."""

    record: models.Model
    current: bool
    entries: list[AuditEntry]


def phase_history_items(*, trajectory: Trajectory) -> list[HistoryItem]:
    """The trajectory's phase records (superseded ones too), newest first, each with who
    recorded or corrected it, when and why."""
    records = list(
        PhaseRecord.objects.filter(trajectory=trajectory)
        .select_related("trajectory", "source")
        .order_by("-valid_from", "-recorded_at")
    )
    trails = audit_trails(records)
    return [HistoryItem(r, r.superseded_at is None, trails.get(r.pk, [])) for r in records]


def record_history_items(*, record: models.Model) -> list[HistoryItem]:
    """One record's chain of versions (the current first), each with its audit trail."""
    model = type(record)
    related = [f.name for f in model._meta.fields if f.many_to_one and f.name != "supersedes"]
    versions = model._base_manager.select_related(*related)  # what the record's text shows
    rows = []
    row: models.Model | None = current_row(model, record.pk) or record
    row = versions.filter(pk=row.pk).first()
    while row is not None:
        rows.append(row)
        previous = getattr(row, "supersedes_id", None)
        row = versions.filter(pk=previous).first() if previous else None  # one query a version
    trails = audit_trails(rows)
    return [
        HistoryItem(row, getattr(row, "superseded_at", None) is None, trails.get(row.pk, []))
        for row in rows
    ]


def record_get(*, label: str, pk: int, trajectory: Trajectory) -> models.Model:
    """A current record of ``trajectory`` to edit (phase record, event, participation)."""
    model = {
        "phaserecord": PhaseRecord,
        "event": Event,
        "participation": Participation,
        "progressnote": ProgressNote,
    }.get(label)
    if model is None:
        raise NotFound(_("Unknown kind of record '%(kind)s'.") % {"kind": label}, field="kind")
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("There is no such record."), field="pk")
    linked = (
        {t.pk for t in found.trajectories.all()} if model is Event else {found.trajectory_id}  # type: ignore[attr-defined]
    )
    if trajectory.pk not in linked:
        raise NotFound(_("The record does not belong to this trajectory."), field="pk")
    return found


@dataclass(frozen=True)
class TrajectoryRecords:
    """What an editor edits of one trajectory: its current records."""

    trajectory: Trajectory
    phases: list[PhaseRecord]
    events: list[Event]
    participations: list[Participation]
    pending: list[Proposal]
    notes: list[ProgressNote] = field(default_factory=list)


def trajectory_records(*, trajectory: Trajectory) -> TrajectoryRecords:
    return TrajectoryRecords(
        trajectory=trajectory,
        phases=list(
            PhaseRecord.objects.current()
            .filter(trajectory=trajectory)
            .select_related("source", "trajectory")
            .order_by("valid_from", "recorded_at")
        ),
        events=list(
            Event.objects.current()
            .filter(trajectories=trajectory)
            .order_by(models.F("date").desc(nulls_first=True), "key")
        ),
        participations=list(
            Participation.objects.current()
            .filter(trajectory=trajectory)
            .select_related("organisation", "trajectory")
            .order_by("organisation__name_nl", "role")
        ),
        pending=proposals_of_trajectory(trajectory=trajectory),
        notes=progress_notes(trajectory=trajectory),
    )


@dataclass(frozen=True)
class ReportDue:
    """The next progress report: its period, the day the notes are due (None: not set, see
    ``IMVO_REPORT_DUE``) and the open trajectories without a progress note for it yet."""

    period: str
    due: dt.date | None
    without_note: list[Trajectory]

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


@dataclass(frozen=True)
class EditorHome:
    """'Mijn trajecten': the user's trajectories, what needs attention, the proposals."""

    trajectories: list[Any]  # imvo.trajectories.selectors.Attention
    awaiting_approval: list[Proposal]  # pending proposals the user may approve
    own_pending: list[Proposal]
    pending_by_trajectory: dict[int, list[Proposal]]
    report: ReportDue | None = None


#: Phases that close a trajectory: it needs no note for the next report.
CLOSED_PHASES = frozenset({"ended", "stopped"})


def report_due(*, trajectories: Iterable[Any]) -> ReportDue:
    """Which of ``trajectories`` (Attention items) still lack a progress note for the next
    report (one query)."""
    period = next_report_period()
    open_ones = [a.trajectory for a in trajectories if a.state.phase not in CLOSED_PHASES]
    written = set(
        ProgressNote.objects.current()
        .filter(period=period, trajectory__in=[t.pk for t in open_ones])
        .values_list("trajectory_id", flat=True)
    )
    return ReportDue(
        period=period,
        due=report_due_date(),
        without_note=[t for t in open_ones if t.pk not in written],
    )


def editor_home(
    *, user: Any, trajectory_ids: set[int] | None, approvable_ids: set[int] | None
) -> EditorHome:
    """The editors' home of ``user``: the trajectories ``trajectory_ids`` (None: all) and the
    pending proposals of ``approvable_ids`` (None: all) not made by the user."""
    from imvo.trajectories.selectors import trajectories_attention

    attention = trajectories_attention(trajectory_ids=trajectory_ids)
    pending = proposals_pending()
    by_trajectory: dict[int, list[Proposal]] = {}
    for proposal in pending:
        by_trajectory.setdefault(proposal.trajectory_id, []).append(proposal)
    return EditorHome(
        trajectories=attention,
        awaiting_approval=[
            p
            for p in pending
            if p.proposed_by_id != user.pk
            and (approvable_ids is None or p.trajectory_id in approvable_ids)
        ],
        own_pending=[p for p in pending if p.proposed_by_id == user.pk],
        pending_by_trajectory=by_trajectory,
        report=report_due(trajectories=attention),
    )


def progress_note_of(*, trajectory: Trajectory, period: str) -> ProgressNote | None:
    """The current progress note of ``trajectory`` for the report ``period``."""
    return (
        ProgressNote.objects.current().filter(trajectory=trajectory, period=period.strip()).first()
    )


def progress_notes(*, trajectory: Trajectory) -> list[ProgressNote]:
    """The current progress notes of ``trajectory``, latest report first."""
    return list(
        ProgressNote.objects.current()
        .filter(trajectory=trajectory)
        .select_related("trajectory")
        .order_by("-period")
    )


def report_due_date() -> dt.date | None:
    """The day the notes for the next progress report are due (``IMVO_REPORT_DUE``), if set."""
    return getattr(settings, "IMVO_REPORT_DUE", None)


def next_report_period() -> str:
    """The report a note is written for by default: the year of the next report's due date
    (``IMVO_REPORT_DUE``), else this year's progress letter."""
    due = report_due_date()
    return str(due.year if due else timezone.localdate().year)
