"""Write validated reference data to the database: idempotent, audited, all or nothing.

Each record is matched on its key. A new key is created; a changed record is updated with a
reason in its audit trail; an unchanged record is left alone, so a second run changes
nothing. Phase records are never updated in place: a changed phase fact is stored as a
correction that supersedes the earlier record (see :mod:`imvo.trajectories.services`).
Records that exist only in the database (added through the admin) are left untouched.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from imvo.agreements import services as agreement_services
from imvo.agreements.models import Agreement, Convention, Target, TargetVersion
from imvo.core.audit import Actor
from imvo.core.dates import PartialDate
from imvo.core.errors import ImvoError
from imvo.core.moments import start_of_day
from imvo.core.services import entity_name, model_differs
from imvo.initiatives import services as initiative_services
from imvo.initiatives.models import Initiative
from imvo.organisations import services as organisation_services
from imvo.organisations.models import Organisation
from imvo.parliament import services as commitment_services
from imvo.parliament.models import Commitment
from imvo.reference.schema import ReferenceData, load_reference_data
from imvo.risks import services as risk_services
from imvo.risks.models import Theme, ThemeAdvice
from imvo.sectors import services as sector_services
from imvo.sectors.models import Sector
from imvo.sources import services as source_services
from imvo.sources.models import Source
from imvo.trajectories import services as trajectory_services
from imvo.trajectories.models import Event, GovernmentAction, Participation, PhaseRecord, Trajectory
from imvo.trajectories.services import phase_record_correct, phase_record_create

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"
REASON = "Reference data ({file})"

#: The create and update service of every entity the reference data holds.
WRITERS: dict[type[models.Model], tuple[Any, Any]] = {
    Source: (source_services.source_create, source_services.source_update),
    Sector: (sector_services.sector_create, sector_services.sector_update),
    Organisation: (
        organisation_services.organisation_create,
        organisation_services.organisation_update,
    ),
    Theme: (risk_services.theme_create, risk_services.theme_update),
    ThemeAdvice: (risk_services.theme_advice_create, risk_services.theme_advice_update),
    Initiative: (initiative_services.initiative_create, initiative_services.initiative_update),
    Trajectory: (trajectory_services.trajectory_create, trajectory_services.trajectory_update),
    Participation: (
        trajectory_services.participation_create,
        trajectory_services.participation_update,
    ),
    Event: (trajectory_services.event_create, trajectory_services.event_update),
    GovernmentAction: (
        trajectory_services.government_action_create,
        trajectory_services.government_action_update,
    ),
    Convention: (agreement_services.convention_create, agreement_services.convention_update),
    Agreement: (agreement_services.agreement_create, agreement_services.agreement_update),
    Target: (agreement_services.target_create, agreement_services.target_update),
    TargetVersion: (
        agreement_services.target_version_create,
        agreement_services.target_version_update,
    ),
    Commitment: (commitment_services.commitment_create, commitment_services.commitment_update),
}


@dataclass
class LoadReport:
    """Counts per model (``app_label.model``) of records created, updated and left alone."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))


def _pick(rec: dict[str, Any], *names: str, bilingual: tuple[str, ...] = ()) -> dict[str, Any]:
    """The values of fields named alike in the file and the model; ``bilingual`` adds _nl/_en."""
    fields = [*names, *(f"{base}_{lang}" for base in bilingual for lang in ("nl", "en"))]
    return {name: rec[name] for name in fields}


def _partial(rec: dict[str, Any], name: str, default: str = "day") -> dict[str, Any]:
    """A partial date as the model's ``<name>`` and ``<name>_precision`` fields."""
    return {name: _day(rec[name]), f"{name}_precision": _precision(rec[name], default)}


def _day(value: PartialDate | None) -> dt.date | None:
    return value.start if value else None


def _precision(value: PartialDate | None, default: str = "day") -> str:
    return value.precision.value if value else default


def source_recorded_at(source: Source) -> dt.datetime | None:
    """When the facts of a source became known: the start of its publication day, local time.

    Reference facts are recorded as of their source's date so that ``--known-at`` answers what
    was known then; the audit trail separately records when they entered this database.
    """
    if source.date is None:
        return None  # known from when it was first loaded
    return start_of_day(source.date)


def _known(moment: dt.datetime | None) -> dict[str, dt.datetime]:
    """``recorded_at`` for a write: the source's date, or nothing (the model's default: now)."""
    return {} if moment is None else {"recorded_at": moment}


class _Writer:
    """Creates or updates each record through its entity's services, counting what changed."""

    def __init__(self, actor_user: Any, report: LoadReport) -> None:
        self.user = actor_user
        self.report = report

    def actor(self, file: str) -> Actor:
        return Actor(reason=REASON.format(file=f"{file}.yaml"), user=self.user)

    def upsert(
        self,
        model: type[models.Model],
        file: str,
        lookup: dict[str, Any],
        values: dict[str, Any],
        m2m: dict[str, list[models.Model]] | None = None,
    ) -> models.Model:
        label = model._meta.label_lower
        actor = self.actor(file)
        create, update = WRITERS[model]
        data = {**values, **(m2m or {})}
        instance = model._default_manager.filter(**lookup).first()
        if instance is None:
            instance = create(data={**lookup, **data}, actor=actor)
            self.report.created[label] += 1
            return instance
        instance, changed = update(**{entity_name(model): instance, "data": data, "actor": actor})
        (self.report.updated if changed else self.report.unchanged)[label] += 1
        return instance

    def chain(
        self,
        model: type[models.Model],
        file: str,
        lookup: dict[str, Any],
        states: list[tuple[dict[str, Any], dt.datetime]],
    ) -> models.Model:
        """A bitemporal record and its later revisions, each known from its own moment.

        A new record is created as known at the first state's moment, and every revision
        supersedes the one before at its moment. On a later load, revisions added to the file
        are appended; a record whose current state differs from the file's last state gets a
        correction known now (the file was corrected); an unchanged record is left alone.
        """
        label = model._meta.label_lower
        actor = self.actor(file)
        create, update = WRITERS[model]
        now = timezone.now()
        stored = list(model._default_manager.filter(**lookup).order_by("recorded_at", "pk"))
        current = next((r for r in reversed(stored) if r.superseded_at is None), None)

        def correct(record: models.Model, data: dict[str, Any], when: dt.datetime | None) -> Any:
            kwargs = {entity_name(model): record, "data": data, "actor": actor}
            return update(**kwargs, recorded_at=when)

        if current is None:
            (first, when), *later = states
            record = create(data={**lookup, **first, **_known(when)}, actor=actor)
            for data, moment in later:
                record, _ = correct(record, data, max(moment or now, record.recorded_at))
            self.report.created[label] += 1
            return record
        changed = False
        if len(stored) < len(states) and not model_differs(current, states[len(stored) - 1][0]):
            for data, moment in states[len(stored) :]:
                current, step = correct(current, data, max(moment or now, current.recorded_at))
                changed = changed or step
        current, step = correct(current, states[-1][0], None)
        changed = changed or step
        (self.report.updated if changed else self.report.unchanged)[label] += 1
        return current


def _earlier(trajectories: dict[str, Trajectory], rec: dict[str, Any]) -> Trajectory | None:
    """The trajectory ``rec`` is reported with; it must come earlier in the file."""
    key = rec.get("reported_with")
    if not key:
        return None
    if key not in trajectories:
        raise ImvoError(
            f"trajectories.yaml, {rec['slug']}: reported_with '{key}' must be a trajectory "
            "listed before it",
            field="reported_with",
        )
    return trajectories[key]


def _cited(
    record: dict[str, Any], sources: dict[str, Source], parent: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Source and locator of a record; a nested record without its own inherits its parent's."""
    if record.get("source") or parent is None:
        return {"source": sources[record["source"]], "source_locator": record.get("locator") or ""}
    locator = record.get("locator") or parent.get("locator") or ""
    return {"source": sources[parent["source"]], "source_locator": locator}


@transaction.atomic
def reference_data_apply(*, data: ReferenceData, user: Any) -> LoadReport:
    report = LoadReport()
    w = _Writer(user, report)
    r = data.records

    sources: dict[str, Source] = {}
    for rec in r["sources"]:
        sources[rec["key"]] = w.upsert(
            Source,
            "sources",
            {"key": rec["key"]},
            {
                **_pick(rec, "kind", "title", "reference", "publisher", "url", "note"),
                **_partial(rec, "date"),
            },
        )

    sectors: dict[str, Sector] = {}
    pending = list(r["sectors"])
    while pending:  # parents before children
        progressed = []
        for rec in pending:
            if rec["parent"] and rec["parent"] not in sectors:
                continue
            sectors[rec["slug"]] = w.upsert(
                Sector,
                "sectors",
                {"slug": rec["slug"]},
                {
                    **_pick(rec, "sra_2014_elevated", bilingual=("name", "description")),
                    "parent": sectors.get(rec["parent"]) if rec["parent"] else None,
                    "nace_codes": rec["nace"],
                    **_cited(rec, sources),
                },
            )
            progressed.append(rec)
        pending = [rec for rec in pending if rec not in progressed]

    orgs: dict[str, Organisation] = {}
    for rec in r["organisations"]:
        orgs[rec["key"]] = w.upsert(
            Organisation,
            "organisations",
            {"key": rec["key"]},
            {
                **_pick(rec, "kind", "abbreviation", bilingual=("name", "description")),
                **_cited(rec, sources),
            },
        )

    for rec in r["themes"]:
        theme = w.upsert(
            Theme,
            "themes",
            {"code": rec["code"]},
            {
                **_pick(rec, "cross_sector", bilingual=("name", "description")),
                **_cited(rec, sources),
            },
        )
        for adv in rec["advice"]:
            w.upsert(
                ThemeAdvice,
                "themes",
                {"key": adv["key"]},
                {
                    "theme": theme,
                    "organisation": orgs.get(adv["organisation"]) if adv["organisation"] else None,
                    **_pick(adv, bilingual=("advisor",)),
                    **_cited(adv, sources, rec),
                },
            )

    initiatives: dict[str, Initiative] = {}
    for rec in r["initiatives"]:
        initiatives[rec["key"]] = w.upsert(
            Initiative,
            "initiatives",
            {"key": rec["key"]},
            {
                **_pick(
                    rec,
                    "kind",
                    "abbreviation",
                    "risk_themes",
                    "coverage",
                    "coverage_rationale",
                    bilingual=("name", "description"),
                ),
                **_partial(rec, "started", "year"),
                **_cited(rec, sources),
            },
            m2m={
                "sectors": [sectors[s] for s in rec["sectors"]],
                "organisations": [orgs[o] for o in rec["organisations"]],
            },
        )

    trajectories: dict[str, Trajectory] = {}
    for rec in r["trajectories"]:
        trajectory = w.upsert(
            Trajectory,
            "trajectories",
            {"slug": rec["slug"]},
            {
                **_pick(rec, bilingual=("name", "summary")),
                **_partial(rec, "joined"),
                "reported_with": _earlier(trajectories, rec),
                **_known(source_recorded_at(sources[rec["source"]])),
                **_cited(rec, sources),
            },
            m2m={
                "sectors": [sectors[s] for s in rec["sectors"]],
                "initiatives": [initiatives[i] for i in rec["initiatives"]],
            },
        )
        trajectories[rec["slug"]] = trajectory
        for part in rec["participants"]:
            cited = _cited(part, sources, rec)
            values = {
                **_pick(part, "certainty", bilingual=("note",)),
                **_partial({"valid_from": part["from"]}, "valid_from"),
                **_partial({"valid_until": part["until"]}, "valid_until"),
                **cited,
            }
            w.chain(
                Participation,
                "trajectories",
                {
                    "trajectory": trajectory,
                    "organisation": orgs[part["organisation"]],
                    "role": part["role"],
                },
                [(values, source_recorded_at(cited["source"]))],
            )
        for phase in rec["phases"]:
            _apply_phase(w, trajectory, phase, _cited(phase, sources, rec))

    def links(rec: dict[str, Any]) -> dict[str, list[models.Model]]:
        return {
            "trajectories": [trajectories[t] for t in rec["trajectories"]],
            "organisations": [orgs[o] for o in rec["organisations"]],
        }

    def event_state(rec: dict[str, Any]) -> dict[str, Any]:
        return {
            **_pick(
                rec, "date_text", "status", "kind", "certainty", bilingual=("title", "description")
            ),
            **_partial(rec, "date"),
            **_cited(rec, sources),
            **links(rec),
        }

    for rec in r["events"]:
        w.chain(Event, "events", {"key": rec["key"]}, _states(rec, event_state, sources))

    for rec in r["government_actions"]:
        values = {
            **_pick(rec, "role", "status", bilingual=("title", "description")),
            **_cited(rec, sources),
            **links(rec),
        }
        w.chain(
            GovernmentAction,
            "government_actions",
            {"key": rec["key"]},
            [(values, source_recorded_at(sources[rec["source"]]))],
        )

    conventions: dict[str, Convention] = {}
    for rec in r["conventions"]:
        conventions[rec["key"]] = w.upsert(
            Convention,
            "conventions",
            {"key": rec["key"]},
            {**_pick(rec, bilingual=("title", "rule")), **_cited(rec, sources)},
        )

    def agreement_state(rec: dict[str, Any]) -> dict[str, Any]:
        return {
            **_pick(
                rec, "kind", "end_reason", "certainty", bilingual=("title", "parties", "summary")
            ),
            **_partial(rec, "signed"),
            **_partial(rec, "in_force"),
            **_partial(rec, "ended"),
            "trajectory": trajectories.get(rec["trajectory"]) if rec["trajectory"] else None,
            **_cited(rec, sources),
            "parties": [orgs[o] for o in rec["parties"]],
            "sectors": [sectors[s] for s in rec["sectors"]],
            "counted_by": [conventions[c] for c in rec["counted_by"]],
        }

    for rec in r["agreements"]:
        w.chain(
            Agreement, "agreements", {"key": rec["key"]}, _states(rec, agreement_state, sources)
        )

    for rec in r["targets"]:
        target = w.upsert(
            Target,
            "targets",
            {"key": rec["key"]},
            {
                **_pick(rec, "metric", "value", bilingual=("title", "counting_rule")),
                "deadline": _day(rec["deadline"]),
                **_cited(rec, sources),
            },
        )
        for version in rec["versions"]:
            cited = _cited(version, sources)
            values = {
                "target": target,
                **_pick(version, "value", "certainty", bilingual=("text",)),
                **_partial(version, "decided"),
                "deadline": _day(version["deadline"]),
                "convention": conventions[version["convention"]],
                **cited,
            }
            w.chain(
                TargetVersion,
                "targets",
                {"key": version["key"]},
                [(values, source_recorded_at(cited["source"]))],
            )

    for rec in r["commitments"]:
        cited = _cited(rec, sources)
        values = {
            **_pick(
                rec,
                "kind",
                "reference",
                "subject",
                "answered_locator",
                "rejected",
                "note",
                "certainty",
                bilingual=("made_in", "by", "text"),
            ),
            **_partial(rec, "made"),
            "answered_by": sources[rec["answered_by"]] if rec["answered_by"] else None,
            **cited,
        }
        w.chain(
            Commitment,
            "commitments",
            {"key": rec["key"]},
            [(values, source_recorded_at(cited["source"]))],
        )
    return report


def _states(
    rec: dict[str, Any], state: Any, sources: dict[str, Source]
) -> list[tuple[dict[str, Any], dt.datetime]]:
    """The record as first reported and after each revision, each with when it became known."""
    states = [(state(rec), source_recorded_at(sources[rec["source"]]))]
    merged = dict(rec)
    for revision in rec["revisions"]:
        merged.update({k: v for k, v in revision.items() if v not in (None, "", [])})
        merged["locator"] = revision.get("locator") or ""
        states.append((state(merged), source_recorded_at(sources[revision["source"]])))
    return states


def _apply_phase(
    w: _Writer, trajectory: Trajectory, rec: dict[str, Any], cited: dict[str, Any]
) -> None:
    label = PhaseRecord._meta.label_lower
    values = {
        "phase": rec["phase"],
        "valid_from": rec["from"].start,
        "valid_from_precision": rec["from"].precision.value,
        "date_basis": rec["basis"],
        **_pick(rec, "date_text", "certainty", bilingual=("note",)),
        **cited,
    }
    current = PhaseRecord.objects.current().filter(trajectory=trajectory, key=rec["key"]).first()
    if current is None:
        phase_record_create(
            trajectory=trajectory,
            key=rec["key"],
            values={**values, **_known(source_recorded_at(cited["source"]))},
            actor=w.actor("trajectories"),
        )
        w.report.created[label] += 1
    elif any(getattr(current, name) != value for name, value in values.items()):
        phase_record_correct(record=current, values=values, actor=w.actor("trajectories"))
        w.report.updated[label] += 1
    else:
        w.report.unchanged[label] += 1


def reference_data_load(*, data_dir: Path = DEFAULT_DATA_DIR, user: Any = None) -> LoadReport:
    """Validate every file under ``data_dir`` first, then write all of it in one transaction."""
    data = load_reference_data(data_dir)
    return reference_data_apply(data=data, user=user)
