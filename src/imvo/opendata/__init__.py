"""The versioned open data pack behind the Sector Risk Analysis (pure Python, no Django).

Every dataset is a CSV file in ``data/`` with a JSON descriptor of the same name: publisher,
edition, licence, attribution, sha256 and the columns with their types and units. Loading
validates every row against the descriptor (schema, ISO3 codes, ranges, unique keys) and then
the checksum; a file that fails is refused with a :class:`~imvo.core.errors.DataError` naming
the file and the row. Only openly licensed data is shipped here; restricted indices (TI CPI,
ITUC) can only be supplied by the user, see :mod:`imvo.opendata.userdata`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from imvo.core.errors import DataError
from imvo.opendata.validation import ColumnSpec, validate_csv

DATA_DIR = Path(__file__).resolve().parent / "data"
ISO3_DATASET = "iso3_codes"

__all__ = [
    "DATA_DIR",
    "Dataset",
    "Descriptor",
    "iso3_codes",
    "list_descriptors",
    "load_dataset",
    "load_pack",
]


@dataclass(frozen=True, slots=True)
class Descriptor:
    """Machine-readable metadata of one dataset (the JSON file beside the CSV)."""

    id: str
    file: str
    title: str
    publisher: str
    edition: str
    retrieved: str
    licence: str
    licence_url: str
    attribution: str
    source: str
    redistributable: bool
    rows: int
    sha256: str
    primary_key: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]

    @classmethod
    def read(cls, path: Path) -> Descriptor:
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                id=data["id"],
                file=data["file"],
                title=data["title"],
                publisher=data["publisher"],
                edition=data["edition"],
                retrieved=data["retrieved"],
                licence=data["licence"],
                licence_url=data.get("licence_url", ""),
                attribution=data["attribution"],
                source=data["source"],
                redistributable=bool(data.get("redistributable", False)),
                rows=int(data["rows"]),
                sha256=data["sha256"],
                primary_key=tuple(data.get("primary_key", ())),
                columns=tuple(ColumnSpec.from_mapping(c) for c in data["columns"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"{path.name}: invalid descriptor ({exc})") from None

    def as_dict(self) -> dict[str, Any]:
        """The descriptor as plain data (for JSON output and the web layer)."""
        return {
            "id": self.id,
            "file": self.file,
            "title": self.title,
            "publisher": self.publisher,
            "edition": self.edition,
            "retrieved": self.retrieved,
            "licence": self.licence,
            "licence_url": self.licence_url,
            "attribution": self.attribution,
            "source": self.source,
            "rows": self.rows,
            "sha256": self.sha256,
        }


@dataclass(frozen=True, slots=True)
class Dataset:
    """A validated dataset: its descriptor and its rows (index = CSV row number)."""

    descriptor: Descriptor
    frame: pd.DataFrame


def list_descriptors(*, directory: Path = DATA_DIR) -> list[Descriptor]:
    """All dataset descriptors in ``directory``, sorted by id."""
    return [Descriptor.read(path) for path in sorted(directory.glob("*.json"))]


def _read_checked(name: str, directory: Path) -> tuple[Descriptor, bytes]:
    descriptor_path = directory / f"{name}.json"
    if not descriptor_path.is_file():
        raise DataError(f"{name}: no such dataset in {directory}")
    descriptor = Descriptor.read(descriptor_path)
    data_path = directory / descriptor.file
    try:
        raw = data_path.read_bytes()
    except OSError as exc:
        raise DataError(f"{descriptor.file}: cannot be read ({exc.strerror})") from None
    return descriptor, raw


@cache
def _iso3_cached(directory: Path) -> frozenset[str]:
    descriptor, raw = _read_checked(ISO3_DATASET, directory)
    digest = hashlib.sha256(raw).hexdigest()
    if digest != descriptor.sha256:
        raise DataError(f"{descriptor.file}: sha256 {digest} does not match the descriptor")
    lines = raw.decode("utf-8").splitlines()[1:]
    return frozenset(line.split(",", 1)[0] for line in lines if line)


def iso3_codes(*, directory: Path = DATA_DIR) -> frozenset[str]:
    """The ISO 3166-1 alpha-3 codes accepted anywhere in the project (plus XKX for Kosovo)."""
    return _iso3_cached(directory)


def load_dataset(name: str, *, directory: Path = DATA_DIR, verify: bool = True) -> Dataset:
    """Load and validate one dataset; raise :class:`DataError` naming file and row."""
    descriptor, raw = _read_checked(name, directory)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        raise DataError(f"{descriptor.file}, row {row}: not valid UTF-8") from None
    result = validate_csv(
        text,
        file_label=descriptor.file,
        columns=descriptor.columns,
        iso3_codes=iso3_codes(directory=directory),
        primary_key=descriptor.primary_key,
    )
    if result.issues:
        first = result.issues[0]
        more = len(result.issues) - 1
        suffix = f" (and {more} more issue{'s' if more != 1 else ''})" if more else ""
        raise DataError(f"refused: {first}{suffix}", issues=result.issues)
    if verify:
        if result.rows != descriptor.rows:
            raise DataError(
                f"refused: {descriptor.file} has {result.rows} data rows, "
                f"the descriptor says {descriptor.rows}"
            )
        digest = hashlib.sha256(raw).hexdigest()
        if digest != descriptor.sha256:
            raise DataError(
                f"refused: {descriptor.file}: sha256 {digest[:12]}… does not match the "
                f"descriptor ({descriptor.sha256[:12]}…); the file was changed"
            )
    return Dataset(descriptor, result.frame)


@cache
def _pack_cached(directory: Path) -> dict[str, Dataset]:
    descriptors = list_descriptors(directory=directory)
    return {d.id: load_dataset(d.id, directory=directory) for d in descriptors}


def load_pack(*, directory: Path = DATA_DIR) -> dict[str, Dataset]:
    """Every dataset of the pack, validated (cached per directory for the process)."""
    return _pack_cached(directory)
