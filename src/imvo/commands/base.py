"""Base class for IMVO's management commands: user mistakes end in one line and exit code 2.

Django's own parser prints a usage block before an argument error; IMVO commands print a
single line naming the command and the argument instead, so that scripts and people see at
once what was wrong. Every :class:`~imvo.core.errors.ImvoError` raised below a command (by a
service, a selector or an engine) is reported the same way, and so is a database that is not
initialised or cannot be reached.

**One language per output.** Every IMVO command takes ``--lang nl|en`` (default: the
environment variable ``IMVO_LANG``, else Dutch). Its help, its messages and its text output
are then in that language: the help of Django's shared options and argparse's own words
("usage", "options", "error") included. :func:`cli_language` reads the choice from the
command line before Django parses it, so that ``imvo status --help --lang en`` is English too.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.core.errors import ImvoError, gettext_noop
from imvo.core.i18n import message

EXIT_USER_ERROR = 2
LANGUAGES = ("nl", "en")
NO_DATABASE = gettext_lazy(
    "the database cannot be read: is it reachable (DATABASE_URL) and initialised ('imvo init')?"
)

#: The help of the options Django gives every command, in the command's language.
_SHARED_OPTION_HELP = {
    "-h": gettext_lazy("show this help message and exit"),
    "--version": gettext_lazy("show the version number and exit"),
    "-v": gettext_lazy(
        "verbosity: 0 = minimal output, 1 = normal output, 2 = verbose output, 3 = very verbose"
    ),
    "--settings": gettext_lazy(
        'a Python path to a settings module, e.g. "myproject.settings.main" (default: the '
        "DJANGO_SETTINGS_MODULE environment variable)"
    ),
    "--pythonpath": gettext_lazy(
        'a directory to add to the Python path, e.g. "/home/djangoprojects/myproject"'
    ),
    "--traceback": gettext_lazy("show the full traceback of an error"),
    "--no-color": gettext_lazy("do not colour the output"),
    "--force-color": gettext_lazy("always colour the output"),
    "--skip-checks": gettext_lazy("skip the system checks"),
    "--lang": gettext_lazy("language of the help, messages and output: nl or en"),
}


def default_language() -> str:
    """``IMVO_LANG`` when it names a language of the interface, else the site's (Dutch)."""
    chosen = os.environ.get("IMVO_LANG", "").strip().lower()[:2]
    return chosen if chosen in LANGUAGES else settings.LANGUAGE_CODE[:2]


def cli_language(args: Sequence[str]) -> str:
    """The language a command line asks for: ``--lang X``/``--lang=X`` (nl or en), else
    :func:`default_language`. Other values (``--lang auto`` of ``imvo assess``) leave it."""
    for i, arg in enumerate(args):
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in LANGUAGES:
            return value
    return default_language()


#: argparse's own messages that IMVO's catalogue translates (marked so that makemessages keeps
#: them); :func:`translate_argparse` makes argparse look them up there.
ARGPARSE_MESSAGES = (
    gettext_noop("usage: "),
    gettext_noop("positional arguments"),
    gettext_noop("options"),
    gettext_noop("show this help message and exit"),
    gettext_noop("the following arguments are required: %s"),
    gettext_noop("unrecognized arguments: %s"),
    gettext_noop("argument %(argument_name)s: %(message)s"),
    gettext_noop("invalid choice: %(value)r (choose from %(choices)s)"),
    gettext_noop("expected one argument"),
    gettext_noop("invalid %(type)s value: %(value)r"),
    gettext_noop("ambiguous option: %(option)s could match %(matches)s"),
    gettext_noop("not allowed with argument %s"),
    gettext_noop("ignored explicit argument %r"),
)


def translate_argparse() -> None:
    """Let argparse's words ("usage", "invalid choice", …) follow the active language.

    argparse looks its messages up with the standard library's ``gettext``; pointed at
    Django's, the ones in :data:`ARGPARSE_MESSAGES` come out in Dutch under ``--lang nl`` and
    every other message stays as argparse wrote it."""
    argparse._ = translation.gettext  # type: ignore[attr-defined]


class UserError(ImvoError):
    """A mistake in a command's arguments: one line, exit code 2, nothing written."""

    code = "invalid_argument"


class _OneLineParser(CommandParser):
    def error(self, message: str) -> NoReturn:
        if self.called_from_command_line:
            error = _("error")
            sys.stderr.write(f"{self.prog}: {error}: {message}\n")
            sys.exit(EXIT_USER_ERROR)
        raise CommandError(f"Error: {message}")


class ImvoCommand(BaseCommand):
    """A management command whose user errors are one line on stderr with exit code 2."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse needs plain text: the (lazily translated) help in the active language.
        self.help = str(self.help)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _OneLineParser
        parser.prog = self._prog = f"imvo {subcommand}"
        if "--lang" not in parser._option_string_actions:
            parser.add_argument("--lang", choices=LANGUAGES, default=None)
        # Django's shared options in the command's language (argparse's own words follow
        # through translate_argparse).
        for option, text in _SHARED_OPTION_HELP.items():
            action = parser._option_string_actions.get(option)
            if action is not None and (option != "--lang" or not action.help):
                action.help = str(text)
        return parser

    def run_from_argv(self, argv: list[str]) -> None:
        translate_argparse()
        with translation.override(cli_language(argv[2:])):
            super().run_from_argv(argv)

    def execute(self, *args: Any, **options: Any) -> Any:
        lang = options.get("lang")
        if lang not in LANGUAGES:
            lang = "en" if (translation.get_language() or "nl").startswith("en") else "nl"
            if "lang" in options and options["lang"] is None:
                options["lang"] = lang  # the command's own --lang, defaulted to the line's
        with translation.override(lang):
            return self._execute(*args, **options)

    def _execute(self, *args: Any, **options: Any) -> Any:
        try:
            try:
                return super().execute(*args, **options)
            except ImvoError as exc:
                text = str(exc)
                if exc.field and not text.startswith("-"):
                    text = f"--{exc.field.replace('_', '-')}: {text}"
                raise CommandError(text, returncode=EXIT_USER_ERROR) from exc
            except DatabaseError as exc:
                raise CommandError(str(NO_DATABASE), returncode=EXIT_USER_ERROR) from exc
        except CommandError as exc:
            if not options.get("traceback") and getattr(self, "_called_from_command_line", False):
                self._fail(str(exc), exc.returncode)
            raise

    def _fail(self, text: str, returncode: int) -> NoReturn:
        error = _("error")
        sys.stderr.write(f"{getattr(self, '_prog', 'imvo')}: {error}: {text}\n")
        sys.exit(returncode)

    def emit(self, output: str | bytes, target: str | None) -> None:
        """Write ``output`` to the file ``target`` (``--output``), or to standard output."""
        if target:
            path = Path(target)
            data = output if isinstance(output, bytes) else output.encode("utf-8")
            partial: Path | None = None
            try:
                # all or nothing: a file beside the target, renamed over it when complete
                handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
                partial = Path(name)
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                umask = os.umask(0)
                os.umask(umask)
                partial.chmod(0o666 & ~umask)  # as an ordinary new file (mkstemp gives 0600)
                os.replace(partial, path)
                partial = None
            except OSError as exc:
                if partial is not None:
                    partial.unlink(missing_ok=True)
                raise UserError(
                    _("--output %(path)s: cannot write (%(reason)s)")
                    % {"path": path, "reason": exc.strerror},
                    field="output",
                ) from None
            return
        if isinstance(output, bytes):
            output = output.decode("utf-8")
        self.stdout.write(output, ending="")


def argument_type(parse: Any, name: str) -> Any:
    """Wrap a parse function raising ``ValueError`` as an argparse type with a clear message."""

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(message(exc)) from None

    convert.__name__ = name
    return convert
