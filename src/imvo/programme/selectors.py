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

from imvo.agreements.models import Agreement, TargetVersion
from imvo.core.errors import ImvoError
from imvo.core.moments import end_of_day, start_of_day
from imvo.sources.models import Source
from imvo.trajectories.models import Event, Participation, PhaseRecord
from imvo.trajectories.phases import Phase

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
                   r.source_locator, r.certainty)
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
    return Change(day, kind, a.title, slugs, told.source, told.source_locator, told.certainty)


def _event(e: Event, kind: str, day: dt.date) -> Change:
    slugs = tuple(t.slug for t in e.trajectories.all())
    told = _first_told(e, "status")
    return Change(day, kind, e.title, slugs, told.source, told.source_locator, told.certainty)


def _participation(p: Participation, kind: str, day: dt.date) -> Change:
    title = _("%(organisation)s in %(trajectory)s (%(role)s)") % {
        "organisation": p.organisation.name,
        "trajectory": p.trajectory.name,
        "role": p.get_role_display(),
    }
    return Change(day, kind, title, (p.trajectory.slug,), p.source, p.source_locator, p.certainty)
