"""The ``imvo`` console script: Django's management commands plus IMVO's own.

``imvo migrate``, ``imvo createsuperuser`` and every other Django command work as with
``manage.py``; IMVO adds ``init``, ``serve``, ``status`` and more (``imvo help``).

Settings that cannot be understood (``IMVO_DEBUG=ture``, an unknown ``DATABASE_URL`` scheme)
and a database that cannot be read before a command starts are reported as one line,
``imvo: error: …``, with exit code 2 — the same as a mistake in a command's arguments.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

EXIT_USER_ERROR = 2


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"imvo: error: {message}\n")
    sys.exit(EXIT_USER_ERROR)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.conf.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    args = list(sys.argv if argv is None else ["imvo", *argv])
    args[0] = "imvo"
    try:
        # Read the settings now: Django's command line would swallow their error and answer
        # "Unknown command" for every IMVO command instead.
        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as exc:
        _fail(f"settings: {exc}")
    except ImportError as exc:
        _fail(f"settings: DJANGO_SETTINGS_MODULE={os.environ['DJANGO_SETTINGS_MODULE']!r}: {exc}")
    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:
        # E.g. a database driver that is not installed, found while Django starts.
        _fail(str(exc))
    except DatabaseError:
        # A command that is not an ImvoCommand (e.g. Django's own) or a check before it runs.
        from imvo.commands.base import NO_DATABASE

        _fail(NO_DATABASE)
    except BrokenPipeError:
        # Output piped into e.g. `head` that stopped reading: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
