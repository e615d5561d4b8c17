"""``imvo status``: trajectories grouped by phase on a date, as known at a moment."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.commands.base import ImvoCommand, UserError, argument_type
from imvo.core.csvsafe import SafeWriter
from imvo.core.moments import parse_as_of, parse_known_at
from imvo.trajectories.phases import PHASE_ORDER
from imvo.trajectories.selectors import PhaseGroup, phase_overview, trajectory_slugs


class Command(ImvoCommand):
    help = gettext_lazy(
        "Show every trajectory's phase, grouped by phase as the interim reports group them."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--as-of",
            type=argument_type(parse_as_of, "date"),
            help=gettext_lazy("Reference date YYYY-MM-DD (default: today)."),
        )
        parser.add_argument(
            "--known-at",
            type=argument_type(parse_known_at, "moment"),
            help=gettext_lazy(
                "Answer with what was recorded at this date or date-time (default: now)."
            ),
        )
        parser.add_argument(
            "--trajectory",
            action="append",
            metavar="SLUG",
            help=gettext_lazy("Only this trajectory (repeatable), e.g. --trajectory textile."),
        )
        parser.add_argument(
            "--phase",
            action="append",
            metavar="PHASE",
            help=format_lazy(
                gettext_lazy("Only trajectories in this phase (repeatable): {phases}."),
                phases=", ".join(PHASE_ORDER),
            ),
        )
        parser.add_argument("--format", choices=["text", "json", "csv"], default="text")
        parser.add_argument("--lang", choices=["nl", "en"], default=None)

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
                    _("--trajectory: unknown slug '%(slug)s' (known: %(known)s)")
                    % {"slug": unknown[0], "known": ", ".join(sorted(known))}
                )
        if phases:
            unknown = [phase for phase in phases if phase not in PHASE_ORDER]
            if unknown:
                expected = ", ".join(PHASE_ORDER)
                raise UserError(
                    _("--phase: unknown phase '%(phase)s' (expected one of: %(expected)s)")
                    % {"phase": unknown[0], "expected": expected}
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
        if known_at is None:
            known = _("as known now")
        else:
            moment = timezone.localtime(known_at).strftime("%Y-%m-%d %H:%M")
            known = _("as known at %(moment)s") % {"moment": moment}
        self.stdout.write(
            _("Trajectories by phase on %(date)s (%(known)s)")
            % {"date": as_of.isoformat(), "known": known}
        )
        since_label = _("since")
        observed = _("at least since")
        unknown = _("nothing recorded yet")
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
