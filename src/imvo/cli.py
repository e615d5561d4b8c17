"""The ``imvo`` console script: Django's management commands plus IMVO's own.

``imvo migrate``, ``imvo createsuperuser`` and every other Django command work as with
``manage.py``; IMVO adds ``init``, ``serve``, ``status`` and more (``imvo help``).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.conf.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["imvo", *argv])
    args[0] = "imvo"
    try:
        execute_from_command_line(args)
    except BrokenPipeError:
        # Output piped into e.g. `head` that stopped reading: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
