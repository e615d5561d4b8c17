"""``imvo audit``: who changed what, when, from which value to which, and why."""

from __future__ import annotations

import csv
import datetime as dt
import json
from typing import Any

from django.apps import apps

from imvo.commands.base import ImvoCommand, UserError, argument_type
from imvo.core.audit import audit_log, audited_models
from imvo.core.dates import parse_date
from imvo.core.moments import start_of_day

#: The most rows one call shows: enough for any screen or export, small enough for any database.
MAX_LIMIT = 10_000


def parse_since(text: str) -> dt.datetime:
    """The local midnight starting the day ``text`` (YYYY-MM-DD), as an aware moment."""
    day = parse_date(text)
    try:
        moment = start_of_day(day)
        moment.astimezone(dt.UTC)  # the database stores UTC: it must be representable there
    except (OverflowError, ValueError):
        raise ValueError(f"'{text}' is out of range (the earliest date is 0001-01-02)") from None
    return moment


def parse_limit(text: str) -> int:
    """A whole number of rows from 1 to :data:`MAX_LIMIT`."""
    try:
        limit = int(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a whole number") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"must be from 1 to {MAX_LIMIT}, not {text}")
    return limit


class Command(ImvoCommand):
    help = "Show the audit trail: the latest writes with who, when, old and new values and why."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--since", type=argument_type(parse_since, "date"), help="From this day (YYYY-MM-DD)."
        )
        parser.add_argument("--user", help="Only writes by this user name.")
        parser.add_argument("--model", help="Only this model, e.g. trajectories.phaserecord.")
        parser.add_argument(
            "--limit",
            type=argument_type(parse_limit, "limit"),
            default=50,
            help=f"At most this many, from 1 to {MAX_LIMIT} (default 50).",
        )
        parser.add_argument("--format", choices=["text", "csv", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        label = options["model"]
        if label:
            labels = sorted(m._meta.label_lower for m in audited_models())
            if label.lower() not in labels:
                raise UserError(f"--model: unknown model '{label}' (audited: {', '.join(labels)})")
            label = apps.get_model(label)._meta.label_lower
        rows = audit_log(
            since=options["since"],
            username=options["user"],
            model_label=label,
            limit=options["limit"],
        )
        fmt = options["format"]
        if fmt == "json":
            payload = [
                {
                    "when": r.when.isoformat(),
                    "who": r.who,
                    "model": r.model,
                    "object_id": r.object_id,
                    "object": r.object_repr,
                    "action": r.action,
                    "reason": r.reason,
                    "changes": [
                        {"field": c.field, "old": str(c.old), "new": str(c.new)} for c in r.changes
                    ],
                }
                for r in rows
            ]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        if fmt == "csv":
            out = csv.writer(self.stdout, lineterminator="\n")
            out.writerow(
                ["when", "who", "model", "object_id", "action", "field", "old", "new", "reason"]
            )
            for r in rows:
                for c in r.changes or [None]:
                    out.writerow([
                        r.when.isoformat(), r.who, r.model, r.object_id, r.action,
                        c.field if c else "", c.old if c else "", c.new if c else "", r.reason,
                    ])  # fmt: skip
            return
        for r in rows:
            self.stdout.write(
                f"{r.when:%Y-%m-%d %H:%M} {r.who or '-'} {r.action} {r.model} #{r.object_id} "
                f"'{r.object_repr}' — {r.reason or '(no reason)'}"
            )
            for c in r.changes:
                self.stdout.write(f"    {c.field}: {c.old!r} → {c.new!r}")
