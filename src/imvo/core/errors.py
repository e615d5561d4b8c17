"""One error base for every mistake a user can make, whatever the channel.

Plain Python, no Django: pure engines raise these too. An :class:`ImvoError` carries a stable
``code``, a message for people and, where it applies, the ``field`` (an argument, a form field,
an API parameter) and the ``location`` (``file:line``, ``file, row N``) it concerns. Each
channel maps it once: the command line prints one line and exits with code 2
(:mod:`imvo.commands.base`), the web shows the message on the page, and the API answers
``application/problem+json`` with the field in ``invalidParams``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation without translating it (plain Python, no Django).

    ``makemessages`` finds the marked text; a channel puts it in the reader's language with
    :func:`imvo.core.i18n.message`."""
    return message


class InvalidValue(ValueError):
    """A value that cannot be understood, with a message a channel can translate.

    ``template`` is English with ``%(name)s`` placeholders (marked with :func:`gettext_noop`);
    ``str()`` gives the English text, :func:`imvo.core.i18n.message` the active language's.
    """

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: which field or place, and what."""

    message: str
    field: str = ""
    location: str = ""


class ImvoError(Exception):
    """A mistake in the input that leaves stored data as it was.

    ``problems`` lists every problem found (an API answers with all of them at once); the
    message is the first, or a summary.
    """

    code = "invalid"
    status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str = "",
        location: str = "",
        problems: Sequence[Problem] = (),
        issues: Sequence[Any] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.location = location
        self.problems = list(problems) or [Problem(message, field, location)]
        #: Row-level findings of a data validator (kept for commands that list them).
        self.issues = list(issues)

    def __str__(self) -> str:
        return self.message


class DataError(ImvoError):
    """A data file (shipped, reference or user-supplied) that is missing, broken or invalid."""

    code = "invalid_data"


class NotFound(ImvoError):
    """A record, dataset or division asked for by name that does not exist."""

    code = "not_found"
    status = 404


class Conflict(ImvoError):
    """A write refused because of the state of other records (e.g. a delete with dependents)."""

    code = "conflict"
    status = 409
