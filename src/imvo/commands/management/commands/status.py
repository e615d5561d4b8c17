"""``imvo status``: trajectories grouped by phase on a date, as known at a moment."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone, translation

from imvo.commands.base import ImvoCommand, UserError, argument_type
from imvo.core.csvsafe import SafeWriter
from imvo.core.moments import parse_as_of, parse_known_at
from imvo.trajectories.phases import PHASE_ORDER
from imvo.trajectories.selectors import PhaseGroup, phase_overview, trajectory_slugs


class Command(ImvoCommand):
    help = "Show every trajectory's phase, grouped by phase as the interim reports group them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--as-of",
            type=argument_type(parse_as_of, "date"),
            help="Reference date YYYY-MM-DD (default: today).",
        )
        parser.add_argument(
            "--known-at",
            type=argument_type(parse_known_at, "moment"),
            help="Answer with what was recorded at this date or date-time (default: now).",
        )
        parser.add_argument(
            "--trajectory",
            action="append",
            metavar="SLUG",
            help="Only this trajectory (repeatable), e.g. --trajectory textile.",
        )
        parser.add_argument(
            "--phase",
            action="append",
            metavar="PHASE",
            help=f"Only trajectories in this phase (repeatable): {', '.join(PHASE_ORDER)}.",
        )
        parser.add_argument("--format", choices=["text", "json", "csv"], default="text")
        parser.add_argument("--lang", choices=["nl", "en"], default="nl")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of: dt.date = options["as_of"] or timezone.localdate()
        known_at: dt.datetime | None = options["known_at"]
        slugs = options["trajectory"]
        phases = options["phase"]
        if slugs:
            known = set(trajectory_slugs())
            unknown = [slug for slug in slugs if slug not in known]
            if unknown:
                raise UserError(
                    f"--trajectory: unknown slug '{unknown[0]}' (known: {', '.join(sorted(known))})"
                )
        if phases:
            unknown = [phase for phase in phases if phase not in PHASE_ORDER]
            if unknown:
                expected = ", ".join(PHASE_ORDER)
                raise UserError(
                    f"--phase: unknown phase '{unknown[0]}' (expected one of: {expected})"
                )
        with translation.override(options["lang"]):
            groups = phase_overview(as_of=as_of, known_at=known_at)
            groups = [
                PhaseGroup(g.phase, [s for s in g.states if not slugs or s.slug in slugs])
                for g in groups
                if not phases or g.phase in phases
            ]
            writer = {"text": self._text, "json": self._json, "csv": self._csv}[options["format"]]
            writer(groups, as_of, known_at)

    def _csv(self, groups: list[PhaseGroup], as_of: dt.date, known_at: dt.datetime | None) -> None:
        out = SafeWriter(self.stdout, lineterminator="\n")
        out.writerow(["trajectory", "phase", "since"])
        rows = [
            (s.slug, s.phase, s.since.iso() if s.since else "") for g in groups for s in g.states
        ]
        out.writerows(sorted(rows, key=lambda row: row[0]))

    def _json(self, groups: list[PhaseGroup], as_of: dt.date, known_at: dt.datetime | None) -> None:
        payload = {
            "as_of": as_of.isoformat(),
            "known_at": known_at.isoformat() if known_at else None,
            "groups": [
                {
                    "phase": g.phase,
                    "label": g.label,
                    "trajectories": [
                        {
                            "slug": s.slug,
                            "name": s.trajectory.name,
                            "phase": s.phase,
                            "since": s.since.iso() if s.since else None,
                            "date_basis": s.basis or None,
                            "recorded": s.record is not None,
                            "source": str(s.record.source) if s.record else None,
                            "source_locator": s.record.source_locator if s.record else None,
                        }
                        for s in g.states
                    ],
                }
                for g in groups
            ],
        }
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))

    def _text(self, groups: list[PhaseGroup], as_of: dt.date, known_at: dt.datetime | None) -> None:
        en = translation.get_language() == "en"
        header = "Trajectories by phase on" if en else "Trajecten per fase op"
        if known_at is None:
            known = "as known now" if en else "zoals nu bekend"
        else:
            moment = timezone.localtime(known_at).strftime("%Y-%m-%d %H:%M")
            known = f"as known at {moment}" if en else f"zoals bekend op {moment}"
        self.stdout.write(f"{header} {as_of.isoformat()} ({known})")
        since_label = "since" if en else "sinds"
        observed = "at least since" if en else "ten minste sinds"
        unknown = "nothing recorded yet" if en else "nog niets vastgelegd"
        for group in groups:
            if not group.states:
                continue
            self.stdout.write("")
            self.stdout.write(f"{group.label[:1].upper()}{group.label[1:]} ({len(group.states)})")
            width = max(len(s.trajectory.name) for s in group.states)
            for s in group.states:
                if s.since is None:
                    when = unknown
                else:
                    when = f"{observed if s.basis == 'observed' else since_label} {s.since.iso()}"
                self.stdout.write(f"  {s.trajectory.name.ljust(width)}  {s.slug.ljust(14)} {when}")
