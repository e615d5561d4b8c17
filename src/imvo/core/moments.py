"""Local-time boundaries of a day, for "as known at <date>" and "since <date>" questions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of ``day`` in local time: "known at 2015-07-10" includes that day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))
