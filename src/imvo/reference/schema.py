"""The schema of the reference-data files and their validation.

Validation runs over every file before anything is written, and reports every problem as
``file:line: message``. The result is plain data (dicts with parsed values) that
:mod:`imvo.reference.services` writes in one transaction.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from imvo.core.dates import PartialDate
from imvo.core.errors import DataError, Problem
from imvo.reference.yamlfile import LINE, LINES, YamlError, read_yaml, shown

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
NACE = re.compile(r"^\d{2}(\.\d{1,2})?$")


@dataclass(frozen=True)
class F:
    """A field of a record: its kind, whether it is required, its choices or its target file."""

    name: str
    kind: str = "str"  # str, slug, bool, int, fraction, date, nace-list, theme-list, choice,
    # ref, refs, nested
    required: bool = False
    choices: tuple[str, ...] = ()
    target: str = ""  # for ref/refs: the file whose keys are referred to
    nested: tuple[F, ...] = ()
    default: Any = None
    #: Limits of the model field the value is stored in (set by :func:`_fit`).
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None


def both(base: str, *, required: bool = False) -> tuple[F, F]:
    """The Dutch and English fields ``<base>_nl`` and ``<base>_en`` of a bilingual text."""
    return F(f"{base}_nl", required=required), F(f"{base}_en", required=required)


def _choices(enum: Any) -> tuple[str, ...]:
    return tuple(value for value, _ in enum.choices)


#: Record fields stored in a model field of another name.
_COLUMNS = {"locator": "source_locator"}


def _fit(model: Any, fields: Iterable[F]) -> tuple[F, ...]:
    """``fields`` with the length and range limits of the fields of ``model`` they are stored in.

    Text and slugs take the model field's ``max_length``; whole numbers the range of the
    integer column on the database the model is written to.
    """
    from django.core.exceptions import FieldDoesNotExist
    from django.db import connections, models, router

    fitted = []
    for spec in fields:
        if spec.kind in ("str", "slug", "int"):
            try:
                column = model._meta.get_field(_COLUMNS.get(spec.name, spec.name))
            except FieldDoesNotExist:
                column = None
            if spec.kind == "int" and isinstance(column, models.IntegerField):
                ops = connections[router.db_for_write(model)].ops
                low, high = ops.integer_field_range(column.get_internal_type())
                spec = dataclasses.replace(spec, min_value=low, max_value=high)
            elif column is not None and getattr(column, "max_length", None):
                spec = dataclasses.replace(spec, max_length=column.max_length)
        fitted.append(spec)
    return tuple(fitted)


def build_schema() -> dict[str, tuple[str, tuple[F, ...]]]:
    """file name → (key field, fields). Imported lazily: choices and limits come from the models."""
    from imvo.agreements.models import Agreement, Convention, Target, TargetVersion
    from imvo.core.models import Certainty
    from imvo.initiatives.models import Initiative
    from imvo.organisations.models import Organisation
    from imvo.parliament.models import Commitment
    from imvo.risks.models import Theme, ThemeAdvice
    from imvo.sectors.models import Sector
    from imvo.sources.models import Source
    from imvo.trajectories.models import (
        Event,
        GovernmentAction,
        Participation,
        PhaseRecord,
        Trajectory,
    )
    from imvo.trajectories.phases import Phase

    models = {
        "sources": Source,
        "sectors": Sector,
        "organisations": Organisation,
        "themes": Theme,
        "themes.advice": ThemeAdvice,
        "initiatives": Initiative,
        "trajectories": Trajectory,
        "trajectories.participants": Participation,
        "trajectories.phases": PhaseRecord,
        "events": Event,
        "government_actions": GovernmentAction,
        "conventions": Convention,
        "agreements": Agreement,
        "agreements.revisions": Agreement,
        "events.revisions": Event,
        "targets": Target,
        "targets.versions": TargetVersion,
        "commitments": Commitment,
    }

    def fit(file: str, fields: tuple[F, ...]) -> tuple[F, ...]:
        fields = tuple(
            dataclasses.replace(f, nested=_fit(models[f"{file}.{f.name}"], f.nested))
            if f.kind == "nested"
            else f
            for f in fields
        )
        return _fit(models[file], fields)

    cited = (F("source", "ref", required=True, target="sources"), F("locator"))
    certainty = F("certainty", "choice", choices=_choices(Certainty), default="confirmed")

    def revisions(*fields: F) -> F:
        """Later knowledge of a record: each revision names its source and what it changes,
        and is recorded as known from that source's date."""
        changeable = tuple(dataclasses.replace(f, required=False, default=None) for f in fields)
        return F("revisions", "nested", nested=(*cited[:1], cited[1], *changeable))

    event_fields = (
        F("date", "date"),
        F("date_text"),
        F("status", "choice", required=True, choices=_choices(Event.Status)),
        F("kind", "choice", required=True, choices=_choices(Event.Kind)),
        *both("title", required=True),
        *both("description"),
        F("trajectories", "refs", target="trajectories"),
        F("organisations", "refs", target="organisations"),
    )
    agreement_fields = (
        F("kind", "choice", required=True, choices=_choices(Agreement.Kind)),
        *both("title", required=True),
        F("signed", "date", required=True),
        F("in_force", "date"),
        F("ended", "date"),
        F("end_reason", "choice", choices=_choices(Agreement.EndReason)),
        F("counted_by", "refs", target="conventions"),
        F("parties", "refs", target="organisations"),
        *both("parties"),
        F("sectors", "refs", target="sectors"),
        F("trajectory", "ref", target="trajectories"),
        *both("summary"),
    )
    schema = {
        "sources": (
            "key",
            (
                F("key", "slug", required=True),
                F("kind", "choice", required=True, choices=_choices(Source.Kind)),
                F("title", required=True),
                F("reference"),
                F("publisher"),
                F("date", "date"),
                F("url"),
                F("note"),
            ),
        ),
        "sectors": (
            "slug",
            (
                F("slug", "slug", required=True),
                *both("name", required=True),
                F("parent", "ref", target="sectors"),
                F("nace", "nace-list", required=True),
                F("sra_2014_elevated", "bool", default=False),
                *both("description"),
                *cited,
            ),
        ),
        "organisations": (
            "key",
            (
                F("key", "slug", required=True),
                F("kind", "choice", required=True, choices=_choices(Organisation.Kind)),
                *both("name", required=True),
                F("abbreviation"),
                *both("description"),
                *cited,
            ),
        ),
        "themes": (
            "code",
            (
                F("code", "slug", required=True),
                *both("name", required=True),
                F("cross_sector", "bool", default=False),
                *both("description"),
                *cited,
                F(
                    "advice",
                    "nested",
                    nested=(
                        F("key", "slug", required=True),
                        F("organisation", "ref", target="organisations"),
                        *both("advisor"),
                        F("source", "ref", target="sources"),
                        F("locator"),
                    ),
                ),
            ),
        ),
        "initiatives": (
            "key",
            (
                F("key", "slug", required=True),
                F("kind", "choice", required=True, choices=_choices(Initiative.Kind)),
                *both("name", required=True),
                F("abbreviation"),
                F("started", "date"),
                *both("description"),
                F("sectors", "refs", target="sectors"),
                F("organisations", "refs", target="organisations"),
                F("risk_themes", "theme-list"),
                F("coverage", "fraction"),
                F("coverage_rationale"),
                *cited,
            ),
        ),
        "trajectories": (
            "slug",
            (
                F("slug", "slug", required=True),
                *both("name", required=True),
                *both("summary"),
                F("sectors", "refs", required=True, target="sectors"),
                F("initiatives", "refs", target="initiatives"),
                F("joined", "date"),
                F("reported_with", "ref", target="trajectories"),
                *cited,
                F(
                    "participants",
                    "nested",
                    nested=(
                        F("organisation", "ref", required=True, target="organisations"),
                        F("role", "choice", required=True, choices=_choices(Participation.Role)),
                        F("from", "date"),
                        F("until", "date"),
                        *both("note"),
                        certainty,
                        F("source", "ref", target="sources"),
                        F("locator"),
                    ),
                ),
                F(
                    "phases",
                    "nested",
                    nested=(
                        F("key", "slug", required=True),
                        F("phase", "choice", required=True, choices=_choices(Phase)),
                        F("from", "date", required=True),
                        F(
                            "basis",
                            "choice",
                            choices=_choices(PhaseRecord.DateBasis),
                            default="start",
                        ),
                        F("date_text"),
                        *both("note"),
                        certainty,
                        F("source", "ref", target="sources"),
                        F("locator"),
                    ),
                ),
            ),
        ),
        "events": (
            "key",
            (
                F("key", "slug", required=True),
                *event_fields,
                certainty,
                *cited,
                revisions(*event_fields, certainty),
            ),
        ),
        "government_actions": (
            "key",
            (
                F("key", "slug", required=True),
                F("role", "choice", required=True, choices=_choices(GovernmentAction.Role)),
                F("status", "choice", required=True, choices=_choices(GovernmentAction.Status)),
                *both("title", required=True),
                *both("description"),
                F("trajectories", "refs", target="trajectories"),
                F("organisations", "refs", target="organisations"),
                *cited,
            ),
        ),
        "conventions": (
            "key",
            (
                F("key", "slug", required=True),
                *both("title", required=True),
                *both("rule", required=True),
                *cited,
            ),
        ),
        "agreements": (
            "key",
            (
                F("key", "slug", required=True),
                *agreement_fields,
                certainty,
                *cited,
                revisions(*agreement_fields, certainty),
            ),
        ),
        "targets": (
            "key",
            (
                F("key", "slug", required=True),
                F("metric", "choice", required=True, choices=_choices(Target.Metric)),
                F("value", "int", required=True),
                F("deadline", "date", required=True),
                *both("title", required=True),
                *both("counting_rule", required=True),
                *cited,
                F(
                    "versions",
                    "nested",
                    nested=(
                        F("key", "slug", required=True),
                        F("decided", "date", required=True),
                        F("value", "int", required=True),
                        F("deadline", "date", required=True),
                        F("convention", "ref", required=True, target="conventions"),
                        *both("text"),
                        certainty,
                        F("source", "ref", required=True, target="sources"),
                        F("locator"),
                    ),
                ),
            ),
        ),
        "commitments": (
            "key",
            (
                F("key", "slug", required=True),
                F("kind", "choice", required=True, choices=_choices(Commitment.Kind)),
                F("reference"),
                F("made", "date", required=True),
                *both("made_in"),
                *both("by"),
                *both("text", required=True),
                F("subject", "choice", required=True, choices=_choices(Commitment.Subject)),
                F("answered_by", "ref", target="sources"),
                F("answered_locator"),
                F("rejected", "bool", default=False),
                F("note"),
                certainty,
                *cited,
            ),
        ),
    }
    return {name: (key, fit(name, fields)) for name, (key, fields) in schema.items()}


#: The files in load order: a file may only refer to files before it (or to itself).
FILES = (
    "sources",
    "sectors",
    "organisations",
    "themes",
    "initiatives",
    "trajectories",
    "events",
    "government_actions",
    "conventions",
    "agreements",
    "targets",
    "commitments",
)


@dataclass
class ReferenceData:
    """Validated records per file, each a dict of parsed values (dates as PartialDate)."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def count(self, name: str) -> int:
        return len(self.records.get(name, []))


_LOCATION = re.compile(r"^(.+?:\d+): |^(.+?): ")


def _location(error: str) -> str:
    """The ``file:line`` (or ``file``) an error message starts with."""
    found = _LOCATION.match(error)
    return (found.group(1) or found.group(2)) if found else ""


class ReferenceDataError(DataError):
    """Every problem found in the reference files, each as ``file:line: message``."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(
            "\n".join(errors),
            problems=[Problem(e, location=_location(e)) for e in errors],
        )


class _Checker:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[str] = []
        self.pending_refs: list[tuple[str, str, int, str]] = []  # (target, key, line, field)

    def error(self, line: int, message: str) -> None:
        self.errors.append(f"{self.path}:{line}: {message}")

    def record(self, raw: Any, fields: Iterable[F], line: int) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.error(line, "expected a mapping of field names to values")
            return None
        line = raw.get(LINE, line)
        lines: dict[str, int] = raw.get(LINES, {})
        known = {f.name for f in fields}
        for name in raw:
            if name not in known and name not in (LINE, LINES):
                self.error(lines.get(name, line), f"unknown field '{shown(name)}'")
        parsed: dict[str, Any] = {LINE: line}
        for spec in fields:
            at = lines.get(spec.name, line)
            value = raw.get(spec.name)
            if value is None or value == "" or value == []:
                if spec.required:
                    self.error(line, f"missing required field '{spec.name}'")
                parsed[spec.name] = self._empty(spec)
                continue
            parsed[spec.name] = self.value(spec, value, at)
        return parsed

    @staticmethod
    def _empty(spec: F) -> Any:
        if spec.kind in ("refs", "nested", "nace-list", "theme-list"):
            return []
        if spec.default is not None:
            return spec.default
        return None if spec.kind in ("date", "ref", "int", "fraction") else ""

    def value(self, spec: F, value: Any, line: int) -> Any:
        kind = spec.kind
        bad = _control_character(value)
        if bad:
            self.error(
                line,
                f"'{spec.name}' contains the control character {bad} "
                "(only tab and newline are allowed in text)",
            )
            return self._empty(spec)
        checkers: dict[str, Callable[[], Any]] = {
            "str": lambda: self._text(spec, value, line),
            "slug": lambda: self._slug(spec, value, line),
            "bool": lambda: self._bool(spec, value, line),
            "int": lambda: self._int(spec, value, line),
            "date": lambda: self._date(spec, value, line),
            "choice": lambda: self._choice(spec, value, line),
            "ref": lambda: self._ref(spec, value, line),
            "refs": lambda: self._refs(spec, value, line),
            "nace-list": lambda: self._nace(spec, value, line),
            "theme-list": lambda: self._themes(spec, value, line),
            "fraction": lambda: self._fraction(spec, value, line),
            "nested": lambda: self._nested(spec, value, line),
        }
        return checkers[kind]()

    def _text(self, spec: F, value: Any, line: int) -> str:
        if isinstance(value, (dict, list, bool)):
            self.error(line, f"'{spec.name}' must be text")
            return ""
        text = str(value).strip()
        if spec.max_length is not None and len(text) > spec.max_length:
            self.error(
                line,
                f"'{spec.name}' is {len(text)} characters long "
                f"(at most {spec.max_length} are allowed)",
            )
            return ""
        return text

    def _slug(self, spec: F, value: Any, line: int) -> str:
        text = self._text(spec, value, line)
        if text and not SLUG.match(text):
            self.error(
                line,
                f"'{spec.name}' must be lower-case letters, digits, '-' or '_': '{shown(text)}'",
            )
        return text

    def _bool(self, spec: F, value: Any, line: int) -> bool:
        if not isinstance(value, bool):
            self.error(line, f"'{spec.name}' must be true or false, not '{shown(value)}'")
            return False
        return value

    def _int(self, spec: F, value: Any, line: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(line, f"'{spec.name}' must be a whole number, not '{shown(value)}'")
            return None
        low, high = spec.min_value, spec.max_value
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(line, f"'{spec.name}' must be from {low} to {high}, not {value}")
            return None
        return value

    def _date(self, spec: F, value: Any, line: int) -> PartialDate | None:
        try:
            return PartialDate.parse(str(value))
        except ValueError as exc:
            self.error(line, f"'{spec.name}': {exc}")
            return None

    def _choice(self, spec: F, value: Any, line: int) -> str:
        text = str(value).strip()
        if text not in spec.choices:
            self.error(
                line,
                f"unknown {spec.name} '{shown(text)}' (expected one of: {', '.join(spec.choices)})",
            )
        return text

    def _ref(self, spec: F, value: Any, line: int) -> str:
        text = str(value).strip()
        self.pending_refs.append((spec.target, text, line, spec.name))
        return text

    def _refs(self, spec: F, value: Any, line: int) -> list[str]:
        if not isinstance(value, list):
            self.error(line, f"'{spec.name}' must be a list")
            return []
        return [self._ref(spec, item, line) for item in value]

    def _nace(self, spec: F, value: Any, line: int) -> list[str]:
        if not isinstance(value, list):
            self.error(line, f"'{spec.name}' must be a list of NACE codes")
            return []
        codes = [str(item).strip() for item in value]
        for code in codes:
            if not NACE.match(code):
                self.error(
                    line,
                    f"'{shown(code)}' is not a NACE Rev.2 code (expected e.g. '13' or '64.19')",
                )
        return codes

    def _themes(self, spec: F, value: Any, line: int) -> list[str]:
        from imvo.analysis.sra.model import THEME_CODES

        if not isinstance(value, list):
            self.error(line, f"'{spec.name}' must be a list of risk theme codes")
            return []
        codes = [str(item).strip() for item in value]
        for code in codes:
            if code not in THEME_CODES:
                self.error(line, f"unknown risk theme '{shown(code)}' in '{spec.name}'")
        return codes

    def _fraction(self, spec: F, value: Any, line: int) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            self.error(line, f"'{spec.name}' must be a number from 0 to 1, not '{shown(value)}'")
            return None
        return float(value)

    def _nested(self, spec: F, value: Any, line: int) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            self.error(line, f"'{spec.name}' must be a list")
            return []
        items = [self.record(item, spec.nested, line) for item in value]
        return [item for item in items if item is not None]


def _control_character(value: Any) -> str:
    """The first control character (other than tab and newline) in a text or list, shown."""
    if isinstance(value, str):
        for char in value:
            if char not in "\t\n" and unicodedata.category(char) == "Cc":
                return f"U+{ord(char):04X}"
    elif isinstance(value, list):
        for item in value:
            if not isinstance(item, dict) and (found := _control_character(item)):
                return found
    return ""


def load_reference_data(data_dir: Path) -> ReferenceData:
    """Read and validate every reference file; raise :class:`ReferenceDataError` with all errors."""
    schema = build_schema()
    data = ReferenceData()
    errors: list[str] = []
    keys: dict[str, set[str]] = {}
    checkers: list[_Checker] = []
    for name in FILES:
        path = data_dir / f"{name}.yaml"
        checker = _Checker(path)
        checkers.append(checker)
        if not path.exists():
            errors.append(f"{path}: file is missing")
            continue
        if not path.is_file():
            errors.append(f"{path}: not a file (a YAML file is expected here)")
            continue
        try:
            raw = read_yaml(path)
        except YamlError as exc:
            errors.append(str(exc))
            continue
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            checker.error(1, "expected a list of records")
            raw = []
        key_field, fields = schema[name]
        records = []
        seen: dict[str, int] = {}
        for raw_record in raw:
            record = checker.record(raw_record, fields, 1)
            if record is None:
                continue
            key = record.get(key_field)
            if key in seen:
                checker.error(
                    record[LINE], f"duplicate {key_field} '{key}' (first at line {seen[key]})"
                )
            elif key:
                seen[key] = record[LINE]
            records.append(record)
        data.records[name] = records
        keys[name] = set(seen)
    # Keys of nested records must be unique across the file too (phase and advice keys).
    for name, nested_field in (
        ("trajectories", "phases"),
        ("themes", "advice"),
        ("targets", "versions"),
    ):
        checker = checkers[FILES.index(name)]
        seen_nested: dict[str, int] = {}
        for record in data.records.get(name, []):
            for item in record.get(nested_field, []):
                if item["key"] in seen_nested:
                    checker.error(
                        item[LINE],
                        f"duplicate key '{item['key']}' (first at line {seen_nested[item['key']]})",
                    )
                seen_nested[item["key"]] = item[LINE]
    for checker in checkers:
        for target, key, line, field_name in checker.pending_refs:
            if target in keys and key not in keys[target]:
                singular = {
                    "sectors": "sector",
                    "sources": "source",
                    "organisations": "organisation",
                    "initiatives": "initiative",
                    "trajectories": "trajectory",
                    "conventions": "counting convention",
                }.get(target, target)
                checker.error(line, f"unknown {singular} '{shown(key)}' in '{field_name}'")
        errors.extend(checker.errors)
    _check_sector_cycles(data, checkers[FILES.index("sectors")], errors)
    _check_coverage(data, checkers[FILES.index("initiatives")], errors)
    if not errors:
        _check_times(data, {name: c.path for name, c in zip(FILES, checkers, strict=True)}, errors)
    if errors:
        raise ReferenceDataError(errors)
    return data


def _check_coverage(data: ReferenceData, checker: _Checker, errors: list[str]) -> None:
    """An initiative's coverage estimate needs the themes it covers and a rationale."""
    for record in data.records.get("initiatives", []):
        if record.get("coverage") is None:
            continue
        where = f"{checker.path}:{record[LINE]}: initiative '{record['key']}'"
        if not record["risk_themes"]:
            errors.append(f"{where} has a coverage but no risk_themes")
        if not record["coverage_rationale"]:
            errors.append(f"{where} has a coverage but no coverage_rationale")
        if not record["sectors"]:
            errors.append(f"{where} has a coverage but no sectors")


def _check_sector_cycles(data: ReferenceData, checker: _Checker, errors: list[str]) -> None:
    parents = {r["slug"]: r.get("parent") for r in data.records.get("sectors", [])}
    for record in data.records.get("sectors", []):
        seen = {record["slug"]}
        parent = record.get("parent")
        while parent:
            if parent in seen:
                errors.append(
                    f"{checker.path}:{record[LINE]}: sector '{record['slug']}' is its own ancestor"
                )
                break
            seen.add(parent)
            parent = parents.get(parent)


def _check_times(data: ReferenceData, paths: dict[str, Path], errors: list[str]) -> None:
    """Valid time and knowledge time must fit: nothing ends before it begins, and no source
    reports as done what happened only after the source was published."""
    published = {s["key"]: s.get("date") for s in data.records.get("sources", [])}

    def too_early(source: str | None, fact: PartialDate | None) -> PartialDate | None:
        """The source's date when it precedes the fact it reports, else None."""
        when = published.get(source or "")
        return when if when and fact and fact.start > when.end else None

    def report(file: str, line: int, message: str) -> None:
        errors.append(f"{paths[file]}:{line}: {message}")

    for record in data.records.get("trajectories", []):
        for phase in record["phases"]:
            source = phase.get("source") or record["source"]
            if (when := too_early(source, phase["from"])) and phase["basis"] == "start":
                report(
                    "trajectories",
                    phase[LINE],
                    f"phase '{phase['key']}' starts {phase['from']}, after its source "
                    f"'{source}' was published ({when})",
                )
        for part in record["participants"]:
            if part["from"] and part["until"] and part["until"].start < part["from"].start:
                report("trajectories", part[LINE], "a participant's 'until' precedes its 'from'")
    for record in data.records.get("agreements", []):
        states = [record, *({**record, **_given(r)} for r in record["revisions"])]
        for state in states:
            line, source = state[LINE], state["source"]
            if state["ended"] and state["ended"].start < state["signed"].start:
                report("agreements", line, f"agreement '{record['key']}' ends before it is signed")
            if state["end_reason"] and not state["ended"]:
                report("agreements", line, "'end_reason' needs 'ended'")
            if when := too_early(source, state["signed"]):
                report(
                    "agreements",
                    line,
                    f"agreement '{record['key']}' is signed {state['signed']}, after its "
                    f"source '{source}' was published ({when})",
                )
    for record in data.records.get("events", []):
        for state in [record, *({**record, **_given(r)} for r in record["revisions"])]:
            if state["status"] == "held" and (when := too_early(state["source"], state["date"])):
                report(
                    "events",
                    state[LINE],
                    f"event '{record['key']}' is held on {state['date']}, after its source "
                    f"'{state['source']}' was published ({when})",
                )
    for record in data.records.get("targets", []):
        for version in record["versions"]:
            if version["deadline"].start < version["decided"].start:
                report(
                    "targets", version[LINE], "a target version's deadline precedes its decision"
                )
            if when := too_early(version["source"], version["decided"]):
                report(
                    "targets",
                    version[LINE],
                    f"target version '{version['key']}' is decided {version['decided']}, after "
                    f"its source '{version['source']}' was published ({when})",
                )


def _given(revision: dict[str, Any]) -> dict[str, Any]:
    """The fields a revision sets (an empty value means: unchanged)."""
    return {k: v for k, v in revision.items() if v not in (None, "", []) and k not in (LINES,)}
