"""Row-level validation of CSV tables against a column schema (pure Python, no Django).

Both the shipped data pack and user imports go through :func:`validate_csv`. It never stops
at the first problem: every issue is collected with the file name and the row number, so that
a user sees all mistakes in one go. Row numbers are physical line numbers of the CSV file
(the header is row 1, the first data row is row 2), as shown by any text editor. A file that
cannot be read as CSV at all (e.g. a field over the ``csv`` module's field limit of 128 KiB)
is refused at once with a :class:`~imvo.core.errors.DataError` naming the file and row.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from imvo.core.errors import DataError

COLUMN_TYPES = ("string", "integer", "number", "boolean", "iso3", "hs_code", "nace")

_HS_RE = re.compile(r"^\d{2}(\d{2}(\d{2})?)?$")
_NACE_RE = re.compile(r"^\d{2}$")


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of a table: its type, unit and the values it may take."""

    name: str
    type: str
    description: str = ""
    unit: str | None = None
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    values: tuple[str, ...] | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ColumnSpec:
        if data["type"] not in COLUMN_TYPES:
            raise ValueError(f"column {data['name']!r}: unknown type {data['type']!r}")
        values = data.get("values")
        return cls(
            name=str(data["name"]),
            type=str(data["type"]),
            description=str(data.get("description", "")),
            unit=data.get("unit"),
            required=bool(data.get("required", True)),
            minimum=data.get("minimum"),
            maximum=data.get("maximum"),
            values=tuple(values) if values else None,
        )


@dataclass(frozen=True, slots=True)
class RowIssue:
    """A problem in one row (or the header, row 1) of a CSV file."""

    file: str
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


@dataclass(slots=True)
class ValidationResult:
    """Parsed columns (only trustworthy when ``issues`` is empty) and all issues found."""

    frame: pd.DataFrame
    issues: list[RowIssue] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.issues


class _Reject(ValueError):
    pass


def _parse(text: str, spec: ColumnSpec, *, iso3_codes: frozenset[str]) -> Any:
    kind = spec.type
    if kind == "string":
        value: Any = text
    elif kind == "integer":
        try:
            value = int(text)
        except ValueError:
            raise _Reject(f"{text!r} is not a whole number") from None
    elif kind == "number":
        try:
            value = float(text)
        except ValueError:
            raise _Reject(f"{text!r} is not a number") from None
        if not math.isfinite(value):
            raise _Reject(f"{text!r} is not a finite number")
    elif kind == "boolean":
        lowered = text.lower()
        if lowered not in ("true", "false"):
            raise _Reject(f"{text!r} is not true/false")
        value = lowered == "true"
    elif kind == "iso3":
        if text not in iso3_codes:
            raise _Reject(f"{text!r} is not an ISO 3166-1 alpha-3 code")
        value = text
    elif kind == "hs_code":
        if not _HS_RE.match(text) or not 1 <= int(text[:2]) <= 97:
            raise _Reject(f"{text!r} is not an HS code (2, 4 or 6 digits, chapter 01-97)")
        value = text
    elif kind == "nace":
        if not _NACE_RE.match(text):
            raise _Reject(f"{text!r} is not a two-digit NACE Rev.2 division")
        value = text
    else:  # pragma: no cover - guarded by ColumnSpec.from_mapping
        raise _Reject(f"unknown type {kind}")
    if spec.values is not None and str(text) not in spec.values:
        raise _Reject(f"{text!r} is not one of {', '.join(spec.values)}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if spec.minimum is not None and value < spec.minimum:
            raise _Reject(f"{text} is below the minimum {spec.minimum:g}")
        if spec.maximum is not None and value > spec.maximum:
            raise _Reject(f"{text} is above the maximum {spec.maximum:g}")
    return value


def _empty_value(spec: ColumnSpec) -> Any:
    return math.nan if spec.type in ("number", "integer") else None


def validate_csv(
    text: str,
    *,
    file_label: str,
    columns: Sequence[ColumnSpec],
    iso3_codes: Iterable[str],
    primary_key: Sequence[str] = (),
    optional_columns: Sequence[ColumnSpec] = (),
    valid_values: Mapping[str, Iterable[str]] | None = None,
) -> ValidationResult:
    """Validate CSV ``text`` against ``columns``; return parsed frame and every issue found.

    ``optional_columns`` may be absent from the header; ``valid_values`` restricts a column to
    a set of codes known only at run time (e.g. the NACE divisions of the analysis).
    """
    codes = frozenset(iso3_codes)
    allowed = {name: frozenset(values) for name, values in (valid_values or {}).items()}
    issues: list[RowIssue] = []
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise DataError(
            f"{file_label}, row 1: not readable as CSV ({exc})", location=f"{file_label}, row 1"
        ) from None
    except StopIteration:
        issue = RowIssue(file_label, 1, None, "the file is empty (a header row is required)")
        return ValidationResult(pd.DataFrame(), [issue], 0)
    header = [name.strip() for name in header]
    expected = [spec.name for spec in columns]
    optional = {spec.name: spec for spec in optional_columns}
    missing = [name for name in expected if name not in header]
    unknown = [name for name in header if name not in expected and name not in optional]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if missing or unknown or duplicated:
        parts = []
        if missing:
            parts.append("missing column(s) " + ", ".join(missing))
        if unknown:
            parts.append("unexpected column(s) " + ", ".join(unknown))
        if duplicated:
            parts.append("repeated column(s) " + ", ".join(duplicated))
        message = "; ".join(parts) + f" (expected: {','.join(expected)})"
        return ValidationResult(pd.DataFrame(), [RowIssue(file_label, 1, None, message)], 0)
    specs = list(columns) + [optional[n] for n in header if n in optional]
    position = {name: header.index(name) for name in (spec.name for spec in specs)}
    parsed: dict[str, list[Any]] = {spec.name: [] for spec in specs}
    line_numbers: list[int] = []
    seen_keys: dict[tuple[Any, ...], int] = {}
    count = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a field over the CSV field limit, a NUL byte
            raise DataError(
                f"{file_label}, row {reader.line_num}: not readable as CSV ({exc})",
                location=f"{file_label}, row {reader.line_num}",
            ) from None
        line = reader.line_num
        if not record or all(not cell.strip() for cell in record):
            continue
        count += 1
        if len(record) != len(header):
            issues.append(
                RowIssue(
                    file_label,
                    line,
                    None,
                    f"has {len(record)} fields, the header has {len(header)}",
                )
            )
            continue
        row_ok = True
        values: dict[str, Any] = {}
        for spec in specs:
            cell = record[position[spec.name]].strip()
            if cell == "":
                if spec.required:
                    issues.append(RowIssue(file_label, line, spec.name, "value is missing"))
                    row_ok = False
                values[spec.name] = _empty_value(spec)
                continue
            try:
                value = _parse(cell, spec, iso3_codes=codes)
            except _Reject as exc:
                issues.append(RowIssue(file_label, line, spec.name, str(exc)))
                row_ok = False
                value = _empty_value(spec)
            else:
                if spec.name in allowed and str(value) not in allowed[spec.name]:
                    issues.append(RowIssue(file_label, line, spec.name, f"unknown code {cell!r}"))
                    row_ok = False
            values[spec.name] = value
        if row_ok and primary_key:
            key = tuple(values[name] for name in primary_key)
            if key in seen_keys:
                issues.append(
                    RowIssue(
                        file_label,
                        line,
                        None,
                        f"duplicate {'/'.join(primary_key)} {key!r} (first seen in row "
                        f"{seen_keys[key]})",
                    )
                )
            else:
                seen_keys[key] = line
        for name, value in values.items():
            parsed[name].append(value)
        line_numbers.append(line)
    frame = pd.DataFrame(parsed)
    for spec in specs:
        if spec.type == "string" or spec.type in ("iso3", "hs_code", "nace"):
            frame[spec.name] = frame[spec.name].astype(object)
        elif spec.type == "boolean":
            frame[spec.name] = frame[spec.name].astype(bool)
        elif spec.type == "integer" and not frame[spec.name].isna().any():
            frame[spec.name] = frame[spec.name].astype("int64")
    frame.index = pd.Index(line_numbers, name="row")
    return ValidationResult(frame, issues, count)
