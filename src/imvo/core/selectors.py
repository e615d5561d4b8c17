"""Reads shared by every part: whether the database answers."""

from __future__ import annotations

from django.db import DatabaseError, connection


def database_health() -> str | None:
    """None when the database answers a trivial query, else what went wrong."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return str(exc)
    return None
