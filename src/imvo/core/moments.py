"""Reference moments: "as of" a date in the world, "as known at" a moment of knowledge.

One parser for every channel: ``imvo status --as-of/--known-at``, the web form's
``peildatum``/``bekend_op`` and (later) the API's ``peildatum``/``bekendOp`` accept the same
values and give the same messages. Also the local-time boundaries of a day, for "as known at
<date>" and "since <date>" questions.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from imvo.core.dates import parse_date
from imvo.core.errors import InvalidValue, gettext_noop


def start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of ``day`` in local time: "known at 2015-07-10" includes that day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def parse_as_of(text: str) -> dt.date:
    """A reference date ``YYYY-MM-DD``; ``ValueError`` with a message for people otherwise."""
    return parse_date(text.strip())


def parse_known_at(text: str) -> dt.datetime:
    """A date (the end of that day) or an ISO date-time; local time unless it has an offset."""
    raw = text.strip()
    if len(raw) == 10:
        return end_of_day(parse_date(raw))
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidValue(
            gettext_noop(
                "'%(text)s' is not a date or date-time (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
            ),
            text=raw,
        ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
