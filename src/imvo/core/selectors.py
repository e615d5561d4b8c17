"""Reads shared by every part: whether the database answers."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection

logger = logging.getLogger("imvo.health")


def database_health() -> str | None:
    """None when the database answers a trivial query, else what went wrong.

    The detail (the driver's error, which may name the host, port, database and user) is for
    the server's log, where it is written as an error; channels that answer anonymous callers
    say only that something is wrong."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        detail = f"{type(exc).__name__}: {exc}".strip()
        logger.error("health check: the database does not answer: %s", detail)
        return detail
    return None
