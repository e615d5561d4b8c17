"""``imvo audit``: who changed what, when, from which value to which, and why.

Moments are local time with their zone (``2026-12-01 10:15 CET``; ISO 8601 with the offset
in JSON and CSV). A change of a related record (a phase record moved to another trajectory)
names the records by their text rather than by their ids, and CSV is written through
:class:`~imvo.core.csvsafe.SafeWriter`: a reason like ``=HYPERLINK(…)`` stays text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.commands.base import ImvoCommand, UserError, argument_type
from imvo.core.audit import AuditRow, audit_log, audited_models
from imvo.core.csvsafe import SafeWriter
from imvo.core.dates import parse_date
from imvo.core.errors import InvalidValue, gettext_noop
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
        raise InvalidValue(
            gettext_noop("'%(text)s' is out of range (the earliest date is 0001-01-02)"), text=text
        ) from None
    return moment


def parse_limit(text: str) -> int:
    """A whole number of rows from 1 to :data:`MAX_LIMIT`."""
    try:
        limit = int(text)
    except ValueError:
        raise InvalidValue(gettext_noop("'%(text)s' is not a whole number"), text=text) from None
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidValue(
            gettext_noop("must be from %(low)s to %(high)s, not %(text)s"),
            low=1,
            high=MAX_LIMIT,
            text=text,
        )
    return limit


def local_text(moment: dt.datetime) -> str:
    """A moment in local time with its zone, to the minute: ``2026-12-01 10:15 CET``."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


def local_iso(moment: dt.datetime) -> str:
    """A moment in local time as ISO 8601 with its offset: ``2026-12-01T10:15:00+01:00``."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _relation(model_label: str, field_name: str) -> type[models.Model] | None:
    """The model a foreign key (or one-to-one) field of ``model_label`` points to, if it is one."""
    try:
        field = apps.get_model(model_label)._meta.get_field(field_name)
    except (LookupError, FieldDoesNotExist):
        return None
    if field.is_relation and (field.many_to_one or field.one_to_one):
        return field.related_model  # type: ignore[return-value]
    return None


class RelatedNames:
    """The text of the records that changes of foreign keys point to, one query per model."""

    def __init__(self, rows: list[AuditRow]) -> None:
        wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self._related: dict[tuple[str, str], type[models.Model]] = {}
        for row in rows:
            for change in row.changes:
                key = (row.model, change.field)
                if key not in self._related:
                    related = _relation(*key)
                    if related is None:
                        continue
                    self._related[key] = related
                related = self._related[key]
                wanted[related].update(v for v in (change.old, change.new) if v is not None)
        self._names: dict[type[models.Model], dict[Any, str]] = {}
        for related, ids in wanted.items():
            try:
                found = related._default_manager.in_bulk(list(ids))
            except (TypeError, ValueError):  # an id of another type than the key's
                found = {}
            self._names[related] = {pk: str(obj) for pk, obj in found.items()}

    def is_relation(self, row: AuditRow, field: str) -> bool:
        return (row.model, field) in self._related

    def name(self, row: AuditRow, field: str, value: Any) -> Any:
        """The related record's text for ``value`` (its id), or ``value`` when it is none or
        the record no longer exists."""
        related = self._related.get((row.model, field))
        if related is None or value is None:
            return value
        return self._names.get(related, {}).get(value, value)


class Command(ImvoCommand):
    help = gettext_lazy(
        "Show the audit trail: the latest writes with who, when, old and new values and why."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--since",
            type=argument_type(parse_since, "date"),
            help=gettext_lazy("From this day (YYYY-MM-DD)."),
        )
        parser.add_argument("--user", help=gettext_lazy("Only writes by this user name."))
        parser.add_argument(
            "--model", help=gettext_lazy("Only this model, e.g. trajectories.phaserecord.")
        )
        parser.add_argument(
            "--limit",
            type=argument_type(parse_limit, "limit"),
            default=50,
            help=format_lazy(
                gettext_lazy("At most this many, from 1 to {limit} (default 50)."), limit=MAX_LIMIT
            ),
        )
        parser.add_argument("--format", choices=["text", "csv", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        label = options["model"]
        if label:
            labels = sorted(m._meta.label_lower for m in audited_models())
            if label.lower() not in labels:
                raise UserError(
                    _("--model: unknown model '%(label)s' (audited: %(labels)s)")
                    % {"label": label, "labels": ", ".join(labels)}
                )
            label = apps.get_model(label)._meta.label_lower
        rows = audit_log(
            since=options["since"],
            username=options["user"],
            model_label=label,
            limit=options["limit"],
        )
        names = RelatedNames(rows)
        fmt = options["format"]
        if fmt == "json":
            self.stdout.write(json.dumps(_json(rows, names), ensure_ascii=False, indent=2))
            return
        if fmt == "csv":
            out = SafeWriter(self.stdout, lineterminator="\n")
            out.writerow(
                ["when", "who", "model", "object_id", "action", "field", "old", "new", "reason"]
            )
            for r in rows:
                for c in r.changes or [None]:
                    old = names.name(r, c.field, c.old) if c else ""
                    new = names.name(r, c.field, c.new) if c else ""
                    out.writerow([
                        local_iso(r.when), r.who, r.model, r.object_id, r.action,
                        c.field if c else "", old, new, r.reason,
                    ])  # fmt: skip
            return
        for r in rows:
            reason = r.reason or _("(no reason given)")
            self.stdout.write(
                f"{local_text(r.when)} {r.who or '-'} {_model_name(r.model)} #{r.object_id} "
                f"'{r.object_repr}' {_action(r.action)} — {reason}"
            )
            for c in r.changes:
                old, new = names.name(r, c.field, c.old), names.name(r, c.field, c.new)
                self.stdout.write(f"    {_field_name(r.model, c.field)}: {old!r} → {new!r}")


#: The text output's words for the actions (CSV and JSON keep the codes).
_ACTION_WORDS = {
    "created": gettext_lazy("created"),
    "changed": gettext_lazy("changed"),
    "deleted": gettext_lazy("deleted"),
}


def _action(action: str) -> str:
    return str(_ACTION_WORDS.get(action, action))


def _model_name(label: str) -> str:
    """The model's name in the active language (``fase-registratie``), or its label."""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def _field_name(label: str, field: str) -> str:
    """The field's name in the active language, or its code."""
    try:
        return str(apps.get_model(label)._meta.get_field(field).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        return field


def _json(rows: list[AuditRow], names: RelatedNames) -> list[dict[str, Any]]:
    def change(r: AuditRow, c: Any) -> dict[str, Any]:
        item = {
            "field": c.field,
            "old": str(names.name(r, c.field, c.old)),
            "new": str(names.name(r, c.field, c.new)),
        }
        if names.is_relation(r, c.field):  # the ids too, for programs
            item["old_id"], item["new_id"] = c.old, c.new
        return item

    return [
        {
            "when": local_iso(r.when),
            "who": r.who,
            "model": r.model,
            "object_id": r.object_id,
            "object": r.object_repr,
            "action": r.action,
            "reason": r.reason,
            "changes": [change(r, c) for c in r.changes],
        }
        for r in rows
    ]
