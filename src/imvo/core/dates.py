"""Dates with the precision their source gives them ("november 2014", "2015", "9 juni 2015").

Plain Python, no Django: used by models, the reference-data loader and the CLI.

A :class:`PartialDate` is a calendar period (a day, a month or a year) stored as its first
day plus a precision. Comparisons with an "as of" date use the first day of the period:
a phase that began "in November 2014" counts as reached on 2014-11-01. This rule is
documented in ``docs/domain-model.md``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from imvo.core.errors import InvalidValue, gettext_noop


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    start: date
    precision: Precision = Precision.DAY

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a clear ``ValueError`` otherwise."""
        raw = str(text).strip()
        match = _PATTERN.match(raw)
        if not match:
            raise InvalidValue(
                gettext_noop("'%(text)s' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)"),
                text=raw,
            )
        year, month, day = match.groups()
        try:
            if day is not None:
                return cls(date(int(year), int(month), int(day)), Precision.DAY)
            if month is not None:
                return cls(date(int(year), int(month), 1), Precision.MONTH)
            return cls(date(int(year), 1, 1), Precision.YEAR)
        except ValueError:
            raise InvalidValue(
                gettext_noop("'%(text)s' is not a valid calendar date"), text=raw
            ) from None

    @classmethod
    def of(cls, start: date, precision: str | Precision) -> PartialDate:
        return cls(start, Precision(precision))

    @property
    def end(self) -> date:
        """The last day of the period."""
        if self.precision is Precision.DAY:
            return self.start
        if self.precision is Precision.MONTH:
            last = calendar.monthrange(self.start.year, self.start.month)[1]
            return self.start.replace(day=last)
        return self.start.replace(month=12, day=31)

    def iso(self) -> str:
        if self.precision is Precision.YEAR:
            return f"{self.start.year:04d}"
        if self.precision is Precision.MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()

    def __str__(self) -> str:
        return self.iso()


def parse_date(text: str) -> date:
    """Parse a full ISO date (``YYYY-MM-DD``); raise ``ValueError`` with a clear message."""
    try:
        partial = PartialDate.parse(text)
    except ValueError:
        partial = None
    if partial is None or partial.precision is not Precision.DAY:
        raise InvalidValue(
            gettext_noop("'%(text)s' is not a date (expected YYYY-MM-DD)"), text=text
        )
    return partial.start
