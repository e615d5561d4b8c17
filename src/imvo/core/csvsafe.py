"""CSV that is safe to open in a spreadsheet (plain Python, no Django).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
spreadsheet programs as a formula ("CSV injection"): a covenant sentence or an audit reason
like ``=HYPERLINK(…)`` would run when an officer opens the file. Such text cells get a leading
apostrophe, which spreadsheets show as text and hide. Numbers are written as numbers: a
negative number stays ``-0.5`` (only text is neutralised).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as it may stand in a CSV cell: text that a spreadsheet would evaluate is
    prefixed with an apostrophe; numbers, dates and empty values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class SafeWriter:
    """``csv.writer`` whose rows are neutralised (same ``writerow``/``writerows``)."""

    def __init__(self, out: TextIO, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose values are neutralised."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({k: safe_cell(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def safe_frame_csv(frame: Any, **options: Any) -> str:
    """A pandas DataFrame as safe CSV text (text columns neutralised, numbers untouched)."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    safe = frame.copy()
    for column in safe.columns:
        if is_object_dtype(safe[column]) or is_string_dtype(safe[column]):
            safe[column] = safe[column].map(safe_cell)
    return safe.to_csv(**options)


__all__: Sequence[str] = (
    "FORMULA_STARTS",
    "SafeDictWriter",
    "SafeWriter",
    "safe_cell",
    "safe_frame_csv",
    "safe_row",
)
