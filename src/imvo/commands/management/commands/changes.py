"""``imvo changes``: what changed in the programme between two dates, each with its source."""

from __future__ import annotations

import io
import json
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from imvo.commands.base import ImvoCommand, argument_type
from imvo.core.csvsafe import SafeDictWriter
from imvo.core.moments import parse_as_of, parse_known_at
from imvo.programme.selectors import Changes, programme_changes


class Command(ImvoCommand):
    help = gettext_lazy(
        "What changed between two dates, each with its source. Phase changes, agreements "
        "signed and ended, events, organisations joining and leaving, target revisions."
    )

    def add_arguments(self, parser: Any) -> None:
        date = argument_type(parse_as_of, "date")
        parser.add_argument(
            "--since", type=date, required=True, help=gettext_lazy("First day, YYYY-MM-DD.")
        )
        parser.add_argument(
            "--until", type=date, help=gettext_lazy("Last day, YYYY-MM-DD (default: today).")
        )
        parser.add_argument(
            "--known-at",
            type=argument_type(parse_known_at, "moment"),
            help=gettext_lazy(
                "Answer with what was recorded at this date or date-time (default: now)."
            ),
        )
        parser.add_argument("--format", choices=["text", "json", "csv"], default="text")
        parser.add_argument("--lang", choices=["nl", "en"], default=None)
        parser.add_argument(
            "--output", "-o", help=gettext_lazy("Write to this file instead of stdout.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        until = options["until"] or timezone.localdate()
        with translation.override(options["lang"]):
            found = programme_changes(
                since=options["since"], until=until, known_at=options["known_at"]
            )
            render = {"text": _text, "json": _json, "csv": _csv}[options["format"]]
            self.emit(render(found, options["lang"]), options["output"])


def _rows(found: Changes) -> list[dict[str, str]]:
    return [
        {
            "date": c.date.isoformat(),
            "kind": c.kind,
            "what": c.title,
            "trajectories": ";".join(c.trajectories),
            "source": c.source.title,
            "reference": c.source.reference,
            "locator": c.locator,
            "certainty": c.certainty,
        }
        for c in found.changes
    ]


def _csv(found: Changes, lang: str) -> str:
    out = io.StringIO()
    writer = SafeDictWriter(
        out,
        fieldnames=[
            "date", "kind", "what", "trajectories", "source", "reference", "locator", "certainty"
        ],
        lineterminator="\n",
    )  # fmt: skip
    writer.writeheader()
    writer.writerows(_rows(found))
    return out.getvalue()


def _json(found: Changes, lang: str) -> str:
    payload = {
        "since": found.since.isoformat(),
        "until": found.until.isoformat(),
        "known_at": found.known_at.isoformat() if found.known_at else None,
        "changes": _rows(found),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _text(found: Changes, lang: str) -> str:
    known = (
        translation.gettext("as known at %(moment)s") % {"moment": found.known_at.isoformat()}
        if found.known_at
        else translation.gettext("as known now")
    )
    head = translation.gettext("Changes from %(since)s to %(until)s (%(known)s)") % {
        "since": found.since.isoformat(),
        "until": found.until.isoformat(),
        "known": known,
    }
    lines = [head, ""]
    if not found.changes:
        lines.append(translation.gettext("Nothing recorded for this period."))
    for c in found.changes:
        flag = " [?]" if c.certainty == "unverified" else ""
        lines.append(f"{c.date.isoformat()}  {c.kind_label}: {c.title}{flag}")
        where = f"{c.source.title}" + (f", {c.source.reference}" if c.source.reference else "")
        lines.append(f"            {translation.gettext('Source')}: {where}")
    if any(c.certainty == "unverified" for c in found.changes):
        lines += ["", translation.gettext("[?] unverified: no source found that confirms it")]
    return "\n".join(lines) + "\n"
