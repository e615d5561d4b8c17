"""The ``imvo`` console script: Django's management commands plus IMVO's own.

``imvo migrate``, ``imvo createsuperuser`` and every other Django command work as with
``manage.py``; IMVO adds ``init``, ``serve``, ``status`` and more. ``imvo``, ``imvo help`` and
``imvo --help`` list IMVO's own commands first, each with the first sentence of its help;
``imvo help --all`` lists every command as Django does, and ``imvo help COMMAND`` shows one.
All of it is in one language: ``--lang nl|en`` anywhere on the line, else ``IMVO_LANG``, else
Dutch (:func:`imvo.commands.base.cli_language`).

Settings that cannot be understood (``IMVO_DEBUG=ture``, an unknown ``DATABASE_URL`` scheme)
and a database that cannot be read before a command starts are reported as one line,
``imvo: error: …``, with exit code 2 — the same as a mistake in a command's arguments.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any, NoReturn

EXIT_USER_ERROR = 2

#: The app whose management commands are IMVO's own.
IMVO_APP = "imvo.commands"
#: The order in which ``imvo help`` lists them (others follow by name).
COMMAND_ORDER = (
    "init", "serve", "status", "changes", "forecast", "report", "audit", "user", "sra", "data",
    "assess",
)  # fmt: skip


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"imvo: error: {message}\n")
    sys.exit(EXIT_USER_ERROR)


def first_sentence(text: str) -> str:
    """The first sentence of a command's ``help``, on one line."""
    text = " ".join(text.split())
    match = re.search(r"[.!?](?=\s|$)", text)
    return text[: match.end()] if match else text


def imvo_help_text(commands: dict[str, str]) -> str:
    """``imvo``'s main help: IMVO's own commands with one line each, then how to see Django's.

    ``commands`` maps each command name to its app (as ``get_commands()`` does)."""
    from django.core.management import load_command_class
    from django.utils.translation import gettext as _

    own = [name for name, app in commands.items() if app == IMVO_APP]
    own.sort(
        key=lambda n: (COMMAND_ORDER.index(n) if n in COMMAND_ORDER else len(COMMAND_ORDER), n)
    )
    width = max((len(name) for name in own), default=0)
    lines = [
        _("usage: imvo COMMAND [options]"),
        "",
        _("IMVO Monitor's commands:"),
        "",
    ]
    for name in own:
        summary = first_sentence(str(load_command_class(IMVO_APP, name).help or ""))
        lines.append(f"  {name.ljust(width)}  {summary}".rstrip())
    lines += [
        "",
        _("'imvo help COMMAND' shows the options of one command."),
        _("'imvo help --all' lists every command, Django's own too (migrate, createsuperuser, …)."),
        _("'--lang en' or IMVO_LANG=en: in English."),
    ]
    return "\n".join(lines)


def _without_lang(args: list[str]) -> list[str]:
    """``args`` without ``--lang X``/``--lang=X`` (Django's help would take X for a command)."""
    kept: list[str] = []
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
        elif arg == "--lang" and i + 1 < len(args):
            skip = True
        elif not arg.startswith("--lang="):
            kept.append(arg)
    return kept


def _utility(args: list[str]) -> Any:
    """Django's command line with IMVO's main help."""
    from django.core.management import ManagementUtility, get_commands

    class Utility(ManagementUtility):
        def main_help_text(self, commands_only: bool = False) -> str:
            if commands_only or "--all" in self.argv[2:]:
                return super().main_help_text(commands_only=commands_only)
            return imvo_help_text(get_commands())

    return Utility(args)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.conf.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
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
    from django.utils import translation

    from imvo.commands.base import cli_language, translate_argparse

    language = cli_language(args[1:])
    if len(args) < 2 or args[1] in ("help", "--help", "-h"):
        args = _without_lang(args)
    translate_argparse()
    try:
        import django

        django.setup()  # the translation catalogues need the apps
        translation.activate(language)
        _utility(args).execute()
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
