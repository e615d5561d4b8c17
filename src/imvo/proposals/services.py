"""Writes of proposals: submit, approve, reject, withdraw (four eyes).

A proposal writes nothing to the domain tables until it is approved: the public pages and
``imvo status`` show approved facts only. Approving applies the change through the domain
services (``phase_record_create``, ``agreement_create``, ``participation_create``,
``event_create``/``event_update``, ``phase_record_correct`` …) in one transaction, with the
approver as actor and an audit reason that keeps the proposer's reason and the approval
("… — goedgekeurd door X: reden"). Who may propose and approve is decided by the access
policy (:func:`imvo.accounts.policy.can_propose`, :func:`~imvo.accounts.policy.can_approve`),
looked up by name (``settings.IMVO_ACCESS_POLICY``) so that this domain app does not import
the layer above it; nobody approves their own proposal, whatever the policy.

A proposal that edits an existing record, or adds to a trajectory's phase history, carries the
version it was based on (:mod:`imvo.proposals.selectors`); submitting or approving it when that
version is no longer current is refused with :class:`StaleRecord`, which lists what changed,
and nothing is overwritten (the proposal is marked out of date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from imvo.agreements.models import Agreement, Convention
from imvo.agreements.services import agreement_create
from imvo.core.audit import Actor, audited_save, write_lock
from imvo.core.errors import Conflict, ImvoError, Problem
from imvo.core.services import model_correct, model_create
from imvo.organisations.models import Organisation
from imvo.proposals.models import ProgressNote, Proposal
from imvo.proposals.selectors import (
    RecordChange,
    current_version,
    is_current,
    version_changes,
)
from imvo.sources.models import Source
from imvo.sources.services import source_create
from imvo.trajectories.models import Event, Participation, PhaseRecord, Trajectory
from imvo.trajectories.phases import Phase
from imvo.trajectories.services import (
    CORRECTABLE,
    event_create,
    event_update,
    participation_create,
    participation_update,
    phase_record_correct,
    phase_record_create,
)

Kind = Proposal.Kind
Status = Proposal.Status

#: Conventions that count every new agreement by their own rule: every agreement signed,
#: and (for IMVO covenants) the programme's own numbering. Other conventions are a source's
#: list and are not assumed.
COUNTED_BY_DEFAULT = {"all_signed": None, "programme": Agreement.Kind.IMVO_COVENANT}


class NotAllowed(ImvoError):
    """The user may not do this (the policy says no): 403."""

    code = "forbidden"
    status = 403


class StaleRecord(Conflict):
    """The record (or phase history) changed after the version a proposal was based on."""

    code = "stale"

    def __init__(self, changes: list[RecordChange]) -> None:
        lines = "; ".join(
            f"{c.field}: {c.old} → {c.new} ({c.who}, {timezone.localtime(c.when):%Y-%m-%d %H:%M})"
            for c in changes
        )
        super().__init__(
            _(
                "The record changed after you opened it, so nothing was saved. Look at what "
                "changed and propose again if your change still holds: %(changes)s"
            )
            % {"changes": lines or _("a change by someone else")},
            field="based_on",
        )
        self.changes = changes


@cache
def _policy() -> Any:
    return import_string(settings.IMVO_ACCESS_POLICY)


def _person(actor: Actor) -> Any:
    if actor.user is None or not getattr(actor.user, "is_authenticated", False):
        raise NotAllowed(_("A proposal is made and decided by a signed-in person."))
    return actor.user


def _reason(actor: Actor) -> str:
    reason = (actor.reason or "").strip()
    if not reason:
        raise ImvoError(_("Give the reason for this change."), code="reason", field="reason")
    return reason


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _as_imvo_error(exc: ValidationError) -> ImvoError:
    """A model's validation errors as one ImvoError with a problem per field."""
    problems = []
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for message in errors:
                problems.append(Problem(message, "" if name == "__all__" else name))
    else:
        problems = [Problem(message) for message in exc.messages]
    first = problems[0] if problems else Problem(str(exc))
    return ImvoError(first.message, code="invalid", field=first.field, problems=problems)


# --- reading the payload -------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _get(model: type[models.Model], pk: Any, *, name: str) -> Any:
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise ImvoError(
            _("The chosen %(kind)s no longer exists.") % {"kind": model._meta.verbose_name},
            field=name,
        )
    return found


def _organisations(ids: Any) -> list[Organisation]:
    ids = [int(i) for i in ids or []]
    found = list(Organisation.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ImvoError(_("A chosen organisation no longer exists."), field="organisations")
    return found


def unique_key(model: type[models.Model], base: str, *, max_length: int, **scope: Any) -> str:
    """A generated key for a new record: ``base``, else ``base-2``, ``base-3`` … (never asked
    of a person)."""
    base = slugify(base)[: max_length - 4].strip("-") or "record"
    taken = set(
        model._base_manager.filter(key__startswith=base, **scope).values_list("key", flat=True)
    )
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def _source(payload: Mapping[str, Any], actor: Actor) -> Source:
    """The chosen source, or the new source registered with the proposal."""
    new = payload.get("new_source")
    if isinstance(new, Mapping) and new.get("title"):
        day = _date(new.get("date"))
        key = unique_key(
            Source,
            f"{new['title'][:60]}-{day.isoformat() if day else 'undated'}",
            max_length=100,
        )
        return source_create(
            data={
                "key": key,
                "kind": new.get("kind") or Source.Kind.OTHER,
                "title": new["title"],
                "reference": new.get("reference", ""),
                "publisher": new.get("publisher", ""),
                "date": day,
                "date_precision": new.get("date_precision") or "day",
                "url": new.get("url", ""),
            },
            actor=actor,
        )
    if payload.get("source"):
        return _get(Source, payload["source"], name="source")
    raise ImvoError(_("Choose a source or register a new one."), field="source")


def _current(model: type[models.Model], pk: Any, *, name: str) -> Any:
    """The record ``pk`` locked for the change; it must still be current."""
    found = model._default_manager.select_for_update().filter(pk=pk).first()
    if found is None:
        raise ImvoError(
            _("The %(kind)s no longer exists.") % {"kind": model._meta.verbose_name}, field=name
        )
    return found


# --- applying an approved proposal ------------------------------------------------------------

Applied = dict[str, list[int]]


def _phase_values(payload: Mapping[str, Any], source: Source) -> dict[str, Any]:
    return {
        "phase": payload["phase"],
        "valid_from": _date(payload.get("valid_from")),
        "valid_from_precision": payload.get("valid_from_precision") or "day",
        "date_basis": payload.get("date_basis") or PhaseRecord.DateBasis.START,
        "date_text": payload.get("date_text", ""),
        "note_nl": payload.get("note_nl", ""),
        "note_en": payload.get("note_en", ""),
        "source": source,
        "source_locator": payload.get("source_locator", ""),
    }


def _signing(
    trajectory: Trajectory,
    payload: Mapping[str, Any],
    values: dict[str, Any],
    actor: Actor,
    applied: Applied,
) -> Agreement:
    """The agreement of a signing, created or linked, and its parties' participations."""
    wanted = payload.get("agreement")
    if not isinstance(wanted, Mapping):
        raise ImvoError(
            _("A signing needs its agreement: give its title and parties."), field="agreement"
        )
    if wanted.get("id"):
        agreement = _get(Agreement, wanted["id"], name="agreement")
        if agreement.trajectory_id != trajectory.pk or agreement.superseded_at is not None:
            raise ImvoError(_("Link a current agreement of this trajectory."), field="agreement")
        parties = list(agreement.parties.all())
    else:
        kind = wanted.get("kind") or Agreement.Kind.IMVO_COVENANT
        parties = _organisations(wanted.get("parties"))
        year = values["valid_from"].year if values["valid_from"] else ""
        counted = [
            c
            for c in Convention.objects.filter(key__in=COUNTED_BY_DEFAULT)
            if COUNTED_BY_DEFAULT[c.key] in (None, kind)
        ]
        agreement = agreement_create(
            data={
                "key": unique_key(Agreement, f"{trajectory.slug}-{year}", max_length=80),
                "kind": kind,
                "title_nl": wanted.get("title_nl", ""),
                "title_en": wanted.get("title_en", ""),
                "signed": values["valid_from"],
                "signed_precision": values["valid_from_precision"],
                "trajectory": trajectory,
                "parties": parties,
                "sectors": list(trajectory.sectors.all()),
                "counted_by": counted,
                "summary_nl": wanted.get("summary_nl", ""),
                "summary_en": wanted.get("summary_en", ""),
                "source": values["source"],
                "source_locator": values["source_locator"],
            },
            actor=actor,
        )
        applied.setdefault("agreements.agreement", []).append(agreement.pk)
    taking_part = set(
        Participation.objects.current()
        .filter(trajectory=trajectory, role=Participation.Role.PARTY)
        .values_list("organisation_id", flat=True)
    )
    for organisation in parties:
        if organisation.pk in taking_part:
            continue
        participation = participation_create(
            data={
                "trajectory": trajectory,
                "organisation": organisation,
                "role": Participation.Role.PARTY,
                "valid_from": values["valid_from"],
                "valid_from_precision": values["valid_from_precision"],
                "source": values["source"],
                "source_locator": values["source_locator"],
            },
            actor=actor,
        )
        applied.setdefault("trajectories.participation", []).append(participation.pk)
    return agreement


def _apply_phase_change(proposal: Proposal, actor: Actor) -> Applied:
    payload = proposal.payload
    trajectory = Trajectory.objects.select_for_update().get(pk=proposal.trajectory_id)
    applied: Applied = {}
    source = _source(payload, actor)
    if payload.get("new_source"):
        applied["sources.source"] = [source.pk]
    values = _phase_values(payload, source)
    if values["phase"] == Phase.SIGNED:
        _signing(trajectory, payload, values, actor, applied)
    day = values["valid_from"]
    record = phase_record_create(
        trajectory=trajectory,
        key=unique_key(
            PhaseRecord,
            f"{trajectory.slug}-{values['phase']}-{day.isoformat() if day else ''}",
            max_length=100,
            trajectory=trajectory,
        ),
        values=values,
        actor=actor,
    )
    applied["trajectories.phaserecord"] = [record.pk]
    return applied


def _event_values(payload: Mapping[str, Any]) -> dict[str, Any]:
    names = ("kind", "date_text", "title_nl", "title_en", "description_nl", "description_en")
    values: dict[str, Any] = {name: payload[name] for name in names if name in payload}
    if "date" in payload:
        values["date"] = _date(payload["date"])
        values["date_precision"] = payload.get("date_precision") or "day"
    if "organisations" in payload:
        values["organisations"] = _organisations(payload["organisations"])
    return values


def _apply_event_plan(proposal: Proposal, actor: Actor) -> Applied:
    payload = proposal.payload
    source = _source(payload, actor)
    values = _event_values(payload)
    day = values.get("date")
    event = event_create(
        data={
            **values,
            "key": unique_key(
                Event,
                f"{proposal.trajectory.slug}-{payload.get('title_nl', '')[:40]}-"
                f"{day.isoformat() if day else 'planned'}",
                max_length=100,
            ),
            "status": Event.Status.PLANNED,
            "trajectories": [proposal.trajectory],
            "source": source,
            "source_locator": payload.get("source_locator", ""),
        },
        actor=actor,
    )
    applied: Applied = {"trajectories.event": [event.pk]}
    if payload.get("new_source"):
        applied["sources.source"] = [source.pk]
    return applied


def _apply_event_outcome(proposal: Proposal, actor: Actor) -> Applied:
    payload = proposal.payload
    event = _current(Event, proposal.record_id, name="event")
    values = {**_event_values(payload), "status": payload["status"]}
    applied: Applied = {}
    if payload.get("source") or payload.get("new_source"):
        values["source"] = _source(payload, actor)
        values["source_locator"] = payload.get("source_locator", "")
        if payload.get("new_source"):
            applied["sources.source"] = [values["source"].pk]
    corrected, _changed = event_update(event=event, data=values, actor=actor)
    applied["trajectories.event"] = [corrected.pk]
    return applied


def _apply_participation_add(proposal: Proposal, actor: Actor) -> Applied:
    payload = proposal.payload
    source = _source(payload, actor)
    participation = participation_create(
        data={
            "trajectory": proposal.trajectory,
            "organisation": _get(Organisation, payload["organisation"], name="organisation"),
            "role": payload["role"],
            "valid_from": _date(payload.get("valid_from")),
            "valid_from_precision": payload.get("valid_from_precision") or "day",
            "note_nl": payload.get("note_nl", ""),
            "note_en": payload.get("note_en", ""),
            "source": source,
            "source_locator": payload.get("source_locator", ""),
        },
        actor=actor,
    )
    applied: Applied = {"trajectories.participation": [participation.pk]}
    if payload.get("new_source"):
        applied["sources.source"] = [source.pk]
    return applied


def _apply_participation_end(proposal: Proposal, actor: Actor) -> Applied:
    payload = proposal.payload
    participation = _current(Participation, proposal.record_id, name="participation")
    values: dict[str, Any] = {
        "valid_until": _date(payload.get("valid_until")),
        "valid_until_precision": payload.get("valid_until_precision") or "day",
    }
    applied: Applied = {}
    if payload.get("source") or payload.get("new_source"):
        values["source"] = _source(payload, actor)
        values["source_locator"] = payload.get("source_locator", "")
        if payload.get("new_source"):
            applied["sources.source"] = [values["source"].pk]
    corrected, _changed = participation_update(
        participation=participation, data=values, actor=actor
    )
    applied["trajectories.participation"] = [corrected.pk]
    return applied


def _apply_correction(proposal: Proposal, actor: Actor) -> Applied:
    """A correction of a phase record: supersedes it, never overwrites."""
    if proposal.record_model != PhaseRecord._meta.label_lower:
        raise ImvoError(_("Only phase records are corrected here."), field="record")
    payload = proposal.payload
    record = _current(PhaseRecord, proposal.record_id, name="record")
    values = {k: v for k, v in payload.get("values", {}).items() if k in CORRECTABLE}
    if "valid_from" in values:
        values["valid_from"] = _date(values["valid_from"])
    applied: Applied = {}
    if payload.get("source") or payload.get("new_source"):
        values["source"] = _source(payload, actor)
        if payload.get("new_source"):
            applied["sources.source"] = [values["source"].pk]
    elif "source" in values:
        values["source"] = _get(Source, values["source"], name="source")
    correction = phase_record_correct(record=record, values=values, actor=actor)
    applied["trajectories.phaserecord"] = [correction.pk]
    return applied


@transaction.atomic
def progress_note_create(*, data: Mapping[str, Any], actor: Actor) -> ProgressNote:
    """Record a trajectory's progress note for a report."""
    return model_create(model=ProgressNote, data=data, actor=actor)


@transaction.atomic
def progress_note_update(
    *, progress_note: ProgressNote, data: Mapping[str, Any], actor: Actor
) -> tuple[ProgressNote, bool]:
    """Correct a progress note: the new text supersedes the old one (never overwritten)."""
    return model_correct(instance=progress_note, data=data, actor=actor)


def _apply_progress_note(proposal: Proposal, actor: Actor) -> Applied:
    payload = proposal.payload
    values = {
        "period": str(payload["period"]).strip(),
        "text_nl": payload.get("text_nl", ""),
        "text_en": payload.get("text_en", ""),
    }
    if proposal.record_id:
        note = _current(ProgressNote, proposal.record_id, name="period")
        note, _changed = progress_note_update(progress_note=note, data=values, actor=actor)
    else:
        note = progress_note_create(data={**values, "trajectory": proposal.trajectory}, actor=actor)
    return {"proposals.progressnote": [note.pk]}


#: How each kind of proposal is written when it is approved.
APPLIERS: dict[str, Callable[[Proposal, Actor], Applied]] = {
    Kind.PHASE_CHANGE: _apply_phase_change,
    Kind.AGREEMENT_SIGN: _apply_phase_change,
    Kind.EVENT_PLAN: _apply_event_plan,
    Kind.EVENT_OUTCOME: _apply_event_outcome,
    Kind.PARTICIPATION_ADD: _apply_participation_add,
    Kind.PARTICIPATION_END: _apply_participation_end,
    Kind.RECORD_CORRECTION: _apply_correction,
    Kind.PROGRESS_NOTE: _apply_progress_note,
}


def register_applier(kind: str, applier: Callable[[Proposal, Actor], Applied]) -> None:
    """Let another module write a kind of proposal (e.g. progress notes)."""
    APPLIERS[kind] = applier


def _apply(proposal: Proposal, actor: Actor) -> Applied:
    applier = APPLIERS.get(proposal.kind)
    if applier is None:
        raise ImvoError(
            _("Proposals of kind '%(kind)s' cannot be applied yet.") % {"kind": proposal.kind},
            field="kind",
        )
    try:
        return applier(proposal, actor)
    except ValidationError as exc:
        raise _as_imvo_error(exc) from exc
    except (KeyError, ValueError, TypeError) as exc:
        raise ImvoError(
            _("The proposal is incomplete or malformed (%(problem)s).") % {"problem": exc},
            code="invalid_payload",
        ) from exc


class _DryRun(Exception):
    """Rolls back the trial write of a proposal at submission."""


def _try(proposal: Proposal, actor: Actor) -> None:
    """Apply ``proposal`` and roll it back: a proposal that could not be written is refused
    when it is submitted, not when it is approved."""
    try:
        with transaction.atomic():
            _apply(proposal, actor)
            raise _DryRun
    except _DryRun:
        pass


def _lock_version(proposal: Proposal) -> None:
    """Lock what the proposal's version is of, so that two approvals cannot both pass."""
    if proposal.record_model and proposal.record_id:
        apps.get_model(proposal.record_model)._base_manager.select_for_update().filter(
            pk=proposal.record_id
        ).first()
    else:
        Trajectory.objects.select_for_update().filter(pk=proposal.trajectory_id).first()


# --- the services ----------------------------------------------------------------------------


@transaction.atomic
def proposal_submit(
    *,
    trajectory: Trajectory,
    kind: str,
    payload: Mapping[str, Any],
    actor: Actor,
    record: models.Model | None = None,
    based_on: str = "",
) -> Proposal:
    """Propose a change to ``trajectory``'s records; nothing of it is written until approved.

    ``record`` is the record it changes (a correction, an event's outcome, the end of a
    participation), ``based_on`` the version the proposer saw (of ``record``, or of the
    trajectory's phase history for a phase change). The change is tried and rolled back, so
    that what cannot be written is refused now; a stale version is refused with
    :class:`StaleRecord`.
    """
    write_lock()  # first: serialised with approvals, so the version check below holds
    user = _person(actor)
    reason = _reason(actor)
    if kind not in Kind.values:
        raise ImvoError(_("Unknown kind of change '%(kind)s'.") % {"kind": kind}, field="kind")
    if not _policy().can_propose(user, trajectory):
        raise NotAllowed(
            _("You may not propose changes to '%(trajectory)s'.") % {"trajectory": trajectory.name}
        )
    if based_on and not is_current(based_on):
        raise StaleRecord(version_changes(based_on))
    proposal = Proposal(
        kind=kind,
        trajectory=trajectory,
        payload=dict(payload),
        record_model=record._meta.label_lower if record is not None else "",
        record_id=record.pk if record is not None else None,
        based_on=based_on,
        reason=reason,
        proposed_by=user,
        proposed_at=timezone.now(),
    )
    _try(proposal, Actor(reason, user))
    try:
        audited_save(proposal, actor=Actor(reason, user))
    except ValidationError as exc:
        raise _as_imvo_error(exc) from exc
    return proposal


def approval_reason(proposal: Proposal, *, approver: Any, reason: str) -> str:
    """The audit reason of an approved change, in the installation's language:
    "<the proposer's reason> — goedgekeurd door <approver>: <the approval's reason>"."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(reason)s — approved by %(approver)s: %(decision)s") % {
            "reason": proposal.reason,
            "approver": _name(approver),
            "decision": reason,
        }


def _pending(proposal: Proposal) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != Status.PENDING:
        raise Conflict(
            _("This proposal was already decided (%(status)s).")
            % {"status": locked.get_status_display()},
            code="decided",
        )
    return locked


def _decide(proposal: Proposal, *, status: str, user: Any, reason: str) -> Proposal:
    proposal.status = status
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.decision_reason = reason
    audited_save(proposal, actor=Actor(reason, user))
    return proposal


def _may_decide(proposal: Proposal, user: Any) -> None:
    if user.pk == proposal.proposed_by_id:
        raise NotAllowed(_("Nobody approves or rejects their own proposal (four eyes)."))
    if not _policy().can_approve(user, proposal):
        raise NotAllowed(
            _("You may not decide on proposals for '%(trajectory)s'.")
            % {"trajectory": proposal.trajectory.name}
        )


def proposal_approve(*, proposal: Proposal, actor: Actor) -> Proposal:
    """Approve ``proposal`` and write it through the domain services, in one transaction.

    Refused (nothing written) when it is not pending, when the approver proposed it or may not
    approve its trajectory's proposals, and when what it was based on changed meanwhile; then
    the proposal is marked out of date and :class:`StaleRecord` lists what changed.
    """
    user = _person(actor)
    reason = _reason(actor)
    try:
        with transaction.atomic():
            write_lock()
            locked = _pending(proposal)
            _may_decide(locked, user)
            _lock_version(locked)
            if locked.based_on and not is_current(locked.based_on):
                raise StaleRecord(version_changes(locked.based_on))
            applied = _apply(
                locked, Actor(approval_reason(locked, approver=user, reason=reason), user)
            )
            locked.applied = applied
            return _decide(locked, status=Status.APPROVED, user=user, reason=reason)
    except StaleRecord:
        _mark_stale(proposal, user=user)
        raise


@transaction.atomic
def _mark_stale(proposal: Proposal, *, user: Any) -> None:
    write_lock()
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != Status.PENDING:
        return
    with translation.override(settings.LANGUAGE_CODE):
        reason = _(
            "The record changed after this was proposed (version %(version)s → %(now)s)."
        ) % {
            "version": locked.based_on,
            "now": current_version(locked.based_on) or "—",
        }
    _decide(locked, status=Status.STALE, user=user, reason=reason)


@transaction.atomic
def proposal_reject(*, proposal: Proposal, actor: Actor) -> Proposal:
    """Reject ``proposal`` with a reason; nothing of it is written."""
    write_lock()
    user = _person(actor)
    reason = _reason(actor)
    locked = _pending(proposal)
    _may_decide(locked, user)
    return _decide(locked, status=Status.REJECTED, user=user, reason=reason)


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor: Actor) -> Proposal:
    """The proposer withdraws their pending proposal."""
    write_lock()
    user = _person(actor)
    reason = _reason(actor)
    locked = _pending(proposal)
    if locked.proposed_by_id != user.pk:
        raise NotAllowed(_("Only the proposer withdraws a proposal."))
    return _decide(locked, status=Status.WITHDRAWN, user=user, reason=reason)
