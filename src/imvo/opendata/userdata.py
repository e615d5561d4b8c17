"""User-supplied data for the Sector Risk Analysis: formats, validation and storage (pure).

Users may add data the project cannot ship: national import statistics, a financial
portfolio, and restricted-licence country indices (e.g. Transparency International's CPI, the
ITUC Global Rights Index). ``import_user_data`` validates a whole file and writes it only when
every row is valid; otherwise it raises :class:`~imvo.core.errors.DataError` listing every bad
row in ``issues``. Accepted files are stored, normalised, as ``<directory>/<kind>.csv`` with a
``<kind>.json`` record of where they came from. The command layer passes
``settings.VAR_DIR / "userdata"`` as the directory; nothing here knows about Django. Stored
data never leaves the installation.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from imvo.core.errors import DataError
from imvo.opendata import iso3_codes
from imvo.opendata.validation import ColumnSpec, RowIssue, validate_csv

__all__ = [
    "USER_KINDS",
    "UserData",
    "UserKind",
    "import_user_data",
    "load_user_data",
    "remove_user_data",
]


@dataclass(frozen=True, slots=True)
class UserKind:
    """A kind of user data the analysis understands."""

    name: str
    title_nl: str
    title_en: str
    columns: tuple[ColumnSpec, ...]
    primary_key: tuple[str, ...]
    optional_columns: tuple[ColumnSpec, ...] = ()
    # For country indices: which themes it feeds, its scale and direction.
    themes: tuple[str, ...] = ()
    scale: tuple[float, float] | None = None
    higher_is_worse: bool = False
    note: str = ""

    @property
    def header(self) -> str:
        return ",".join(spec.name for spec in self.columns)


def _c(name: str, type_: str, description: str, **kw: Any) -> ColumnSpec:
    return ColumnSpec(name=name, type=type_, description=description, **kw)


FINANCIAL = ("64", "65", "66")
_YEAR = _c("year", "integer", "Reference year", unit="year", minimum=1990, maximum=2100)

USER_KINDS: dict[str, UserKind] = {
    "imports": UserKind(
        name="imports",
        title_nl="Nationale importstatistiek (waarde per partnerland en HS-code)",
        title_en="National import statistics (value per partner country and HS code)",
        columns=(
            _c("partner_iso3", "iso3", "Country of origin / partner"),
            _c("hs_code", "hs_code", "HS code, 2, 4 or 6 digits as text"),
            _c("value_eur", "number", "Import value", unit="EUR", minimum=0),
            _YEAR,
        ),
        primary_key=("partner_iso3", "hs_code", "year"),
        note="Replaces the authored sourcing shares of every product whose HS code it covers "
        "(latest year in the file).",
    ),
    "portfolio": UserKind(
        name="portfolio",
        title_nl="Portefeuille van de financiële sector (NACE-divisie, land, gewicht)",
        title_en="Financial-sector portfolio (NACE division, country, weight)",
        columns=(
            _c("nace", "nace", "NACE Rev.2 division financed, invested or insured"),
            _c("iso3", "iso3", "Country where the financed activity takes place"),
            _c("weight", "number", "Relative exposure (any positive unit)", minimum=0),
        ),
        optional_columns=(
            _c(
                "financial_nace",
                "nace",
                "Financial division the line belongs to (64, 65 or 66); empty = all three",
                required=False,
            ),
        ),
        primary_key=("nace", "iso3"),
        note="Replaces the documented default financed mix of NACE 64-66.",
    ),
    "ti_cpi": UserKind(
        name="ti_cpi",
        title_nl="Transparency International Corruption Perceptions Index (niet meegeleverd)",
        title_en="Transparency International Corruption Perceptions Index (not shipped)",
        columns=(
            _c("iso3", "iso3", "Country"),
            _YEAR,
            _c(
                "score",
                "number",
                "CPI score, 0 highly corrupt - 100 very clean",
                minimum=0,
                maximum=100,
            ),
        ),
        primary_key=("iso3", "year"),
        themes=("corruption",),
        scale=(0.0, 100.0),
        higher_is_worse=False,
        note="Restricted licence: use under your own TI licence; never redistributed.",
    ),
    "ituc_rights": UserKind(
        name="ituc_rights",
        title_nl="ITUC Global Rights Index (niet meegeleverd)",
        title_en="ITUC Global Rights Index (not shipped)",
        columns=(
            _c("iso3", "iso3", "Country"),
            _YEAR,
            _c(
                "score",
                "number",
                "Rating 1 (sporadic violations) - 5, with 5+ written as 6",
                minimum=1,
                maximum=6,
            ),
        ),
        primary_key=("iso3", "year"),
        themes=("freedom_of_association", "working_conditions"),
        scale=(1.0, 6.0),
        higher_is_worse=True,
        note="Restricted licence: use under ITUC's terms; never redistributed.",
    ),
}


@dataclass(frozen=True, slots=True)
class StoredImport:
    kind: str
    rows: int
    source_file: str
    imported_at: str
    sha256: str
    frame: pd.DataFrame = field(repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": f"user:{self.kind}",
            "kind": self.kind,
            "rows": self.rows,
            "source_file": self.source_file,
            "imported_at": self.imported_at,
            "sha256": self.sha256,
        }


@dataclass(frozen=True, slots=True)
class UserData:
    """All user data found in a directory (absent kinds are missing from ``imports``)."""

    imports: dict[str, StoredImport] = field(default_factory=dict)

    def get(self, kind: str) -> pd.DataFrame | None:
        stored = self.imports.get(kind)
        return None if stored is None else stored.frame

    @property
    def fingerprint(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((k, v.sha256) for k, v in self.imports.items()))


def _kind(name: str) -> UserKind:
    try:
        return USER_KINDS[name]
    except KeyError:
        known = ", ".join(sorted(USER_KINDS))
        raise DataError(f"unknown data kind {name!r} (known: {known})") from None


def parse_user_file(
    kind_name: str,
    text: str,
    *,
    file_label: str,
    nace_codes: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Validate ``text`` as user data of ``kind_name``; raise with all issues if any."""
    kind = _kind(kind_name)
    valid_values = None
    if nace_codes is not None and kind.name == "portfolio":
        codes = list(nace_codes)
        valid_values = {"nace": codes, "financial_nace": [c for c in codes if c in FINANCIAL]}
    primary_key = kind.primary_key
    if kind.name == "portfolio" and "financial_nace" in _csv_header(text):
        primary_key = ("financial_nace", "nace", "iso3")
    result = validate_csv(
        text,
        file_label=file_label,
        columns=kind.columns,
        optional_columns=kind.optional_columns,
        iso3_codes=iso3_codes(),
        primary_key=primary_key,
        valid_values=valid_values,
    )
    issues = list(result.issues)
    if not issues and result.rows == 0:
        issues.append(RowIssue(file_label, 2, None, "the file has a header but no data rows"))
    if issues:
        rows = sorted({issue.row for issue in issues})
        listing = ", ".join(str(r) for r in rows[:30]) + (" …" if len(rows) > 30 else "")
        raise DataError(
            f"{file_label}: {len(issues)} problem(s) in row(s) {listing}; nothing imported",
            issues=issues,
        )
    return result.frame


def import_user_data(
    *,
    kind: str,
    source: Path,
    directory: Path,
    nace_codes: Iterable[str] | None = None,
) -> StoredImport:
    """Validate ``source`` and store it as user data of ``kind`` in ``directory``.

    All-or-nothing: on any bad row a :class:`~imvo.core.errors.DataError` lists every issue
    (``issues``) and no file is written or replaced.
    """
    spec = _kind(kind)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise DataError(f"{source}: cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        message = f"{source.name}, row {row}: not valid UTF-8; nothing imported"
        raise DataError(message) from None
    try:
        frame = parse_user_file(kind, text, file_label=source.name, nace_codes=nace_codes)
    except DataError as exc:
        if exc.issues:
            raise
        raise DataError(f"{exc}; nothing imported", location=exc.location) from None
    out = io.StringIO()
    frame.to_csv(out, index=False, lineterminator="\n")
    payload = out.getvalue().encode("utf-8")
    directory.mkdir(parents=True, exist_ok=True)
    meta = {
        "kind": spec.name,
        "source_file": str(source.name),
        "imported_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "rows": len(frame),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "redistributable": False,
        "note": spec.note,
    }
    _atomic_write(directory / f"{spec.name}.csv", payload)
    _atomic_write(directory / f"{spec.name}.json", json.dumps(meta, indent=2).encode("utf-8"))
    return StoredImport(
        kind=spec.name,
        rows=len(frame),
        source_file=meta["source_file"],
        imported_at=meta["imported_at"],
        sha256=meta["sha256"],
        frame=frame,
    )


def _atomic_write(path: Path, payload: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(payload)
    os.replace(tmp, path)


def remove_user_data(*, kind: str, directory: Path) -> bool:
    """Delete stored user data of ``kind``; return whether anything was removed."""
    spec = _kind(kind)
    removed = False
    for suffix in (".csv", ".json"):
        path = directory / f"{spec.name}{suffix}"
        if path.exists():
            path.unlink()
            removed = True
    return removed


def load_user_data(*, directory: Path | None) -> UserData:
    """Read and re-validate every stored user dataset in ``directory`` (missing dir = none)."""
    found: dict[str, StoredImport] = {}
    if directory is None or not directory.is_dir():
        return UserData(found)
    for name in sorted(USER_KINDS):
        path = directory / f"{name}.csv"
        if not path.is_file():
            continue
        raw = path.read_bytes()
        meta = _read_record(directory / f"{name}.json")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            row = raw[: exc.start].count(b"\n") + 1
            raise DataError(f"{path}, row {row}: not valid UTF-8", location=str(path)) from None
        frame = parse_user_file(name, text, file_label=str(path))
        found[name] = StoredImport(
            kind=name,
            rows=len(frame),
            source_file=str(meta.get("source_file", path.name)),
            imported_at=str(meta.get("imported_at", "")),
            sha256=hashlib.sha256(raw).hexdigest(),
            frame=frame,
        )
    return UserData(found)


RECORD_TEXT_FIELDS = ("kind", "source_file", "imported_at", "sha256", "note")


def _read_record(path: Path) -> dict[str, Any]:
    """The ``<kind>.json`` record of a stored import ({} if absent); refuse a corrupt one."""
    if not path.is_file():
        return {}
    try:
        record = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(
            f"{path}: not a readable user-data record ({exc}); "
            "remove it with 'imvo data remove' and import again",
            location=str(path),
        ) from None
    wrong = (
        "it is not a JSON object"
        if not isinstance(record, dict)
        else next(
            (
                f"'{key}' is not text"
                for key in RECORD_TEXT_FIELDS
                if key in record and not isinstance(record[key], str)
            ),
            None,
        )
    )
    if wrong:
        raise DataError(
            f"{path}: not a valid user-data record ({wrong}); "
            "remove it with 'imvo data remove' and import again",
            location=str(path),
        )
    return record


def describe_formats() -> str:
    """A plain-text list of accepted formats (used in help texts and docs)."""
    lines = []
    for kind in USER_KINDS.values():
        optional = "".join(f"[,{c.name}]" for c in kind.optional_columns)
        lines.append(f"{kind.name}: {kind.header}{optional} — {kind.title_en}")
    return "\n".join(lines)


def _csv_header(text: str) -> list[str]:
    return [name.strip() for name in next(csv.reader(io.StringIO(text)), [])]
