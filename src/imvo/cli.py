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
    execute_from_command_line(args)


if __name__ == "__main__":  # pragma: no cover
    main()
